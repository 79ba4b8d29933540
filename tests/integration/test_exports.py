"""The console's Excel exports: each holds what its page lists to the same staff member (a
station's staff their own stations' names and phones only), is on the audit trail, and keeps a
value typed as "=…" as text; the month's 台账 by station adds up."""

import io
import re
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from hub import admin
from hub.audit.models import AuditEntry
from hub.orders import service as orders
from hub.orders.schemas import OrderIn
from tests.support.console import ADMIN_PASSWORD, STATION_PASSWORD, sign_in
from tests.support.hub import open_postings

PEOPLE = {
    1: {"id_number": "11010519491231002X", "name": "张一", "phone": "13812340001", "consent": True},
    2: {"id_number": "110105194912310046", "name": "李二", "phone": "13812340002", "consent": True},
}


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def sheet_rows(answer) -> list[list]:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(answer.content))
    assert len(book.worksheets) == 1
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    body = rows[1 : rows.index([None] * len(rows[0])) if [None] * len(rows[0]) in rows else len(rows)]
    return [rows[0], *[r for r in body if any(v is not None for v in r)]]


def console(hub, name: str, role: str, password: str, stations: list[int]) -> TestClient:
    admin.create_user(hub.settings, name, role, password, stations)
    client = TestClient(hub.app)
    assert sign_in(client, name, password).status_code == 303
    return client


def apply_at(hub, station: int) -> None:
    device_id, device = hub.device("kiosk", station_id=station)
    posting = open_postings(hub.app.state.db, station)[0]
    person = PEOPLE[station]
    body = {"posting": posting, "person": hub.seal(person, device_id, "application", 1)}
    batch = [{"n": 1, "uid": uuid.uuid4().hex, "kind": "application", "at": time.time(), "body": body}]
    answer = hub.client.post("/api/v1/sync/events", json={"events": batch}, headers=device).json()
    assert answer["results"][0]["status"] == "applied", answer


def order_at(hub, station: int, details: str = "") -> None:
    with hub.app.state.db.write() as s:
        orders.submit(
            s,
            OrderIn(
                need="修灯",
                details=details,
                district="青川区",
                address=f"滨江路{station}号",
                when_text="周六上午",
                pay_fen=8000,
                resident_phone=f"1370000000{station}",
                station_id=station,
                consent=True,
            ),
        )


def audited(hub, action: str, actor: str) -> int:
    with hub.app.state.db.read() as s:
        return len(s.query(AuditEntry).filter_by(action=action, actor=actor).all())


def test_exports_hold_what_the_pages_list_to_each_staff_member(hub):
    apply_at(hub, 1)
    apply_at(hub, 2)
    order_at(hub, 1, details='=HYPERLINK("http://evil.example","点我")')
    order_at(hub, 2)
    boss = console(hub, "boss", "admin", ADMIN_PASSWORD, [])
    station = console(hub, "s1", "station", STATION_PASSWORD, [1])

    # Applications: the page's codes, with names and phones; a station's staff only their own.
    page_codes = re.findall(r'data-label="报名码" class="nowrap">([^<]+)<', boss.get("/staff/applications").text)
    head, *rows = sheet_rows(boss.get("/staff/applications.xlsx"))
    assert head == ["报名码", "报名时间", "岗位", "用工单位", "驿站", "姓名", "电话", "状态"]
    assert [r[0] for r in rows] == page_codes and len(rows) == 2
    assert {(r[5], r[6]) for r in rows} == {("张一", "13812340001"), ("李二", "13812340002")}
    _, *mine = sheet_rows(station.get("/staff/applications.xlsx"))
    assert [(r[5], r[6]) for r in mine] == [("张一", "13812340001")]
    mine_page = station.get("/staff/applications")
    assert 'href="/staff/applications.xlsx"' in mine_page.text and "13812340002" not in mine_page.text
    _, *filtered = sheet_rows(boss.get("/staff/applications.xlsx", params={"q": "0002"}))
    assert [r[6] for r in filtered] == ["13812340002"]
    assert audited(hub, "applications.export", "s1") == 1 and audited(hub, "applications.export", "boss") == 2

    # Household orders: scoped alike, audited, and a typed formula stays text.
    _, *all_orders = sheet_rows(boss.get("/staff/orders.xlsx"))
    assert sorted(r[7] for r in all_orders) == ["13700000001", "13700000002"]
    _, *own_orders = sheet_rows(station.get("/staff/orders.xlsx"))
    assert [r[7] for r in own_orders] == ["13700000001"]
    assert own_orders[0][3] == '=HYPERLINK("http://evil.example","点我")'
    cell = load_workbook(io.BytesIO(station.get("/staff/orders.xlsx").content)).active["D2"]
    assert cell.data_type == "s"
    assert audited(hub, "orders.export", "s1") == 2 and 'href="/staff/orders.xlsx"' in station.get("/staff/orders").text

    # Postings: the list's filters, every row the page counts.
    listing = boss.get("/staff", params={"status": "all"}).text
    total = int(re.search(r"全部：共(\d+)条", listing).group(1))
    link = re.search(r'href="(/staff/postings\.xlsx[^"]*)" id="postings-export"', listing).group(1)
    head, *postings = sheet_rows(boss.get(link.replace("&amp;", "&")))
    assert head[:3] == ["编号", "岗位", "工种"] and len(postings) == total
    ids_on_page = [int(i) for i in re.findall(r'<tr id="posting-(\d+)"', listing)]
    assert [r[0] for r in postings][: len(ids_on_page)] == ids_on_page

    # The month's 台账: a station's staff their own station; administrators every one and the total.
    dashboard = station.get("/staff/dashboard").text
    assert 'href="/staff/figures.xlsx" id="figures-export"' in dashboard
    last_month = re.search(r'href="/staff/figures\.xlsx\?month=(\d{4}-\d{2})" id="figures-export-last"', dashboard)
    assert last_month and sheet_rows(station.get("/staff/figures.xlsx", params={"month": last_month[1]}))[1][3] == 0
    head, *mine = sheet_rows(station.get("/staff/figures.xlsx"))
    assert head[0] == "驿站" and len(mine) == 2 and mine[-1][0] == "合计"
    assert (mine[0][3], mine[0][6]) == (1, 1)  # one application, one household order this month
    _, *every = sheet_rows(boss.get("/staff/figures.xlsx"))
    total_row = every[-1]
    assert total_row[3] == sum(r[3] for r in every[:-1]) == 2
    assert total_row[6] == 2 and total_row[1] >= max(r[1] for r in every[:-1])
    assert sheet_rows(boss.get("/staff/figures.xlsx", params={"month": "2001-01"}))[-1][3] == 0
    assert sheet_rows(boss.get("/staff/figures.xlsx", params={"month": "garbage"}))[-1][3] == 2  # this month
    assert audited(hub, "figures.export", "s1") == 2  # last month, this month
