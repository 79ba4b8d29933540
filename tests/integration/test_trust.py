"""Trust end to end, in-process on SQLite: a flagged posting held off every screen until reviewed,
reports from kiosks and phones, a suspended employer's postings withdrawn, the 不收费 mark."""

import re

import pytest
from sqlalchemy import select

from hub.employers.models import Employer
from hub.errors import HubError
from hub.feed.models import FeedState
from hub.staff.models import Role
from hub.staff.service import Principal
from hub.trust import service as trust
from hub.trust.models import PostingCheck, Report, ReviewState
from tests.integration.test_events import PERSON, event, post
from tests.integration.test_figures import current
from tests.support.hub import open_postings, posting_body

ADMIN = Principal(1, "admin", Role.ADMIN, frozenset())


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def in_feed(hub) -> set[int]:
    """Postings the change feed holds as shown (what every device of their stations gets; the
    tests that follow a real device's snapshot and changes use `postings_on`)."""
    with hub.app.state.db.read() as s:
        return set(s.scalars(select(FeedState.entity_id).where(FeedState.kind == "posting", FeedState.op == "put")))


def postings_on(hub, device) -> set[int]:
    _, held = current(hub, device)
    return {i for (k, i), _d in held if k == "posting"}


def publish(hub, **over) -> int:
    return hub.ok("POST", "/api/v1/postings", json=posting_body(**over))["id"]


def check_of(hub, pid) -> PostingCheck:
    with hub.app.state.db.read() as s:
        check = s.get(PostingCheck, pid)
        s.expunge(check)
        return check


def test_a_posting_asking_a_deposit_waits_for_review_then_reaches_devices(hub):
    _, kiosk = hub.device()
    pid = publish(hub, requirements="入职交押金200元，干满一月退还")
    check = check_of(hub, pid)
    assert check.state is ReviewState.WAITING and check.codes == ["fees"] and "押金" in check.flags[0][1]
    assert pid not in postings_on(hub, kiosk)
    assert hub.client.get(f"/p/{pid}").status_code == 410  # nor on the phone page
    with hub.app.state.db.write() as s:
        assert [p.id for p, _c in trust.queue(s, ADMIN)] == [pid]
        trust.approve(s, pid, ADMIN)
    assert pid in postings_on(hub, kiosk)
    assert hub.client.get(f"/p/{pid}").status_code == 200
    # An edit that changes nothing the reviewer saw keeps it shown; a new holding sign holds it again.
    hub.ok("PATCH", f"/api/v1/postings/{pid}", json={"headcount": 6})
    assert pid in in_feed(hub)
    hub.ok("PATCH", f"/api/v1/postings/{pid}", json={"benefits": "先培训后上岗"})
    assert check_of(hub, pid).state is ReviewState.WAITING and pid not in in_feed(hub)


def test_a_rejected_posting_stays_off_and_an_edit_sends_it_back(hub):
    pid = publish(hub, requirements="需先交服装费150元")
    with hub.app.state.db.write() as s:
        trust.reject(s, pid, "收服装费，请单位改正", ADMIN)
    assert check_of(hub, pid).state is ReviewState.REJECTED and pid not in in_feed(hub)
    hub.ok("PATCH", f"/api/v1/postings/{pid}", json={"requirements": "服装由公司发放，不收费"})
    assert check_of(hub, pid).state is ReviewState.CLEAR and pid in in_feed(hub)


def test_informing_flags_do_not_hold_unless_an_admin_says_so(hub):
    from hub.market import publish as market
    from tests.integration.test_market import five_postings, unused_trade_and_unit

    trade_id, unit = unused_trade_and_unit(hub)
    five_postings(hub, trade_id, unit)  # the guide: low 220, high 260 (per unit)
    market.once(hub.app.state.db)
    pay = dict(trade_id=trade_id, pay_unit=unit, employer_id=verified_employer(hub))
    low = publish(hub, **pay, pay_min_fen=18000, pay_max_fen=21000)
    lure = publish(hub, **pay, pay_min_fen=50000, pay_max_fen=53000)  # over 2 x 260
    assert check_of(hub, low).codes == ["pay_low"] and "220元" in check_of(hub, low).flags[0][1]
    assert check_of(hub, lure).codes == ["pay_high"] and "2倍" in check_of(hub, lure).flags[0][1]
    assert {low, lure} <= in_feed(hub)  # both only inform staff, by default
    vague = publish(hub, employer_id=pay["employer_id"], address="地址面议")
    assert check_of(hub, vague).codes == ["address"] and vague in in_feed(hub)
    with hub.app.state.db.write() as s:
        trust.set_hold(s, ["fees", "training", "address"], ADMIN)
    held = publish(hub, employer_id=pay["employer_id"], address="电话联系")
    assert check_of(hub, held).state is ReviewState.WAITING and held not in in_feed(hub)
    # The new choice applies to what is already shown too (and lets out what no longer holds).
    assert check_of(hub, vague).state is ReviewState.WAITING and vague not in in_feed(hub)
    with hub.app.state.db.write() as s:
        trust.set_hold(s, ["fees", "training"], ADMIN)
    assert {vague, held} <= in_feed(hub) and check_of(hub, held).state is ReviewState.CLEAR


