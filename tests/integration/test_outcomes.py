"""Outcomes (issue 19, item 7): a kiosk's card visits arrive once through its outbox; a wall's QR
scans are counted per wall, page and day, and the phone applications after them credited to the
wall; hostile values are ignored or refused, never a 500; the month's funnel on a small hand-counted set."""

import datetime as dt
import io
import re
import uuid

import pytest
from sqlalchemy import select

from cardreader.sim import resident
from hub.applications.models import Application, ApplicationStatus
from hub.outcomes import service as outcomes
from hub.outcomes.models import CardVisitDay, QrApplication, QrScanDay
from hub.ratelimit import RateLimit
from hub.web import wall_scans
from kiosk.data import KioskData
from kiosk.flow import Flow
from sync.store import DeviceStore, Enrollment
from tests.support.hub import open_postings


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: counting and summing read the same on both databases, and make test has 10 minutes."""
    return sqlite_url


def post(hub, device, events):
    return hub.client.post("/api/v1/sync/events", json={"events": events}, headers=device)


def visits(n, days, at=None):
    at = dt.datetime.now(dt.UTC).timestamp() if at is None else at
    return {"n": n, "uid": uuid.uuid4().hex, "kind": "visits", "at": at, "body": {"days": days}}


def stored_visits(hub) -> dict:
    with hub.app.state.db.read() as s:
        return {(r.device_id, r.day.isoformat()): r.visits for r in s.scalars(select(CardVisitDay))}


def test_card_visits_reach_the_hub_once_sum_per_day_and_nonsense_is_refused(hub, tmp_path):
    kiosk_id, kiosk = hub.device("kiosk")
    store = DeviceStore(tmp_path / "kiosk.db")
    store.save_enrollment(Enrollment("http://hub", kiosk_id, "t", "kiosk", 1, hub.public_key), event_base=0)
    try:
        data = KioskData(store, tz=hub.settings.tz)
        data.refresh()
        flow = Flow(data)
        for number in ("11010519491231002X", "110105194912310096", "11010519491231002X"):
            flow.card(resident(number, "张三"))
        flow.tick()  # not due yet: nothing queued
        assert store.outbox.count() == 0
        flow.visits.every_s = 0
        flow.tick()
        batch = store.outbox.pending()
        today = data.today().isoformat()
        assert [(e["kind"], e["body"]) for e in batch] == [("visits", {"days": [[today, 3]]})]
        assert "11010519491231002X" not in str(batch)  # a count, no person
        for _ in range(2):  # sent again (the answer lost): taken once
            assert post(hub, kiosk, batch).status_code == 200
        assert stored_visits(hub) == {(kiosk_id, today): 3}
    finally:
        store.close()
    visit_records_sum_per_day_and_nonsense_is_rejected_not_crashed(hub)


def visit_records_sum_per_day_and_nonsense_is_rejected_not_crashed(hub):
    """(run inside the test above: one hub for both, make test has 10 minutes)"""
    kiosk_id, kiosk = hub.device("kiosk")
    today = dt.datetime.now(hub.settings.tz).date()
    yesterday, later = (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=3)).isoformat()
    now = today.isoformat()
    answer = post(
        hub,
        kiosk,
        [
            visits(1, [[now, 3]]),
            visits(2, [[yesterday, 2], [now, 1]]),
            visits(3, [[later, 1]]),  # a day after it was sent
            visits(4, [[now, 0]]),
            visits(5, [[now, 2.5]]),
            visits(6, [[now, "2"]]),
            visits(7, [[now, True]]),
            visits(8, [["2026-02-30", 1]]),
            visits(9, [["1", 1]]),
            visits(10, [[now, 1], [now, 1]]),
            visits(11, [[now, 10**9]]),
            visits(12, []),
            visits(13, [[now]]),
            {**visits(14, [[now, 1]]), "body": {"days": [[now, 1]], "who": "x"}},
            {**visits(15, [[now, 1]]), "body": {"days": "3"}},
        ],
    )
    assert answer.status_code == 200
    statuses = [r["status"] for r in answer.json()["results"]]
    assert statuses == ["applied", "applied"] + ["rejected"] * 13
    assert {k: v for k, v in stored_visits(hub).items() if k[0] == kiosk_id} == {
        (kiosk_id, now): 4,
        (kiosk_id, yesterday): 2,
    }
    _, wall = hub.device("display")
    assert post(hub, wall, [visits(1, [[now, 1]])]).status_code == 403  # only kiosks count cards


def csrf_of(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def scans(hub) -> dict:
    with hub.app.state.db.read() as s:
        return {(r.device_id, r.page): r.scans for r in s.scalars(select(QrScanDay))}


def test_qr_scans_count_per_wall_and_page_and_credit_the_wall_and_hostile_values_are_ignored(hub, monkeypatch):
    wall_id, _ = hub.device("display")
    kiosk_id, _ = hub.device("kiosk")
    pid = open_postings(hub.app.state.db)[0]
    first = hub.client.get(f"/p/{pid}?s=1&d={wall_id}&p=cards")
    assert first.status_code == 200 and f'name="via" value="{wall_id}.cards"' in first.text
    assert hub.client.get(f"/p/{pid}?s=1&d={wall_id}&p=cards").status_code == 200  # a reload: not another scan
    assert scans(hub) == {(wall_id, "cards"): 1}
    hub.client.cookies.clear()
    hub.client.get(f"/p/{pid}?d={wall_id}&p=cards")  # another phone
    hub.client.cookies.clear()
    hub.client.get(f"/p/{pid}?d={wall_id}")  # no page: counted as "qr"
    assert scans(hub) == {(wall_id, "cards"): 2, (wall_id, "qr"): 1}
    for hostile in (
        f"d={kiosk_id}&p=cards",  # not a wall
        "d=999999&p=cards",  # no such device
        "d=0&p=cards",
        "d=-1",
        "d=1e3",
        "d=99999999999999999999",
        "d=%EF%BC%91",  # a full-width digit
        "d=abc&p=cards",
        f"d={wall_id}&d=x",
        "d=&p=",
        "p=cards",
    ):
        hub.client.cookies.clear()
        page = hub.client.get(f"/p/{pid}?{hostile}")
        assert page.status_code == 200 and 'name="via"' not in page.text, hostile
    hub.client.cookies.clear()  # a control character: refused at the edge, a clear 4xx
    assert hub.client.get(f"/p/{pid}?d={wall_id}&p=cards%00").status_code == 400
    for odd_page in ("CARDS", "x" * 13, "%3Cb%3E", "%E5%8D%A1", "cards%20"):  # counted as "qr"
        hub.client.cookies.clear()
        page = hub.client.get(f"/p/{pid}?d={wall_id}&p={odd_page}")
        assert page.status_code == 200 and f'name="via" value="{wall_id}.qr"' in page.text, odd_page
    assert scans(hub) == {(wall_id, "cards"): 2, (wall_id, "qr"): 6}  # 1 + 5 garbled pages
    hub.client.cookies.clear()
    hub.client.cookies.set("lingong_scan", "garbage.1.x")  # a mangled cookie: ignored, the scan counts
    assert hub.client.get(f"/p/{pid}?d={wall_id}&p=cards").status_code == 200
    assert scans(hub)[(wall_id, "cards")] == 3
    # one address counts so many scans in 10 minutes, then no more (the page is still shown)
    monkeypatch.setattr(wall_scans, "COUNTED", RateLimit("qr-scan-test", 2, 600))
    for _ in range(4):
        hub.client.cookies.clear()
        assert hub.client.get(f"/p/{pid}?d={wall_id}&p=cards").status_code == 200
    assert scans(hub)[(wall_id, "cards")] == 5
    monkeypatch.undo()
    a_phone_application_after_a_scan_is_credited_to_the_wall(hub)


def a_phone_application_after_a_scan_is_credited_to_the_wall(hub):
    """(run inside the test above: one hub for both)"""
    wall_id, _ = hub.device("display")
    pid, other = open_postings(hub.app.state.db)[:2]
    page = hub.client.get(f"/p/{pid}?d={wall_id}&p=booth")
    form = {"name": "王五", "phone": "13912345678", "consent": "yes", "csrf_token": csrf_of(page)}
    # a wrong form comes back with the wall still in it
    again = hub.client.post(f"/p/{pid}/apply", data={**form, "name": "", "via": f"{wall_id}.booth"})
    assert again.status_code == 422 and f'name="via" value="{wall_id}.booth"' in again.text
    assert hub.client.post(f"/p/{pid}/apply", data={**form, "via": f"{wall_id}.booth"}).status_code == 200
    # hostile `via` values: the application stands, credited to no wall
    for n, via in enumerate(("999999.booth", "abc", f"{wall_id}.BOOTH", f"{wall_id}", "1.2.3", "x" * 500)):
        hub.client.cookies.clear()
        token = csrf_of(hub.client.get(f"/p/{other}"))
        answer = hub.client.post(
            f"/p/{other}/apply", data={**form, "phone": f"1391234560{n}", "csrf_token": token, "via": via}
        )
        assert answer.status_code == 200, (via, answer.status_code)
    with hub.app.state.db.read() as s:
        credited = {
            (a.posting_id, q.device_id, q.page)
            for q, a in s.execute(select(QrApplication, Application).join(Application))
        }
        assert s.query(Application).filter(Application.posting_id == other).count() == 6
    assert credited == {(pid, wall_id, "booth")}


def seed_month(hub) -> tuple[int, int, int]:
    """Hand-counted: station 1 has kiosk K (7 card visits this month, 9 last month) and wall W (4
    scans on cards, 1 on booth); K sent 3 applications this month (one 已联系, one 已上岗, one 新报名)
    and 1 last month (已上岗); 2 phone applications came through W (one 未到岗, one 新报名) and one
    phone application from no wall. Station 2's kiosk has 1 visit and 1 application (已上岗)."""
    db, tz = hub.app.state.db, hub.settings.tz
    k_id, _ = hub.device("kiosk", station_id=1)
    w_id, _ = hub.device("display", station_id=1)
    k2_id, _ = hub.device("kiosk", station_id=2)
    today = dt.datetime.now(tz).date()
    start = today.replace(day=1)
    last_month = start - dt.timedelta(days=3)
    postings = open_postings(db)
    noon = dt.datetime.combine(today, dt.time(12), tz)
    with db.write() as s:
        s.add_all(
            [
                CardVisitDay(device_id=k_id, day=today, visits=7),
                CardVisitDay(device_id=k_id, day=last_month, visits=9),
                CardVisitDay(device_id=k2_id, day=today, visits=1),
                QrScanDay(device_id=w_id, day=today, page="cards", scans=4),
                QrScanDay(device_id=w_id, day=today, page="booth", scans=1),
                QrScanDay(device_id=w_id, day=last_month, page="cards", scans=7),
            ]
        )

        def application(i, status, *, device=None, station=None, when=noon):
            from hub.workers.models import Worker

            worker = Worker(id_hash=f"h{i}".ljust(64, "0"), id_masked="1101**********002X")
            s.add(worker)
            s.flush()
            a = Application(
                code=f"T-{i}",
                posting_id=postings[0],
                worker_id=worker.id,
                device_id=device,
                device_n=i if device else None,
                station_id=station,
                status=status,
                applied_at=when,
                received_at=when,
            )
            s.add(a)
            s.flush()
            return a

        S = ApplicationStatus
        application(1, S.CONTACTED, device=k_id, station=1)
        application(2, S.HIRED, device=k_id, station=1)
        application(3, S.NEW, device=k_id, station=1)
        application(4, S.HIRED, device=k_id, station=1, when=noon - dt.timedelta(days=40))
        for i, status in ((5, S.NO_SHOW), (6, S.NEW)):
            s.add(QrApplication(application_id=application(i, status).id, device_id=w_id, page="cards"))
        application(7, S.HIRED)  # a phone application from no wall
        application(8, S.HIRED, device=k2_id, station=2)
    return k_id, w_id, k2_id


