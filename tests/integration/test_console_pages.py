"""The console's other pages in-process: edit, copy and fill postings; CSV import (all or nothing);
employers edited and verified; device settings, picture and revocation; announcements; dashboard."""

import base64
import datetime as dt
import io
import json
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from hub.announcements.models import Announcement
from hub.employers.models import Employer
from hub.feed.models import FeedState
from hub.postings.models import Posting, PostingStatus
from tests.integration.test_console import GOOD_CODE, csrf_of, logged_in
from wire.protocol import HEARTBEAT_PATH

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

POSTING = {
    "title": "钢筋工",
    "trade_id": "1",
    "employer_id": "1",
    "headcount": "3",
    "filled": "0",
    "pay_min": "300",
    "pay_max": "380",
    "pay_unit": "day",
    "settlement": "daily",
    "work_start": "2026-11-22",
    "daily_hours": "07:00-17:00",
    "valid_days": "7",
    "address": "青川区滨江路8号",
    "contact_person": "王经理",
    "contact_phone": "13800001111",
    "all_stations": "yes",
}


def publish(client) -> int:
    page = client.get("/staff/postings/new")
    done = client.post("/staff/postings/new", data={**POSTING, "csrf_token": csrf_of(page)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return int(done.headers["location"].split("=")[1])


def count(hub, model) -> int:
    with hub.app.state.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_edit_copy_and_mark_a_posting_full(hub):
    client = logged_in(hub)
    pid = publish(client)
    edit = client.get(f"/staff/postings/{pid}/edit")
    assert 'value="钢筋工"' in edit.text and 'value="380"' in edit.text
    wrong = client.post(f"/staff/postings/{pid}/edit", data={**POSTING, "filled": "5", "csrf_token": csrf_of(edit)})
    assert wrong.status_code == 422 and 'id="filled-error"' in wrong.text
    client.post(
        f"/staff/postings/{pid}/edit",
        data={
            **POSTING,
            "title": "钢筋工（加急）",
            "station_ids": ["1", "2"],
            "all_stations": "",
            "csrf_token": csrf_of(edit),
        },
    )
    with hub.app.state.db.read() as s:
        p = s.get(Posting, pid)
        assert p.title == "钢筋工（加急）" and sorted(st.id for st in p.stations) == [1, 2] and p.version == 2
    copy = client.get(f"/staff/postings/{pid}/copy")
    assert 'value="钢筋工（加急）"' in copy.text and 'action="/staff/postings/new"' in copy.text
    client.post(f"/staff/postings/{pid}/full", data={"csrf_token": csrf_of(copy), "confirmed": "yes"})
    with hub.app.state.db.read() as s:
        p = s.get(Posting, pid)
        assert p.status is PostingStatus.FULL and p.filled == p.headcount
        tomb = s.scalar(select(FeedState).where(FeedState.kind == "posting", FeedState.entity_id == pid))
        gone = json.loads(tomb.doc)
        assert gone["reason"] == "full" and "title" not in gone  # a tombstone: full postings leave the screens
    assert "钢筋工（加急）" in client.get("/staff?status=full").text


CSV_HEAD = "岗位名称,工种,用工单位,招几人,最低工资,最高工资,计薪,结算,开工日期,工作地点,联系人,联系电话,驿站\n"


def csv_rows(hub, rows: list[str], encoding="utf-8-sig") -> bytes:
    return (CSV_HEAD + "".join(r + "\n" for r in rows)).encode(encoding)


def names(hub):
    with hub.app.state.db.read() as s:
        from hub.stations.models import Station
        from hub.trades.models import Trade

        return s.get(Trade, 1).name, s.get(Employer, 1).name, s.get(Station, 1).name


def test_csv_import_is_all_or_nothing_with_a_report_per_row(hub):
    client = logged_in(hub)
    trade, employer, station = names(hub)
    good = f"搬运工,{trade},{employer},4,200,260,元/天,日结,2026-11-25,青川区物流园,李经理,13800002222,{station}"
    bad_trade = f"保洁,没有的工种,{employer},2,150,180,元/天,日结,2026-11-25,青川区,李经理,13800002222,"
    bad_pay = f"保安,{trade},{employer},2,300,200,元/天,日结,2026-11-25,青川区,李经理,13800002222,"
    before = count(hub, Posting)
    page = client.get("/staff/postings/import")
    answer = client.post(
        "/staff/postings/import",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("p.csv", csv_rows(hub, [good, bad_trade, good, bad_pay]), "text/csv")},
    )
    assert answer.status_code == 422 and 'id="import-errors"' in answer.text
    assert re.search(r"<td[^>]*>3</td><td[^>]*>工种</td>", answer.text)
    assert re.search(r"<td[^>]*>5</td><td[^>]*>最高工资</td>", answer.text)
    assert count(hub, Posting) == before  # the good rows were not imported either
    gbk = client.post(
        "/staff/postings/import",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("p.csv", csv_rows(hub, [good, good], "gb18030"), "text/csv")},
    )
    assert gbk.status_code == 200 and 'id="imported"' in gbk.text
    assert count(hub, Posting) == before + 2
    missing = client.post(
        "/staff/postings/import",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("p.csv", "岗位名称\n钢筋工\n".encode(), "text/csv")},
    )
    assert missing.status_code == 422 and "缺少列" in missing.text
    template = client.get("/staff/postings/import.csv")
    assert template.content.startswith(b"\xef\xbb\xbf") and "岗位名称" in template.text