def test_a_suspended_employer_leaves_every_screen_and_cannot_post_until_lifted(hub):
    _, kiosk = hub.device()
    mine = [publish(hub, employer_id=2) for _ in range(2)]
    assert set(mine) <= postings_on(hub, kiosk)
    with hub.app.state.db.write() as s, pytest.raises(HubError, match="原因"):
        trust.suspend(s, 2, "   ", ADMIN)  # a reason is needed
    with hub.app.state.db.write() as s:
        assert trust.suspend(s, 2, "收取押金被多人举报", ADMIN) >= 2
    assert not set(mine) & postings_on(hub, kiosk)
    assert hub.client.get(f"/p/{mine[0]}").status_code == 410
    refused = hub.client.post("/api/v1/postings", json=posting_body(employer_id=2), headers=hub.staff)
    assert refused.status_code == 403 and "暂停" in refused.json()["error"]
    with hub.app.state.db.write() as s:
        trust.lift(s, 2, ADMIN)
    assert set(mine) <= postings_on(hub, kiosk)


def test_free_marks_verified_employers_postings_with_no_sign(hub):
    _, kiosk = hub.device()
    verified = verified_employer(hub)
    clean = publish(hub, employer_id=verified)
    flagged = publish(hub, employer_id=verified, address="市区")
    _, held = current(hub, kiosk)
    docs = {i: d for (k, i), d in held if k == "posting"}
    assert docs[clean]["free"] is True and docs[flagged]["free"] is False
    # The seed's postings are screened as published ones are: 不收费 on the demo's screens too.
    with hub.app.state.db.read() as s:
        verified_ids = set(s.scalars(select(Employer.id).where(Employer.verified_at.is_not(None))))
    seeded = [d for i, d in docs.items() if i not in (clean, flagged)]
    assert any(d["free"] for d in seeded) and all(d["employer"] in verified_ids for d in seeded if d["free"])
    assert 'id="free"' in hub.client.get(f"/p/{clean}").text
    assert 'id="free"' not in hub.client.get(f"/p/{flagged}").text
    # The mark taken away (and given again): the employer's postings reach devices again at once.
    for verified_now, free_now in ((False, False), (True, True)):
        answer = hub.client.post(
            f"/api/v1/employers/{verified}/verify", json={"verified": verified_now}, headers=hub.staff
        )
        assert answer.status_code == 200, answer.text
        _, held = current(hub, kiosk)
        assert {i: d for (k, i), d in held if k == "posting"}[clean]["free"] is free_now


def verified_employer(hub) -> int:
    with hub.app.state.db.read() as s:
        return s.scalars(select(Employer.id).where(Employer.verified_at.is_not(None)).order_by(Employer.id)).first()


def report_event(hub, device_id, n, posting, reason="fees", person=PERSON):
    return event(
        n, "report", {"posting": posting, "reason": reason, "person": hub.seal(person, device_id, "report", n)}
    )


