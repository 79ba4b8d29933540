"""The phone page behind every QR code: the posting, escaped; applying with name, phone and consent;
clear pages for closed and unknown postings; CSRF and rate limits."""

import re
import time

import pytest
from sqlalchemy import select

from hub.applications.models import Application
from hub.workers.models import Worker
from tests.support.hub import posting_body


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: the phone pages read the same on both databases, and make test has 10 minutes."""
    return sqlite_url


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def test_the_page_shows_the_posting_escaped(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body(title="<script>alert(1)</script>急招"))
    page = hub.client.get(f"/p/{p['id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;急招" in page.text
    assert "300–400元/天" in page.text and 'href="tel:13800001111"' in page.text and "日结" in page.text
    assert "lingong_csrf" in page.headers["set-cookie"] and "HttpOnly" in page.headers["set-cookie"]


def test_closed_and_unknown_postings_get_a_clear_page(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    hub.ok("POST", f"/api/v1/postings/{p['id']}/status", json={"status": "closed"})
    closed = hub.client.get(f"/p/{p['id']}")
    assert closed.status_code == 410 and "已经招满或结束" in closed.text
    unknown = hub.client.get("/p/999999")
    assert unknown.status_code == 404 and "没有找到这个岗位" in unknown.text
    # A mangled QR link (letters, 0, a sign, digits past any id, other scripts' digits) gets the same
    # plain page in Chinese, on the form's answer too — not a validation error in English.
    token = csrf_of(hub.client.get("/o/new"))  # (the closed posting has no form)
    for mangled in ("abc", "0", "-1", "1e9", "1.5", "99999999999999999999", "%EF%BC%91", "%D9%A1"):
        page = hub.client.get(f"/p/{mangled}")
        assert page.status_code == 404 and "没有找到这个岗位" in page.text, (mangled, page.text[:200])
        form = {"name": "王五", "phone": "13912345678", "consent": "yes", "csrf_token": token}
        answer = hub.client.post(f"/p/{mangled}/apply", data=form)
        assert answer.status_code == 404 and "没有找到这个岗位" in answer.text, (mangled, answer.text[:200])


def test_applying_from_the_phone(hub):
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    page = hub.client.get(f"/p/{p['id']}")
    token = csrf_of(page)
    form = {"name": "王五", "phone": "139 1234 5678", "consent": "yes", "csrf_token": token}

    bad = hub.client.post(f"/p/{p['id']}/apply", data={**form, "phone": "12345", "consent": ""})
    assert bad.status_code == 422
    assert "请写11位手机号" in bad.text and "报名需要您同意" in bad.text and 'value="王五"' in bad.text

    ok = hub.client.post(f"/p/{p['id']}/apply", data=form)
    assert ok.status_code == 200 and "报名成功" in ok.text and "139****5678" in ok.text
    # Security review, finding 9: applying again with someone's phone told whether they had applied,
    # and their code. Now a stranger's browser gets the same page either way, and it holds no code.
    hub.client.cookies.clear()
    form["csrf_token"] = csrf_of(hub.client.get(f"/p/{p['id']}"))
    again = hub.client.post(f"/p/{p['id']}/apply", data={**form, "name": "冒名"})
    assert again.status_code == 200 and _without_tokens(again.text) == _without_tokens(ok.text)
    with hub.app.state.db.read() as s:
        [application] = s.scalars(select(Application).where(Application.posting_id == p["id"])).all()
        assert application.code not in ok.text
        assert (application.name, application.phone) == ("王五", "13912345678")
        assert application.consent_at is not None
        worker = s.get(Worker, application.worker_id)
        assert worker.id_masked == "" and "13912345678" not in worker.id_hash


def steady_clock(hub) -> None:
    """The limiter's clock held in the middle of its windows: counts that do not depend on when the
    test happens to run (a window boundary would carry part of a count over)."""
    now = (int(time.time()) // 3600) * 3600 + 300
    hub.app.state.limits.limiter.clock = lambda: now


def _without_tokens(html: str) -> str:
    """The page without what differs per response: tokens, and the minute it was answered."""
    return re.sub(r'(nonce|value)="[^"]*"|\d+月\d+日 \d\d:\d\d', "", html)


def test_forms_need_their_csrf_token_and_are_rate_limited(hub):
    """Limited per phone number tightly and per address loosely (a market hall's visitors share its
    Wi-Fi); a 429 says when to come back."""
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    steady_clock(hub)
    hub.client.get(f"/p/{p['id']}")
    form = {"name": "赵六", "phone": "13912345670", "consent": "yes"}
    assert hub.client.post(f"/p/{p['id']}/apply", data={**form, "csrf_token": "forged"}).status_code == 403
    token = csrf_of(hub.client.get(f"/p/{p['id']}"))
    same_phone = [hub.client.post(f"/p/{p['id']}/apply", data={**form, "csrf_token": token}) for _ in range(7)]
    assert [r.status_code for r in same_phone] == [200] * 5 + [429, 429]
    assert int(same_phone[-1].headers["retry-after"]) > 0
    # a hall full of people, each with their own phone, on one address: dozens get through
    hall = [
        hub.client.post(
            f"/p/{p['id']}/apply", data={**form, "phone": f"1391234{n:04d}", "csrf_token": token}
        ).status_code
        for n in range(60)
    ]
    assert hall == [200] * 53 + [429] * 7  # 60 attempts per 10 minutes from one address, these 7 included


def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(hub):
    """Security review, finding 5: uvicorn believed X-Forwarded-For from 127.0.0.1, so every limit
    was bypassed with a header. The hub believes only LINGONG_TRUSTED_PROXIES (none by default)."""
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    steady_clock(hub)
    token = csrf_of(hub.client.get(f"/p/{p['id']}"))
    statuses = [
        hub.client.post(
            f"/p/{p['id']}/apply",
            headers={"X-Forwarded-For": f"10.0.{n}.1"},
            data={"name": "赵六", "phone": f"1381234{n:04d}", "consent": "yes", "csrf_token": token},
        ).status_code
        for n in range(62)
    ]
    assert statuses == [200] * 60 + [429] * 2  # one address, whatever the header claims


def test_phone_numbers_are_ascii_digits(hub):
    """A full-width or Arabic-Indic digit passed the phone pattern (\\d is any digit), escaping the
    per-number limit and the once-per-posting rule, and giving staff a number no phone can dial."""
    p = hub.ok("POST", "/api/v1/postings", json=posting_body())
    token = csrf_of(hub.client.get(f"/p/{p['id']}"))
    for phone in ("1381234567８", "1381234567٨", "１３８１２３４５６７８"):
        r = hub.client.post(
            f"/p/{p['id']}/apply", data={"name": "赵六", "phone": phone, "consent": "yes", "csrf_token": token}
        )
        assert r.status_code == 422, phone
    order_page = hub.client.get("/o/new")
    r = hub.client.post(
        "/o/new",
        data={
            "need": "修灯",
            "district": "青川区",
            "address": "滨江路8号",
            "when_text": "周六上午",
            "pay": "80",
            "resident_phone": "1370000222٢",
            "station_id": "1",
            "consent": "yes",
            "csrf_token": csrf_of(order_page),
        },
    )
    assert r.status_code == 422