def test_edit_and_verify_an_employer(hub):
    client = logged_in(hub)
    page = client.get("/staff/employers")
    client.post(
        "/staff/employers",
        data={
            "name": "湘江劳务有限公司",
            "credit_code": GOOD_CODE,
            "contact_person": "李经理",
            "contact_phone": "13800002222",
            "district": "青川区",
            "address": "",
            "csrf_token": csrf_of(page),
        },
    )
    with hub.app.state.db.read() as s:
        eid = s.scalar(select(Employer.id).where(Employer.credit_code == GOOD_CODE))
    edit = client.get(f"/staff/employers/{eid}")
    assert 'value="湘江劳务有限公司"' in edit.text
    client.post(f"/staff/employers/{eid}/verify", data={"csrf_token": csrf_of(edit)})
    with hub.app.state.db.read() as s:
        assert s.get(Employer, eid).verified_at is not None
        doc = json.loads(
            s.scalar(select(FeedState.doc).where(FeedState.kind == "employer", FeedState.entity_id == eid))
        )
        assert doc["verified"] is True  # devices show the mark
    bad = client.post(
        f"/staff/employers/{eid}",
        data={
            "name": "湘江劳务有限公司",
            "credit_code": GOOD_CODE[:-1] + "4",
            "contact_person": "李经理",
            "contact_phone": "13800002222",
            "district": "青川区",
            "address": "",
            "csrf_token": csrf_of(edit),
        },
    )
    assert bad.status_code == 422 and 'id="credit_code-error"' in bad.text
    same = {
        "name": "湘江劳务有限公司",
        "credit_code": GOOD_CODE,
        "contact_person": "李经理",
        "contact_phone": "13800002222",
        "district": "青川区",
        "csrf_token": csrf_of(edit),
    }
    client.post(f"/staff/employers/{eid}", data={**same, "address": "滨江路1号"})
    with hub.app.state.db.read() as s:  # a new address: the licence still says what the mark vouches for
        assert s.get(Employer, eid).verified_at is not None
    client.post(f"/staff/employers/{eid}", data={**same, "contact_person": "周经理", "contact_phone": "13800003333"})
    with hub.app.state.db.read() as s:  # security review, finding 7: a new contact takes the mark away
        e = s.get(Employer, eid)
        assert (e.contact_person, e.verified_at is not None) == ("周经理", False)


