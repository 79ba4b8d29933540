"""The booth end to end: a worker books at a kiosk (the kiosk's real booking event), taps the card
at the booth (the real booth app, offscreen, the real agent), and a stand-in browser is launched on
the booth's local page for the right room; when the call ends the booth clears itself. A card
with no booking sees the next free slots."""

import datetime as dt
import json
import os
import random
import subprocess
import sys

import pytest
import requests

from cardreader.fictional import person
from device import machine
from hub.db import Database
from hub.interviews.models import InterviewSlot
from tests.integration.test_link import enroll
from tests.support.hub import ROOT, lingong_env
from wire import sealed

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

ID, NAME = "11010519491231002X", "张三"  # the standard's published example number, a made-up name
OTHER = person(random.Random(21)).id_number  # a fictional second person


def book_at_a_kiosk(hub, slot_id: int) -> dict:
    enrolled = requests.post(
        f"{hub.url}/api/v1/devices/enroll", json={"code": hub.add_device("kiosk")}, timeout=10
    ).json()
    person = sealed.seal(
        enrolled["hub_public_key"],
        {"id_number": ID, "name": NAME, "phone": None, "consent": False},
        sealed.event_context(enrolled["device_id"], "booking", 1),
    )
    answer = requests.post(
        f"{hub.url}/api/v1/sync/events",
        timeout=10,
        headers={"Authorization": f"Bearer {enrolled['token']}"},
        json={
            "events": [
                {
                    "n": 1,
                    "uid": "c" * 32,
                    "kind": "booking",
                    "at": 1_795_000_000,
                    "body": {"slot": slot_id, "person": person},
                }
            ]
        },
    )
    return answer.json()["results"][0]


def test_a_booked_worker_taps_the_card_and_the_room_opens(sqlite_hub, tmp_path):
    home, launches = tmp_path / "booth", tmp_path / "browser"
    launches.mkdir()
    store = enroll(sqlite_hub, home, kind="booth", jitsi_domain="meet.example.cn", browser="standin")
    # The browser is the booth machine's own program, named in its machine file; the hub names it only.
    machine.write(
        home, browsers={"standin": [sys.executable, "-m", "tests.support.standin_browser", "--kiosk", "--lang=zh-CN"]}
    )
    booth_id = store.enrollment().device_id
    store.close()
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)  # inside the 15-minute check-in window
    made = sqlite_hub.ok(
        "POST",
        "/api/v1/interviews/slots",
        json={"posting_id": 1, "booth_id": booth_id, "starts_at": start.isoformat(), "minutes": 20, "count": 3},
    )
    booked = book_at_a_kiosk(sqlite_hub, made[0]["id"])
    assert booked["status"] == "applied", booked

    env = lingong_env(home, STANDIN_DIR=str(launches), STANDIN_END_AFTER="3")
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.booth_flow", str(home), ID, NAME, OTHER],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
    )
    result = json.loads((home / "result.json").read_text(encoding="utf-8")) if (home / "result.json").exists() else {}
    assert result.get("ok"), (result, out.stderr[-3000:])
    states = [s["state"] for s in result["seen"] if s["state"] != "checking"]  # checking is brief on loopback
    assert states == ["attract", "call", "ended", "attract", "none"], states
    call = next(s for s in result["seen"] if s["state"] == "call")
    assert "面试进行中" in call["headline"]
    none = result["seen"][-1]
    assert none["state"] == "none" and "没有找到" in none["headline"] and "可以预约的时间" in none["detail"]

    [launch] = [json.loads(p.read_text(encoding="utf-8")) for p in launches.glob("launch-*.json")]
    db = Database(sqlite_hub.database_url, pool_size=1)
    with db.read() as s:
        slot = s.get(InterviewSlot, made[0]["id"])
        room, checked_in = slot.room, slot.checked_in_at
    db.dispose()
    assert launch["argv"][:2] == ["--kiosk", "--lang=zh-CN"] and launch["argv"][-1].startswith("http://127.0.0.1:")
    page = launch["page"]
    assert "https://meet.example.cn/external_api.js" in page and f'"{room}"' in page
    assert "script-src 'nonce-" in launch["csp"] and "https://meet.example.cn" in launch["csp"]  # the page's own CSP
    assert (
        json.dumps("张*") in page and "prejoinConfig" in page
    )  # the masked name, as the page's JSON and 'lang: "zhCN"' in page
    assert checked_in is not None and launch.get("hung_up") and launch.get("terminated")
    for secret in (ID, OTHER, NAME):
        assert secret not in json.dumps(launch, ensure_ascii=False), secret
        assert [
            p for p in home.rglob("*") if p.is_file() and p.name != "result.json" and secret.encode() in p.read_bytes()
        ] == [], secret


def test_a_booth_without_its_settings_says_so(sqlite_hub, tmp_path):
    home = tmp_path / "booth"
    enroll(sqlite_hub, home, kind="booth").close()  # no video server set
    # ... on a machine with no browser: no machine file naming one, and no Chromium on its PATH
    out = subprocess.run(
        [sys.executable, "-m", "tests.support.booth_flow", str(home), ID, NAME, "-"],
        env=lingong_env(home, STANDIN_DIR=str(tmp_path), PATH=os.path.dirname(sys.executable)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads((home / "result.json").read_text(encoding="utf-8")) if (home / "result.json").exists() else {}
    assert result.get("ok"), (result, out.stderr[-3000:])
    assert [s["state"] for s in result["seen"]] == ["unconfigured"]  # the card tapped changed nothing
    assert "视频服务器" in result["seen"][0]["headline"] and "浏览器" in result["seen"][0]["headline"]