def test_a_kiosk_report_counts_once_per_worker_with_the_masked_number(hub):
    device_id, kiosk = hub.device()
    pid = open_postings(hub.app.state.db, 1)[0]
    answer = post(hub, kiosk, [report_event(hub, device_id, 1, pid), report_event(hub, device_id, 2, pid, "pay")])
    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    again = post(hub, kiosk, [report_event(hub, device_id, 1, pid)]).json()  # the same batch resent
    assert again["results"][0]["status"] == "duplicate"
    with hub.app.state.db.read() as s:
        [row] = s.scalars(select(Report)).all()
        assert row.reporter == "110105********002X" and row.station_id == 1 and row.via == "kiosk"
        assert PERSON["id_number"] not in row.reporter
        assert trust.report_counts(s, [pid])[pid] == 1
    # It reaches the staff of the station where it was made (masked), not another station's.
    from tests.integration.test_console_lists import signed_in

    page = signed_in(hub, "station1", "station", [1]).get("/staff/reviews").text
    assert "110105********002X（驿站机器）" in page and "收费/押金 1次" in page
    assert "110105" not in signed_in(hub, "station2", "station", [2]).get("/staff/reviews").text
    # Hostile or broken reports are rejected one by one, never a 500, and the queue goes on.
    bodies = [
        {"posting": 1, "reason": "bribe"},
        {"posting": 0, "reason": "fees"},
        {"posting": 99999999, "reason": "fees"},
        {"posting": "1; drop", "reason": "fees"},
    ]
    batch = [
        event(n, "report", {**body, "person": hub.seal(PERSON, device_id, "report", n)})
        for n, body in enumerate(bodies, 3)
    ]
    answer = post(hub, kiosk, batch)
    assert answer.status_code == 200 and [r["status"] for r in answer.json()["results"]] == ["rejected"] * 4
    assert answer.json()["applied_through"] == 6
    # Erasing the worker (PIPL) keeps their reports with the posting, without who made them.
    from hub.privacy.erase import erase_worker

    with hub.app.state.db.write() as s:
        assert erase_worker(s, hub.app.state.keys, id_number=PERSON["id_number"])["workers"] == 1
    with hub.app.state.db.read() as s:
        [row] = s.scalars(select(Report)).all()
        assert (row.posting_id, row.reporter, row.worker_id) == (pid, "", None)


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_phone_report_needs_no_id_and_is_limited_like_applying(hub):
    pid = open_postings(hub.app.state.db, 1)[0]
    page = hub.client.get(f"/p/{pid}?s=1").text
    assert f'action="/p/{pid}/report"' in page
    token = csrf_of(page)
    done = hub.client.post(
        f"/p/{pid}/report", data={"reason": "address", "phone": "139 1234 5678", "station": "1", "csrf_token": token}
    )
    assert done.status_code == 200 and "举报已收到" in done.text
    with hub.app.state.db.read() as s:
        [row] = s.scalars(select(Report)).all()
        assert (row.reason.value, row.via, row.station_id) == ("address", "phone", 1)
        assert "5678" in row.reporter and "1234" not in row.reporter
    for data, status in (
        ({"reason": "nonsense"}, 422),
        ({"reason": "fees", "phone": "12"}, 422),
        ({"reason": "fees", "station": "x" * 5000}, 200),
    ):
        r = hub.client.post(f"/p/{pid}/report", data={**data, "csrf_token": token})
        assert r.status_code == status, r.text
        if data.get("phone") == "12":  # to correct, not to start again: the reason stays chosen
            assert 'value="fees" required checked' in r.text and 'value="12"' in r.text
    assert hub.client.post("/p/abc/report", data={"reason": "fees", "csrf_token": token}).status_code == 404
    assert hub.client.post(f"/p/{pid}/report", data={"reason": "fees"}).status_code == 403  # no CSRF token