def png_b64(colour=(20, 120, 40)) -> str:
    out = io.BytesIO()
    Image.new("RGB", (96, 54), colour).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def test_device_settings_picture_and_revocation(hub):
    wall_id, wall = hub.device(kind="display")
    beat = {"self_check": "ok", "showing": "table 1/3", "capture_png_b64": png_b64()}
    assert hub.client.post(HEARTBEAT_PATH, json=beat, headers=wall).status_code < 300
    assert hub.client.post(HEARTBEAT_PATH, json={"self_check": "ok"}, headers=wall).status_code < 300
    client = logged_in(hub)
    page = client.get(f"/staff/devices/{wall_id}")
    assert page.status_code == 200 and 'id="capture"' in page.text and "在线" in page.text
    picture = client.get(f"/staff/devices/{wall_id}/capture.png")
    assert picture.headers["content-type"] == "image/png" and picture.content.startswith(b"\x89PNG")
    wrong = client.post(
        f"/staff/devices/{wall_id}",
        data={
            "name": "大厅大屏",
            "station_id": "1",
            "layout": "table",
            "dwell_s": "1",
            "rotation": "0",
            "show_phone": "masked",
            "csrf_token": csrf_of(page),
        },
    )
    assert wrong.status_code == 422 and 'id="dwell_s-error"' in wrong.text
    saved = client.post(
        f"/staff/devices/{wall_id}",
        data={
            "name": "大厅大屏",
            "station_id": "1",
            "layout": "table",
            "dwell_s": "15",
            "rotation": "90",
            "show_phone": "masked",
            "viewing_distance_m": "12",
            "trades": ["1", "2"],
            "urgent_only": "yes",
            "csrf_token": csrf_of(page),
        },
    )
    assert saved.status_code == 200 and 'id="saved"' in saved.text, re.findall(r"class=\"error\"[^<]*<", saved.text)
    me = hub.client.get("/api/v1/devices/me", headers=wall).json()
    config = me.get("config", me)
    assert config["layout"] == "table" and config["dwell_s"] == 15 and config["rotation"] == 90
    assert config["filters"]["trades"] == [1, 2] and config["filters"]["urgent_only"] is True
    # Revoking asks first: a post that does not say it was confirmed is shown the question, nothing more.
    asked = client.post(f"/staff/devices/{wall_id}/revoke", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].endswith("?revoke=ask#revoke-confirm")
    assert hub.client.post(HEARTBEAT_PATH, json={}, headers=wall).status_code < 300  # still working
    question = client.get(f"/staff/devices/{wall_id}?revoke=ask")
    assert 'id="confirm-revoke"' in question.text and 'name="confirmed" value="yes"' in question.text
    assert 'class="button danger-outline"' in page.text and "保存设置" in page.text  # not the red of 保存
    client.post(f"/staff/devices/{wall_id}/revoke", data={"csrf_token": csrf_of(question), "confirmed": "yes"})
    assert hub.client.post(HEARTBEAT_PATH, json={}, headers=wall).status_code == 401
    assert "已停用" in client.get(f"/staff/devices/{wall_id}").text


def test_announcements_with_scope_window_and_emergency(hub):
    client = logged_in(hub)
    page = client.get("/staff/announcements")
    wrong = client.post(
        "/staff/announcements",
        data={
            "kind": "notice",
            "title": "停水通知",
            "valid_from": "2026-11-22T08:00",
            "valid_to": "2026-11-21T08:00",
            "all_stations": "yes",
            "csrf_token": csrf_of(page),
        },
    )
    assert wrong.status_code == 422 and 'id="valid_to-error"' in wrong.text
    client.post(
        "/staff/announcements",
        data={
            "kind": "emergency",
            "title": "暴雨红色预警：今日停工",
            "body": "户外作业全部暂停",
            "valid_from": "2026-11-01T08:00",
            "valid_to": "2027-01-01T08:00",
            "station_ids": ["1"],
            "csrf_token": csrf_of(page),
        },
    )
    with hub.app.state.db.read() as s:
        a = s.scalar(select(Announcement).where(Announcement.title == "暴雨红色预警：今日停工"))
        assert a.kind.value == "emergency" and [st.id for st in a.stations] == [1]
        doc = json.loads(
            s.scalar(select(FeedState.doc).where(FeedState.kind == "announcement", FeedState.entity_id == a.id))
        )
    assert doc["kind"] == "emergency" and doc["title"] == "暴雨红色预警：今日停工"
    listing = client.get("/staff/announcements")
    assert "进行中" in listing.text
    client.post(f"/staff/announcements/{a.id}/withdraw", data={"csrf_token": csrf_of(listing)})
    with hub.app.state.db.read() as s:
        assert s.get(Announcement, a.id) is None


