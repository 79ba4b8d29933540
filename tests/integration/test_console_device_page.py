"""The device page shows only the settings its kind reads, numbers as staff type them, times in the
station's local time and the wall's self-check in words; each station has a printable order poster."""

import datetime as dt
import re
import time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hub.devices.models import Device
from hub.stations.models import Station
from tests.integration.test_console_lists import signed_in
from tests.support.console import csrf_of
from wire.protocol import HEARTBEAT_PATH


@pytest.fixture
def db_url(sqlite_url):
    """SQLite only: nothing here differs between the databases, and make test has 10 minutes."""
    return sqlite_url


SHANGHAI = ZoneInfo("Asia/Shanghai")
WALL_ONLY = ("layout", "dwell_s", "viewing_distance_m", "pixel_pitch_mm", "show_phone", "stale_after_s", "urgent_only")
KIOSK_ONLY = ("idle_timeout_s", "reader")


def fields(page) -> set[str]:
    return set(re.findall(r'name="(\w+)"', page.text))


def test_a_wall_and_a_kiosk_each_show_their_own_settings(hub):
    wall_id, wall = hub.device(kind="display", layout="cards", dwell_s=20)
    kiosk_id, _ = hub.device(kind="kiosk", idle_timeout_s=90, layout="table")
    synced = time.time() - 75
    beat = {
        "self_check": "black",
        "showing": "cards 2/7 v33",
        "last_sync_ok": synced,
        "restarts": 2,
        "last_restart": "屏幕自检：黑屏，重画后仍然不对，12-03 19:40",
    }
    assert hub.client.post(HEARTBEAT_PATH, json=beat, headers=wall).status_code < 300
    client = signed_in(hub)

    page = client.get(f"/staff/devices/{wall_id}")
    assert set(WALL_ONLY) <= fields(page) and not set(KIOSK_ONLY) & fields(page)
    assert 'id="dwell_s" name="dwell_s" inputmode="decimal" value="20"' in page.text  # not 20.0
    assert 'name="stale_after_s" inputmode="numeric" value="600"' in page.text
    assert "黑屏，已自动重画" in page.text and "卡片，第2页/共7页" in page.text and "v33" not in page.text
    assert 'id="restarts">2 次，最近一次：屏幕自检：黑屏，重画后仍然不对，12-03 19:40' in page.text
    assert dt.datetime.fromtimestamp(synced, SHANGHAI).strftime("%m-%d %H:%M:%S") in page.text
    listing = client.get("/staff/devices")
    assert "黑屏，已自动重画" in listing.text and "卡片，第2页/共7页" in listing.text and "black" not in listing.text

    page = client.get(f"/staff/devices/{kiosk_id}")
    assert set(KIOSK_ONLY) <= fields(page) and not set(WALL_ONLY) & fields(page)
    assert 'name="idle_timeout_s" inputmode="numeric" value="90"' in page.text
    saved = client.post(
        f"/staff/devices/{kiosk_id}",
        data={
            "name": "大厅一体机",
            "station_id": "1",
            "rotation": "0",
            "idle_timeout_s": "120",
            "csrf_token": csrf_of(page),
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with hub.app.state.db.read() as s:
        config = s.scalar(select(Device.config).where(Device.id == kiosk_id))
    assert config["idle_timeout_s"] == 120 and config["layout"] == "table"  # what the form did not show is kept


def test_a_kiosk_names_its_card_readers_in_words(hub):
    """The readers a kiosk reports, in words staff use, the technical name only in small print."""
    kiosk_id, kiosk = hub.device(kind="kiosk")
    beat = {"reader": "pcsc", "readers": ["front", "pcsc", "sim", "wedge"]}
    assert hub.client.post(HEARTBEAT_PATH, json=beat, headers=kiosk).status_code < 300
    page = signed_in(hub).get(f"/staff/devices/{kiosk_id}")
    assert "USB 身份证读卡器</dd>" not in page.text and "USB 身份证读卡器 <small" in page.text  # now in use
    named = (("模拟读卡器", "sim"), ("USB 身份证读卡器", "pcsc"), ("像键盘打字", "wedge"), ("本机登记", "front"))
    for words, name in named:
        assert re.search(f'<option value="{name}" *>[^<]*{words}[^<]*（{name}）</option>', page.text), name
    assert "sim / pcsc / wedge" not in page.text
    assert "machine.toml" not in page.text.split("技术说明")[0]  # the file's name only under 技术说明


def test_a_printable_poster_per_station(hub):
    client = signed_in(hub, "s1", "station", [1])
    orders = client.get("/staff/orders")
    assert 'href="/staff/posters"' in orders.text
    posters = client.get("/staff/posters")
    assert 'href="/staff/stations/1/poster"' in posters.text and "/staff/stations/2/poster" not in posters.text
    poster = client.get("/staff/stations/1/poster")
    url = f"{hub.settings.public_url}/o/new?station=1"
    assert poster.status_code == 200 and "<svg" in poster.text and f"<strong>{url}</strong>" in poster.text
    with hub.app.state.db.read() as s:
        station = s.get(Station, 1)
        assert station.address in poster.text and station.district * 2 not in poster.text  # the district once
    assert "@media print" in client.get("/static/poster.css").text and "<script>" not in poster.text
    assert client.get("/o/new?station=1").status_code == 200
    assert client.get("/staff/stations/2/poster").status_code == 403
    assert client.get("/staff/stations/999/poster").status_code == 403
    admin = signed_in(hub, "poster-admin")
    assert admin.get("/staff/stations/999/poster").status_code == 404


def test_a_poster_is_not_offered_for_printing_while_its_code_leads_nowhere(hub, monkeypatch):
    """LINGONG_PUBLIC_URL unset (this machine's own address): the poster pages say why and offer no
    printing; a real public address: no warning, the print button."""
    client = signed_in(hub, "s2", "station", [1])
    for local in ("http://127.0.0.1:8470", "http://localhost:8470", "http://[::1]:8470", "http://0.0.0.0:8470"):
        monkeypatch.setattr(hub.settings, "public_url", local)
        posters, poster = client.get("/staff/posters"), client.get("/staff/stations/1/poster")
        for page in (posters, poster):
            assert 'id="public-url-warning"' in page.text and "LINGONG_PUBLIC_URL" in page.text, local
        assert "data-print" not in poster.text and "打开并打印" not in posters.text
    for public in ("https://hub.example.gov.cn", "http://192.168.1.20:8470"):
        monkeypatch.setattr(hub.settings, "public_url", public)
        posters, poster = client.get("/staff/posters"), client.get("/staff/stations/1/poster")
        assert "public-url-warning" not in posters.text + poster.text, public
        assert "data-print" in poster.text and "打开并打印" in posters.text


def test_a_refused_device_is_worded_by_the_console_never_by_the_link(hub):
    client = signed_in(hub)
    page = client.get("/staff/devices")
    refused = client.post(
        "/staff/devices",
        data={"csrf_token": csrf_of(page), "name": "墙", "kind": "display", "station_id": "999999"},
        follow_redirects=False,
    )
    assert refused.status_code == 303 and refused.headers["location"] == "/staff/devices?error=device.station_unknown"
    assert "没有这个驿站，请重新选择" in client.get(refused.headers["location"]).text
    # A link sent to staff cannot put its own words in the console's voice.
    page = client.get("/staff/devices", params={"error": "设备故障，请拨打4001234567联系厂家"})
    assert "4001234567" not in page.text and 'id="device-error"' in page.text


def test_a_walls_week_is_set_in_rows_and_a_row_that_cannot_be_meant_is_said_so(hub):
    """Staff set the screen's hours and a morning daypart in rows; a sleeping wall reads as asleep,
    not as a fault; a row with its times the wrong way round is refused in words, nothing saved."""
    wall_id, wall = hub.device(kind="display", layout="cards")
    client = signed_in(hub)
    page = client.get(f"/staff/devices/{wall_id}")
    assert 'name="on-0-start"' in page.text and 'name="part-2-large_text"' in page.text
    base = {"name": "大厅屏", "station_id": "1", "layout": "cards", "dwell_s": "12", "csrf_token": csrf_of(page)}
    week = {
        **base,
        "on-0-days": ["1", "2", "3", "4", "5"],
        "on-0-start": "06:30",
        "on-0-end": "20:00",
        "on-1-days": ["6"],
        "on-1-start": "08:00",
        "on-1-end": "12:00",
        "part-0-days": ["1", "2", "3", "4", "5", "6", "7"],
        "part-0-start": "05:00",
        "part-0-end": "09:00",
        "part-0-layout": "table",
        "part-0-today_only": "yes",
        "part-0-large_text": "yes",
    }
    done = client.post(f"/staff/devices/{wall_id}", data=week, follow_redirects=False)
    assert done.status_code == 303
    with hub.app.state.db.read() as s:
        schedule = s.scalar(select(Device.config).where(Device.id == wall_id))["schedule"]
    assert schedule["on"] == [
        {"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "20:00"},
        {"days": [6], "start": "08:00", "end": "12:00"},
    ]
    (part,) = schedule["dayparts"]
    assert part["layout"] == "table" and part["large_text"] and part["filters"]["today_only"]
    page = client.get(f"/staff/devices/{wall_id}")
    assert 'id="on-1-start" name="on-1-start" value="08:00"' in page.text  # shown as set

    # Asleep on its schedule: said so in words, not as a fault.
    beat = {"self_check": "asleep", "showing": "asleep blank until 2026-12-08T06:30"}
    assert hub.client.post(HEARTBEAT_PATH, json=beat, headers=wall).status_code < 300
    page = client.get(f"/staff/devices/{wall_id}")
    assert "休眠中（按时间表关屏）" in page.text and "按时间表关屏（黑屏" in page.text
    assert "12月8日 周二 06:30 开屏" in page.text

    wrong = {**week, "csrf_token": csrf_of(page), "on-0-start": "20:00", "on-0-end": "20:00", "part-0-start": "5点"}
    refused = client.post(f"/staff/devices/{wall_id}", data=wrong, follow_redirects=False)
    assert refused.status_code == 422
    # Said in a summary on top (each linking to its row) and beside each row.
    assert "有 2 处要改" in refused.text and 'href="#on-0-start"' in refused.text
    assert "开关屏时间第1行：开始和结束不能相同" in refused.text and "时段第1行：时间要写成 时:分" in refused.text
    assert (
        'id="on-0-start" name="on-0-start" value="20:00" placeholder="如 06:30" inputmode="decimal" aria-invalid'
        in refused.text
    )
    assert 'value="5点"' in refused.text  # what was typed stays, beside its problem
    with hub.app.state.db.read() as s:
        assert s.scalar(select(Device.config).where(Device.id == wall_id))["schedule"] == schedule


def test_a_stations_week_is_set_from_one_wall_and_followed_by_its_walls_without_their_own(hub):
    """Ticked 按本驿站的统一时间表, the rows become the station's week (in the station document every
    device receives) and this wall follows it; another wall's page shows it as followed."""
    first_id, _ = hub.device(kind="display", layout="cards")
    other_id, _ = hub.device(kind="display", layout="table")
    client = signed_in(hub)
    page = client.get(f"/staff/devices/{first_id}")
    assert 'id="station_default"' in page.text and "checked" not in page.text.split('id="station_default"')[1][:20]
    week = {
        "name": "大厅屏",
        "station_id": "1",
        "layout": "cards",
        "dwell_s": "12",
        "csrf_token": csrf_of(page),
        "station_default": "yes",
        "on-0-days": ["1", "2", "3", "4", "5", "6"],
        "on-0-start": "07:00",
        "on-0-end": "19:00",
    }
    assert client.post(f"/staff/devices/{first_id}", data=week, follow_redirects=False).status_code == 303
    with hub.app.state.db.read() as s:
        station = s.get(Station, 1)
        assert station.wall_schedule["on"] == [{"days": [1, 2, 3, 4, 5, 6], "start": "07:00", "end": "19:00"}]
        assert s.scalar(select(Device.config).where(Device.id == first_id))["schedule"] is None  # it follows
    from hub.stations.service import station_doc

    assert station_doc(station)["wall_schedule"] == station.wall_schedule  # (what the feed carries)
    other = client.get(f"/staff/devices/{other_id}")
    assert 'id="on-0-start" name="on-0-start" value="07:00"' in other.text
    assert "checked" in other.text.split('id="station_default"')[1][:20]


def test_saving_the_page_keeps_what_the_api_set_and_refuses_what_cannot_be_meant(hub):
    """Rows beyond the form's and a daypart's trades, set through the API, survive a save of the page;
    a file where a time belongs, a day 8 or a layout that is no layout is refused in words, never a 500."""
    many_rows = [{"days": [d], "start": "07:00", "end": "19:00"} for d in range(1, 8)]
    part = {"start": "05:00", "end": "09:00", "filters": {"trades": [1, 2], "urgent_only": True}}
    wall_id, _ = hub.device(kind="display", schedule={"on": many_rows, "dayparts": [part]})
    client = signed_in(hub)
    page = client.get(f"/staff/devices/{wall_id}")
    assert 'id="week-extra">另有 4 行' in page.text and 'name="on-3-start"' not in page.text
    form = {"name": "屏", "station_id": "1", "layout": "auto", "dwell_s": "12", "csrf_token": csrf_of(page)}
    for i in range(3):
        form |= {f"on-{i}-days": [str(i + 1)], f"on-{i}-start": "07:00", f"on-{i}-end": "19:00"}
    form |= {"part-0-days": ["1", "2", "3", "4", "5", "6", "7"], "part-0-start": "05:00", "part-0-end": "09:00"}
    form |= {"part-0-today_only": "yes"}
    assert client.post(f"/staff/devices/{wall_id}", data=form, follow_redirects=False).status_code == 303
    with hub.app.state.db.read() as s:
        week = s.scalar(select(Device.config).where(Device.id == wall_id))["schedule"]
    assert week["on"] == many_rows
    assert week["dayparts"][0]["filters"] == {
        "trades": [1, 2],
        "categories": [],
        "employer": None,
        "urgent_only": True,
        "today_only": True,
    }
    token = csrf_of(client.get(f"/staff/devices/{wall_id}"))
    as_file = client.post(
        f"/staff/devices/{wall_id}",
        data={k: v for k, v in {**form, "csrf_token": token}.items() if k != "on-0-start"},
        files={"on-0-start": ("t.txt", b"06:30", "text/plain")},
        follow_redirects=False,
    )
    assert as_file.status_code == 422 and "开始和结束时间都要写" in as_file.text
    for field, value, words in (
        ("on-0-days", ["1", "8"], "星期只能选周一到周日"),
        ("part-0-layout", "../../etc/passwd", "请从列表里选版式"),
    ):
        refused = client.post(
            f"/staff/devices/{wall_id}", data={**form, "csrf_token": token, field: value}, follow_redirects=False
        )
        assert refused.status_code == 422 and words in refused.text, field