def test_the_console_review_queue_approves_rejects_and_refuses_hostile_forms(hub):
    from tests.integration.test_console_lists import signed_in
    from tests.support.console import csrf_of as console_csrf

    held = publish(hub, station_ids=[1], requirements="另收培训费500元")
    other = publish(hub, station_ids=[1], benefits="先培训后上岗")
    hub.ok("PATCH", f"/api/v1/postings/{open_postings(hub.app.state.db, 1)[0]}", json={"address": "待定"})
    client = signed_in(hub, "station1", "station", [1])
    page = client.get("/staff/reviews")
    assert page.status_code == 200 and f'id="review-{held}"' in page.text and "培训费" in page.text
    assert 'action="/staff/reviews/hold"' not in page.text  # administrators only
    token = console_csrf(page.text)
    listed = client.get("/staff?status=open").text
    assert "地址不清" in listed  # an informing flag, shown on the list
    form = client.get(f"/staff/postings/{other}/edit").text  # and on the posting's form
    assert 'id="trust-marks"' in form and "待审核" in form and "先培训后上岗" in form
    assert (
        client.post(f"/staff/reviews/{held}/approve", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert held in in_feed(hub)
    empty = client.post(f"/staff/reviews/{other}/reject", data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 422 and "原因" in empty.text
    for path, data in (
        (f"/staff/reviews/{held}/approve", {}),  # already decided
        ("/staff/reviews/99999999/approve", {}),
        ("/staff/reviews/hold", {"hold_fees": "yes"}),  # station staff may not
        ("/staff/reviews/suspend", {"employer_id": "1; drop", "reason": "x"}),
        ("/staff/reviews/station/2", {"rules": "不是我的驿站"}),
        ("/staff/reviews/station/1", {"hotline": "javascript:alert(1)"}),
        ("/staff/reviews/station/1", {"rules": "\x00"}),
    ):
        r = client.post(path, data={"csrf_token": token, **data})
        assert 400 <= r.status_code < 500, (path, r.status_code)
    assert client.post(f"/staff/reviews/{other}/reject", data={"reason": "x"}).status_code == 403  # no CSRF
    done = client.post(
        f"/staff/reviews/{other}/reject", data={"csrf_token": token, "reason": "收培训费"}, follow_redirects=False
    )
    assert done.status_code == 303 and check_of(hub, other).note == "收培训费"


def test_station_rules_reach_the_kiosk_and_the_phone_page(hub):
    from tests.integration.test_console_lists import signed_in
    from tests.support.console import csrf_of as console_csrf

    _, kiosk = hub.device()
    client = signed_in(hub, "station1", "station", [1])
    token = console_csrf(client.get("/staff/reviews").text)
    rules = {"rules": "不收任何费用\n先登记后推荐", "hotline": "0371-12345678", "complaint": "12345"}
    assert (
        client.post("/staff/reviews/station/1", data={"csrf_token": token, **rules}, follow_redirects=False).status_code
        == 303
    )
    _, held = current(hub, kiosk)
    station = next(d for (k, i), d in held if k == "station" and i == 1)
    assert (station["rules"], station["hotline"], station["complaint"]) == (rules["rules"], "0371-12345678", "12345")
    page = hub.client.get(f"/p/{open_postings(hub.app.state.db, 1)[0]}?s=1").text
    assert 'id="station-rules"' in page and "先登记后推荐" in page and "投诉电话" in page


def test_a_held_posting_finds_no_workers_until_it_is_approved(hub):
    from tests.integration.test_outreach import calls, register

    device_id, headers = hub.device(station_id=1)
    register(hub, device_id, headers, 1, who=1, name="蔡文姬", phone="13900000001", contact=True, trades=[1])
    pid = publish(hub, trade_id=1, station_ids=[1], requirements="报名先交中介费100元")
    assert calls(hub, pid) == []  # 岗位找人 does not ring workers about a posting held as a likely 黑中介
    with hub.app.state.db.write() as s:
        trust.approve(s, pid, ADMIN)
    assert len(calls(hub, pid)) == 1


def test_suspending_from_the_console_is_audited_with_its_reason_and_lifted(hub):
    from hub.audit.models import AuditEntry
    from tests.integration.test_console_lists import signed_in
    from tests.support.console import csrf_of as console_csrf

    mine = publish(hub, employer_id=2)
    client = signed_in(hub, "boss", "admin")
    token = console_csrf(client.get("/staff/reviews").text)
    # Asked first, by name: nothing leaves the screens until it is confirmed.
    asked = client.post(
        "/staff/reviews/suspend", data={"csrf_token": token, "employer_id": "2", "reason": "多人举报收押金"}
    )
    assert asked.status_code == 200 and 'id="suspend-confirm"' in asked.text and "请确认" in asked.text
    assert mine in in_feed(hub)
    done = client.post(
        "/staff/reviews/suspend",
        data={"csrf_token": token, "employer_id": "2", "reason": "多人举报收押金", "confirmed": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and mine not in in_feed(hub)
    assert 'id="suspended-2"' in client.get("/staff/employers").text
    with hub.app.state.db.read() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "employer.suspend", AuditEntry.outcome == 303)
        ).one()
        assert entry.detail["reason"] == "多人举报收押金" and entry.outcome == 303
    lifted = client.post("/staff/reviews/lift/2", data={"csrf_token": token}, follow_redirects=False)
    assert lifted.status_code == 303 and mine in in_feed(hub)


def test_a_held_posting_is_not_offered_as_a_similar_job_either(hub):
    ended = publish(hub, trade_id=3, station_ids=[1])
    held = publish(hub, trade_id=3, station_ids=[1], title="高薪日结", requirements="先交押金300元")
    shown = publish(hub, trade_id=3, station_ids=[1], title="正经活")
    hub.ok("POST", f"/api/v1/postings/{ended}/status", json={"status": "closed"})
    gone = hub.client.get(f"/p/{ended}")
    assert gone.status_code == 410 and f"/p/{shown}" in gone.text and f"/p/{held}" not in gone.text