def the_month_funnel_per_station_kiosk_and_wall(hub, k_id: int, w_id: int):
    """The set of `seed_month`, counted by hand (run inside the test below: one hub for both)."""
    db, tz = hub.app.state.db, hub.settings.tz
    today = dt.datetime.now(tz).date()
    start = today.replace(day=1)
    with db.read() as s:
        f = outcomes.funnel(s, tz, start, today, None)
        one = outcomes.funnel(s, tz, start, today, frozenset({1}))
    station = {r.id: r for r in f.stations}
    s1 = station[1]
    assert (s1.visits, s1.applications, s1.scans, s1.qr_applications, s1.contacted, s1.hired) == (7, 3, 5, 2, 3, 1)
    assert (station[2].visits, station[2].applications, station[2].contacted, station[2].hired) == (1, 1, 1, 1)
    kiosk = {r.id: r for r in f.kiosks}[k_id]
    assert (kiosk.visits, kiosk.applications, kiosk.contacted, kiosk.hired) == (7, 3, 2, 1)
    wall = {r.id: r for r in f.walls}[w_id]
    assert (wall.scans, wall.pages, wall.qr_applications, wall.contacted, wall.hired) == (
        5,
        {"booth": 1, "cards": 4},
        2,
        1,
        0,
    )
    total = f.total
    assert (total.visits, total.all_applications, total.contacted, total.hired) == (8, 6, 4, 2)
    # station staff of station 1 see station 1 and its devices only
    assert [r.id for r in one.stations] == [1] and {r.id for r in one.kiosks + one.walls} == {k_id, w_id}


