"""The console's lists past demo size: postings searched, filtered and paged in SQL, a confirmation
before a posting leaves every screen; applications by code, phone, title and status with their
local time; station staff seeing only their own stations' applications."""

import datetime as dt
import re
import time
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import select

from floor import idnumber
from hub import admin
from hub.applications.models import Application, ApplicationStatus
from hub.feed import service as feed
from hub.postings.models import Posting, PostingStatus
from tests.support.console import csrf_of, sign_in
from tests.support.hub import posting_body
from wire.protocol import POSTING_ENDED

SHANGHAI = ZoneInfo("Asia/Shanghai")


def signed_in(hub, name="lists", role="admin", stations=()):
    password = "copper kettle mountain 7"
    admin.create_user(hub.settings, name, role, password, list(stations))
    hub.client.cookies.clear()
    assert sign_in(hub.client, name, password).status_code == 303
    return hub.client


def listed(page) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="posting-(\d+)"', page.text)]


def db_ids(hub, *where) -> set[int]:
    with hub.app.state.db.read() as s:
        return set(s.scalars(select(Posting.id).where(*where)))


def test_postings_are_searched_filtered_and_paged_in_sql(hub):
    now = dt.datetime.now(dt.UTC)
    for n in range(110):
        hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"搬运工{n}", employer_id=2, trade_id=2))
    only_two = hub.ok("POST", "/api/v1/postings", json=posting_body(title="保洁员", station_ids=[2]))["id"]
    gone = hub.ok("POST", "/api/v1/postings", json=posting_body(title="过期的活"))["id"]
    with hub.app.state.db.write() as s:
        p = s.get(Posting, gone)
        p.valid_from, p.valid_to = now - dt.timedelta(days=5), now - dt.timedelta(days=2)
    client = signed_in(hub)
    open_now = db_ids(hub, Posting.status == PostingStatus.OPEN, Posting.valid_to > now)
    assert len(open_now) > 110

    seen: list[int] = []
    first = client.get("/staff")
    last = -(-len(open_now) // 50)
    assert f"共{len(open_now)}条" in first.text and f"第1/{last}页" in first.text
    for n in range(1, last + 1):
        page = client.get("/staff", params={"page": n})
        assert len(listed(page)) == (50 if n < last else len(open_now) - 50 * (last - 1))
        seen += listed(page)
    assert len(seen) == len(set(seen)) and set(seen) == open_now  # every open posting once, none past 100 lost
    assert 'href="/staff?status=open&amp;page=3"' in first.text and "下一页" in first.text
    assert listed(client.get("/staff", params={"page": 999})) == listed(client.get("/staff", params={"page": last}))

    found = client.get("/staff", params={"q": "搬运工1", "page": "1"})  # 搬运工1, 搬运工10–19, 搬运工100–109
    assert "共21条" in found.text and len(listed(found)) == 21
    assert set(listed(found)) == db_ids(hub, Posting.title.like("搬运工1%"))
    employer = hub.ok("GET", "/api/v1/employers/2")["name"]
    by_employer = client.get("/staff", params={"employer": f" {employer} "})
    its_open = open_now & db_ids(hub, Posting.employer_id == 2)
    assert set(listed(by_employer)) <= its_open and len(listed(by_employer)) == 50
    assert f"共{len(its_open)}条" in by_employer.text
    by_trade = client.get("/staff", params={"trade": "2", "q": "搬运"})
    assert "共110条" in by_trade.text
    at_two = set(listed(client.get("/staff", params={"station": "2", "q": "保洁员"})))
    at_three = set(listed(client.get("/staff", params={"station": "3", "q": "保洁员"})))
    assert only_two in at_two and only_two not in at_three
    assert "共0条" in client.get("/staff", params={"q": "%"}).text  # a wildcard is a character, not "anything"

    assert gone not in open_now and gone not in seen
    expired = client.get("/staff", params={"status": "expired"})
    until = (now - dt.timedelta(days=2)).astimezone(SHANGHAI).strftime("%Y-%m-%d")
    assert gone in listed(expired) and f"已过期（{until}）" in expired.text
    odd = ({"page": "-1"}, {"page": "1e9"}, {"trade": "x"}, {"status": "nope"}, {"q": "钢" * 500}, {"q": "\u202e搬运"})
    for params in odd:
        assert client.get("/staff", params=params).status_code == 200


def test_a_posting_leaves_the_screens_only_after_a_confirmation(hub):
    pid = hub.ok("POST", "/api/v1/postings", json=posting_body(title="钢筋工", station_ids=[1]))["id"]
    client = signed_in(hub, "s1", "station", [1])
    listing = client.get("/staff", params={"q": "钢筋工"})
    assert f'href="/staff/postings/{pid}/close?back=' in listing.text
    assert f'action="/staff/postings/{pid}/close"' not in listing.text  # no button there that closes at once
    for action in ("full", "close"):
        asked = client.get(f"/staff/postings/{pid}/{action}")
        assert asked.status_code == 200 and "从所有驿站的大屏、一体机和手机页面上撤下" in asked.text
        assert 'name="confirmed" value="yes"' in asked.text and f'action="/staff/postings/{pid}/{action}"' in asked.text
        unasked = client.post(
            f"/staff/postings/{pid}/{action}", data={"csrf_token": csrf_of(asked)}, follow_redirects=False
        )
        assert unasked.status_code == 303 and unasked.headers["location"].startswith(f"/staff/postings/{pid}/{action}?")
        assert db_ids(hub, Posting.id == pid, Posting.status == PostingStatus.OPEN) == {pid}
    # From a searched list, the question and the answer both lead back to that list.
    link = re.search(rf'href="(/staff/postings/{pid}/close\?back=[^"]+)"', listing.text).group(1).replace("&amp;", "&")
    asked = client.get(link)
    assert 'href="/staff?status=open&amp;q=%E9%92%A2%E7%AD%8B%E5%B7%A5&amp;page=1"' in asked.text  # 不了，返回
    back = re.search(r'name="back" value="([^"]*)"', asked.text).group(1).replace("&amp;", "&")
    done = client.post(
        f"/staff/postings/{pid}/close",
        data={"csrf_token": csrf_of(asked), "confirmed": "yes", "back": back + "&next=http://elsewhere"},
        follow_redirects=False,
    )
    assert db_ids(hub, Posting.id == pid, Posting.status == PostingStatus.CLOSED) == {pid}
    assert done.headers["location"] == f"/staff?status=open&q=%E9%92%A2%E7%AD%8B%E5%B7%A5&page=1&ended={pid}&how=close"
    assert 'id="ended"' in client.get(done.headers["location"]).text
    # The notices show a record's number and nothing else a link may carry (a link sent to staff).
    for name in ("published", "saved", "ended"):
        for words in ("请立即拨打4001234567联系管理员", "inf", "9" * 5000, "-3"):
            page = client.get("/staff", params={name: words})
            assert page.status_code == 200 and f'id="{name}"' not in page.text and "4001234567" not in page.text
    assert 'id="already"' in client.get(f"/staff/postings/{pid}/close").text
    everything = client.get("/staff", params={"status": "all", "q": "钢筋工"})
    assert pid in listed(everything) and '<td data-label="有效期" class="nowrap">已结束</td>' in everything.text

    other = hub.ok("POST", "/api/v1/postings", json=posting_body(title="木工", station_ids=[2]))["id"]
    listing = client.get("/staff", params={"q": "木工"})  # listed to every staff member, as before …
    assert other in listed(listing) and f"/staff/postings/{other}/edit" not in listing.text  # … changed by its own
    assert f"/staff/postings/{other}/full" not in listing.text and f"/staff/postings/{other}/close" not in listing.text
    assert client.get(f"/staff/postings/{other}/full").status_code == 403  # not this staff member's to end
    assert client.post(
        f"/staff/postings/{other}/full", data={"csrf_token": csrf_of(asked), "confirmed": "yes"}
    ).status_code == (403)


def _person(n: int, name: str, phone: str) -> dict:
    first17 = f"11010519800101{n:03d}"
    return {"id_number": first17 + idnumber.check_char(first17), "name": name, "phone": phone, "consent": True}


def _apply(hub, device_id, headers, n, posting, person) -> str:
    body = {"posting": posting, "person": hub.seal(person, device_id, "application", n)}
    event = {"n": n, "uid": uuid.uuid4().hex, "kind": "application", "at": time.time(), "body": body}
    answer = hub.client.post("/api/v1/sync/events", json={"events": [event]}, headers=headers).json()
    assert answer["results"][0]["status"] == "applied", answer
    return answer["results"][0]["ref"]


def rows(page) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="application-(\d+)"', page.text)]


def test_applications_found_by_code_phone_title_and_status(hub):
    rebar = hub.ok("POST", "/api/v1/postings", json=posting_body(title="钢筋工"))["id"]
    cleaner = hub.ok("POST", "/api/v1/postings", json=posting_body(title="保洁员"))["id"]
    zhang, li = _person(1, "张三", "13812345678"), _person(2, "李四", "13900009999")
    one_id, one = hub.device(station_id=1)
    two_id, two = hub.device(station_id=2)
    codes = {
        "zhang-rebar": _apply(hub, one_id, one, 1, rebar, zhang),
        "zhang-cleaner": _apply(hub, one_id, one, 2, cleaner, zhang),
        "li-rebar": _apply(hub, two_id, two, 1, rebar, li),
    }
    with hub.app.state.db.write() as s:
        ids = {a.code: a.id for a in s.scalars(select(Application))}
        hired = s.get(Application, ids[codes["li-rebar"]])
        hired.status = ApplicationStatus.HIRED
        when = hired.applied_at.astimezone(SHANGHAI).strftime("%m-%d %H:%M")
    client = signed_in(hub)

    def found(**params) -> set[str]:
        page = client.get("/staff/applications", params=params)
        assert page.status_code == 200
        return {code for code, i in ids.items() if i in rows(page)}

    assert found() == set(codes.values())
    assert found(q="5678") == {codes["zhang-rebar"], codes["zhang-cleaner"]}  # the phone's last digits
    assert found(q="+86 139-0000-9999") == {codes["li-rebar"]}
    assert found(q=codes["zhang-cleaner"]) == {codes["zhang-cleaner"]}
    assert found(q=codes["zhang-cleaner"].lower()) == {codes["zhang-cleaner"]}
    assert found(title="保洁") == {codes["zhang-cleaner"]}
    assert found(state="hired") == {codes["li-rebar"]}
    assert found(title="钢筋", state="new") == {codes["zhang-rebar"]}
    assert found(q="%") == set() and found(state="nope") == set(codes.values())
    assert found(q="56\u202e78", title="\u202e") == {codes["zhang-rebar"], codes["zhang-cleaner"]}  # bidi sign dropped
    page = client.get("/staff/applications")
    assert "报名时间" in page.text and f'<td data-label="报名时间" class="nowrap">{when}</td>' in page.text

    # A status changed from a filtered list comes back to that list.
    listing = client.get("/staff/applications", params={"title": "钢筋", "state": "new"})
    back = re.search(r'name="back" value="([^"]*)"', listing.text).group(1).replace("&amp;", "&")
    moved = client.post(
        f"/staff/applications/{ids[codes['zhang-rebar']]}/status",
        data={"status": "contacted", "back": back, "csrf_token": csrf_of(listing)},
        follow_redirects=False,
    )
    assert moved.headers["location"] == "/staff/applications?title=%E9%92%A2%E7%AD%8B&state=new"

    # An offline kiosk's application to a posting closed meanwhile: kept, marked 岗位已结束, and
    # found with the page's filter so staff can call the worker about similar work.
    ended = hub.ok("POST", "/api/v1/postings", json=posting_body(title="搬运工"))["id"]
    with hub.app.state.db.read() as s:
        cursor = feed.head(s)  # what the kiosk knew: the posting open
    hub.ok("POST", f"/api/v1/postings/{ended}/status", json={"status": "closed"})
    body = {
        "posting": ended,
        "cursor": cursor,
        "person": hub.seal(_person(7, "王五", "13700007777"), one_id, "application", 3),
    }
    late = {"n": 3, "uid": uuid.uuid4().hex, "kind": "application", "at": time.time(), "body": body}
    answer = hub.client.post("/api/v1/sync/events", json={"events": [late]}, headers=one).json()
    assert (answer["results"][0]["status"], answer["results"][0]["reason"]) == ("applied", POSTING_ENDED)
    page = client.get("/staff/applications", params={"state": "ended"})
    assert page.status_code == 200 and len(rows(page)) == 1 and 'value="ended" selected' in page.text
    assert "岗位已结束" in page.text and "王五" in page.text
    assert set(rows(page)) <= set(rows(client.get("/staff/applications", params={"state": "new"})))  # new to staff

    station_two = signed_in(hub, "s2", "station", [2])
    assert station_two is client
    assert found() == {codes["li-rebar"]}  # only station 2's, whatever is asked
    assert found(q="5678") == set() and found(station=1) == set() and found(title="保洁") == set()
    whole_phone = client.get("/staff/applications", params={"q": "13812345678"})
    assert rows(whole_phone) == [] and "张三" not in whole_phone.text