def test_dashboard_draws_its_charts(hub):
    from tests.integration.test_events import application, post

    kiosk_id, kiosk = hub.device(station_id=1)
    post(hub, kiosk, [application(hub, kiosk_id, 1, posting=1)])
    with hub.app.state.db.write() as s:
        s.get(Employer, 1).name = "<b>坏</b>单位"
    client = logged_in(hub)
    page = client.get("/staff/dashboard")
    assert page.status_code == 200
    for chart in ("daily", "trades", "stations", "placed", "takers"):
        assert f'id="{chart}"><svg' in page.text, chart
    assert "今天报名" in page.text and "在线" in page.text
    assert "<b>坏" not in page.text


def test_hostile_form_values_get_a_clear_refusal(hub):
    """Security review, finding 9: console forms answered 500 to `inf`, absurd numbers and a field
    sent twice, and so did huge ids in query strings and /o/new with pay=inf."""
    client = logged_in(hub)
    page = client.get("/staff/postings/new")
    token = csrf_of(page)
    for change in (
        {"pay_min": "inf"},
        {"pay_max": "nan"},
        {"headcount": "1e309"},
        {"valid_days": "9" * 30},
        {"trade_id": "9" * 25},
        {"employer_id": "-1"},
        {"age_min": "99999999999999999999"},
        {"work_start": "0001-01-01"},
        {"title": "钢筋工\x00"},
    ):
        r = client.post("/staff/postings/new", data={**POSTING, **change, "csrf_token": token})
        assert 400 <= r.status_code < 500, (change, r.status_code)
    doubled = client.post(
        "/staff/postings/new",
        content=f"title=a&title=b&csrf_token={token}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert doubled.status_code == 422 and "表单字段重复" in doubled.text
    pid = publish(client)
    wall_id, _ = hub.device(kind="display")
    for path, data in (
        (f"/staff/devices/{wall_id}", {"dwell_s": "inf", "rotation": "nan"}),
        (f"/staff/devices/{wall_id}", {"stale_after_s": "1e400", "trades": ["9" * 30]}),
        (f"/staff/postings/{pid}/edit", {**POSTING, "filled": "Infinity"}),
        ("/staff/interviews", {"posting_id": "9" * 40, "booth_id": "1", "starts_at": "x", "count": "1e9"}),
    ):
        r = client.post(path, data={**data, "csrf_token": token})
        assert 400 <= r.status_code < 500 or (r.status_code == 303 and "saved" not in r.headers.get("location", "")), (
            path,
            data,
            r.status_code,
        )
    for query in (
        "/staff/applications?posting=" + "9" * 30,
        "/staff/applications?station=-99999999999999999999",
        "/staff/orders?order=" + "9" * 30,
        "/staff/audit?before=" + "9" * 30,
        "/staff?status=%00",
    ):
        assert client.get(query).status_code < 500, query
    order_page = hub.client.get("/o/new")
    for pay in ("inf", "-inf", "nan", "1e309", "9" * 400):
        r = hub.client.post(
            "/o/new",
            data={
                "need": "修灯",
                "district": "青川区",
                "address": "滨江路8号",
                "when_text": "周六上午",
                "pay": pay,
                "resident_phone": "13700002222",
                "station_id": "1",
                "consent": "yes",
                "csrf_token": csrf_of(order_page),
            },
        )
        assert r.status_code == 422 and 'id="pay_fen-error"' in r.text, pay


def test_the_audit_trail_names_records_in_words_and_finds_them_so(hub):
    """The trail keeps posting_id=12; staff read 岗位 12 and may type it to search."""
    client = logged_in(hub)
    posting = publish(client)
    page = client.get("/staff/postings/new")
    assert client.post(f"/staff/postings/{posting}/full", data={"csrf_token": csrf_of(page)}).status_code < 400
    trail = client.get("/staff/audit")
    assert f"岗位 {posting}" in trail.text and f"posting_id={posting}" not in trail.text
    for typed in (f"岗位 {posting}", f"岗位{posting}", f"posting_id={posting}"):
        found = client.get("/staff/audit", params={"target": typed})
        assert f"岗位 {posting}" in found.text and "没有符合条件的记录" not in found.text, typed
    assert "没有符合条件的记录" in client.get("/staff/audit", params={"target": "岗位 999999"}).text


def test_the_console_says_plainly_how_devices_and_postings_stand(hub):
    """Plain words for staff: devices that have not got the newest postings, 在招岗位 counted as the
    kiosks and walls count it, no 接口令牌 / 优先级 / bare GCJ-02 paragraph."""
    kiosk_id, kiosk = hub.device(station_id=1)
    client = logged_in(hub)
    assert hub.client.post(HEARTBEAT_PATH, json={"cursor": 0}, headers=kiosk).status_code < 300
    page = client.get("/staff/dashboard")
    assert "1台设备还没收到最新岗位" in page.text and "变更" not in page.text and "在招空位" not in page.text
    head = hub.app.state.feed.head
    assert f"还没收到最新的{head}条" in client.get("/staff/devices").text
    assert f"还没收到最新的{head}条" in client.get(f"/staff/devices/{kiosk_id}").text
    assert hub.client.post(HEARTBEAT_PATH, json={"cursor": head}, headers=kiosk).status_code < 300
    page = client.get("/staff/dashboard")
    assert "在线的设备都已收到最新岗位" in page.text and "还没收到" not in page.text
    with hub.app.state.db.read() as s:
        now = dt.datetime.now(dt.UTC)
        open_now = s.scalar(select(func.count()).where(Posting.status == PostingStatus.OPEN, Posting.valid_to > now))
    assert re.search(rf'在招岗位</p><p class="figure">{open_now}</p>', page.text)
    assert "接口令牌" not in client.get("/staff/users").text
    assert "优先级" not in client.get("/staff/announcements").text
    form = client.get("/staff/postings/new").text
    help_text = re.search(r'id="coordinates-help">(.*?)</p>', form)[1]
    assert "GCJ-02" not in help_text and "百度" in help_text
    assert re.search(r"<summary>技术说明</summary>.*GCJ-02", form)


def test_every_list_cell_says_what_it_is_on_a_phone(hub):
    """Under 600 px a table row becomes a card and its header row is hidden: each cell carries its
    label (data-label), so a phone does not show bare numbers and a bare credit code."""
    client = logged_in(hub)
    page = client.get("/staff/announcements")
    assert (
        client.post(
            "/staff/announcements",
            data={
                "kind": "notice",
                "title": "春节放假",
                "valid_from": "2026-11-01T08:00",
                "valid_to": "2027-01-01T08:00",
                "all_stations": "yes",
                "csrf_token": csrf_of(page),
            },
        ).status_code
        < 400
    )
    for path in ("/staff/employers", "/staff/announcements", "/staff", "/staff/users", "/staff/posters"):
        body = client.get(path).text.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        cells = re.findall(r"<td[^>]*>", body)
        bare = [c for c in cells if "data-label" not in c and "actions" not in c and "colspan" not in c]
        assert cells and not bare, (path, bare[:3])