def test_the_dashboard_and_the_workbook_show_the_month_station_scoped(hub):
    """The labour bureau's workbook, opened with openpyxl and checked cell by cell against the
    figures the hub computes (the public endpoints' bodies and the hand-counted funnel)."""
    from openpyxl import load_workbook

    from hub import admin
    from hub.audit.models import AuditEntry
    from tests.integration.test_console import logged_in
    from tests.support.console import sign_in

    k_id, w_id, _ = seed_month(hub)
    the_month_funnel_per_station_kiosk_and_wall(hub, k_id, w_id)
    rate = {"low_fen": 20000, "median_fen": 25000, "high_fen": 30000, "source": "云江市人社局2026年指导价位"}
    hub.ok("PUT", "/api/v1/market/official-rates/1/day", json=rate)
    assert hub.client.get("/staff/outcomes.xlsx", follow_redirects=False).status_code == 303  # signed in only
    client = logged_in(hub)
    page = client.get("/staff/dashboard")
    assert page.status_code == 200 and 'id="outcomes"' in page.text and 'href="/staff/outcomes.xlsx"' in page.text
    assert "刷卡 8 人次 · 扫码 5 次 → 报名 6 → 已联系 4（67%） → 已上岗 2（33%）" in page.text
    answer = client.get("/staff/outcomes.xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["工资指导价", "紧缺工种", "本月成效"]
    rates = hub.client.get("/api/v1/market/pay-guide").json()["rates"]
    rows = list(book["工资指导价"].iter_rows(values_only=True))
    assert rows[0] == ("工种", "计价单位", "低位（元）", "中位（元）", "高位（元）", "岗位数", "已上岗人数", "来源")
    assert len(rates) >= 1 and [r[:7] for r in rows[1 : 1 + len(rates)]] == [
        (r["trade_name"], r["unit_name"], r["low"], r["median"], r["high"], r["postings"], r["placements"])
        for r in rates
    ]
    official = [r for r in rows[1 : 1 + len(rates)] if r[7].startswith("官方")]
    assert [r[2:5] for r in official] == [(200, 250, 300)] and official[0][7] == "官方：云江市人社局2026年指导价位"
    shortage = hub.client.get("/api/v1/market/shortage").json()["trades"]
    rows = list(book["紧缺工种"].iter_rows(values_only=True))
    assert [r[1:6] for r in rows[1 : 1 + len(shortage)]] == [
        (s["trade_name"], s["places"], s["workers"], s["ratio"], s["previous_ratio"]) for s in shortage
    ]
    funnel = [r for r in book["本月成效"].iter_rows(min_row=2, values_only=True) if r[1]]  # (not the note)
    by_kind = {kind: [r[3:8] for r in funnel if r[0] == kind] for kind in ("驿站", "一体机", "大屏", "合计")}
    # (category, name, station, visits, scans, applications, contacted, hired, shares)
    assert (7, 5, 5, 3, 1) in by_kind["驿站"] and (1, 0, 1, 1, 1) in by_kind["驿站"]
    assert sorted(by_kind["一体机"]) == [(1, None, 1, 1, 1), (7, None, 3, 2, 1)]
    assert by_kind["大屏"] == [(None, 5, 2, 1, 0)]
    assert [r[3:] for r in funnel if r[0] == "合计"] == [(8, 5, 6, 4, 2, "67%", "33%")]
    with hub.app.state.db.read() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "outcomes.export")) is not None

    # station 2's staff: their station and its kiosk only
    admin.create_user(hub.settings, "s2", "station", "station two password", [2])
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s2", "station two password").status_code == 303
    page = hub.client.get("/staff/dashboard")
    assert "刷卡 1 人次 · 扫码 0 次 → 报名 1" in page.text
    book = load_workbook(io.BytesIO(hub.client.get("/staff/outcomes.xlsx").content))
    funnel = [r for r in book["本月成效"].iter_rows(min_row=2, values_only=True) if r[1]]  # (not the note)
    assert [r[0] for r in funnel] == ["驿站", "一体机", "合计"]
    assert funnel[-1][3:8] == (1, 0, 1, 1, 1)
