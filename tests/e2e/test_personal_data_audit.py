"""The personal-data audit: one end-to-end run touching every place a person's details pass — kiosk
applications (with and without consent), a registration, an interview booking, the booth's
check-in and browser, the phone page, a household order, the staff console — then every file the
hub and the devices wrote (databases and their WAL, logs, outboxes, captures, the booth browser's
page) is searched for the raw ID numbers, names and phone numbers used.

None may appear anywhere, except in the hub's database: an applicant's name and phone given with
consent (for the employer), a registered worker's phone given with consent, and a resident's phone
on their own household order."""

import datetime as dt
import json
import logging
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from cardreader.fictional import person
from cardreader.sim import resident
from device import machine
from floor.logs import ScrubFormatter
from kiosk.data import KioskData
from sync.agent import SyncAgent
from tests.integration.test_link import enroll, open_here
from tests.support.console import ADMIN_PASSWORD, sign_in
from tests.support.hub import ROOT, lingong_env
from tests.support.waiting import until

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def forms(needle: str) -> list[bytes]:
    """The ways a text can sit in a file: UTF-8, and JSON's \\u escapes."""
    escaped = json.dumps(needle)[1:-1].encode()
    return list({needle.encode(), escaped})


def holding(files: list[Path], needle: str) -> list[str]:
    return sorted(str(p) for p in files if any(f in p.read_bytes() for f in forms(needle)))


def post_form(session: requests.Session, url: str, page_url: str, data: dict) -> requests.Response:
    token = CSRF.search(session.get(page_url, timeout=10).text).group(1)
    return session.post(url, data={**data, "csrf_token": token}, timeout=10)


def test_nothing_personal_is_kept_where_it_should_not_be(sqlite_hub, tmp_path):
    rng = random.Random(41)
    consents, refuses, books, phone_applicant, other = (person(rng) for _ in range(5))
    resident_phone = "13700004444"
    hub = sqlite_hub
    _ = hub.staff_token  # the console login "tester"

    # A kiosk: the same calls its screens make, over the real outbox and sync agent.
    kiosk_home, booth_home, browser_dir = tmp_path / "kiosk", tmp_path / "booth", tmp_path / "browser"
    browser_dir.mkdir()
    booth_store = enroll(hub, booth_home, kind="booth", jitsi_domain="meet.example.cn", browser="standin")
    machine.write(booth_home, browsers={"standin": [sys.executable, "-m", "tests.support.standin_browser", "--kiosk"]})
    booth_id = booth_store.enrollment().device_id
    booth_store.close()
    start = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    hub.ok(
        "POST",
        "/api/v1/interviews/slots",
        json={"posting_id": 1, "booth_id": booth_id, "minutes": 20, "count": 2, "starts_at": start.isoformat()},
    )
    store = enroll(hub, kiosk_home)
    kiosk_log = logging.FileHandler(kiosk_home / "kiosk.log", encoding="utf-8")  # as a kiosk logs, scrubber on
    kiosk_log.setFormatter(ScrubFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(kiosk_log)
    logging.getLogger().setLevel(logging.DEBUG)
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    data = KioskData(store)
    data.refresh()
    card = {who: resident(who.id_number, who.name) for who in (consents, refuses, books)}
    data.apply(card[consents], 1, consents.phone, consent=True)
    data.register(card[consents], {"trades": [1], "availability": ["today"]}, consents.phone, consent=True)
    data.register(card[refuses], {"trades": [2], "availability": ["week"]}, refuses.phone, consent=False)
    [slot] = data.slots(1)[:1]
    data.book(card[books], slot)
    agent.push_once()
    until(lambda: store.outbox.count() == 0)
    results = [store.outbox.result(n) for n in range(1, 5)]
    assert [r["status"] for r in results] == ["applied"] * 4, results
    assert [r["status"] for r in data.booking_news(card[books])] == ["confirmed"]
    agent.stop()
    store.close()
    logging.getLogger().removeHandler(kiosk_log)
    kiosk_log.close()

    # The booth: the booked worker checks in and the (stand-in) browser opens the room; then a
    # worker with no booking.
    with open(booth_home / "booth.log", "wb") as booth_log:  # the booth's own log, as its service keeps it
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tests.support.booth_flow",
                str(booth_home),
                books.id_number,
                books.name,
                other.id_number,
            ],
            env=lingong_env(booth_home, STANDIN_DIR=str(browser_dir), STANDIN_END_AFTER="2", LINGONG_LOG_LEVEL="DEBUG"),
            cwd=ROOT,
            stdout=booth_log,
            stderr=subprocess.STDOUT,
            timeout=150,
        )
    assert json.loads((booth_home / "result.json").read_text())["ok"], (booth_home / "booth.log").read_text()[-2000:]
    (booth_home / "result.json").unlink()  # the test's own notes

    # The phone pages: an application from a phone; a resident's household order.
    phone = requests.Session()
    phone_posting = open_here(hub)[1]  # one the seed has open at station 1 now
    applied = post_form(
        phone,
        f"{hub.url}/p/{phone_posting}/apply",
        f"{hub.url}/p/{phone_posting}",
        {"name": phone_applicant.name, "phone": phone_applicant.phone, "consent": "yes"},
    )
    assert applied.status_code == 200, applied.text[-500:]
    ordered = post_form(
        phone,
        f"{hub.url}/o/new",
        f"{hub.url}/o/new",
        {
            "need": "修灯",
            "district": "青川区",
            "address": "滨江路8号",
            "when_text": "周六上午",
            "pay": "80",
            "resident_phone": resident_phone,
            "station_id": "1",
            "consent": "yes",
        },
    )
    assert ordered.status_code == 200, ordered.text[-500:]

    # The console: staff read what they need (it is shown, not written anywhere new).
    staff = requests.Session()
    assert sign_in(staff, "tester", ADMIN_PASSWORD, base=hub.url).status_code == 303
    for page in ("/staff/applications", "/staff/orders", "/staff/dashboard", "/staff/interviews", "/staff/devices"):
        assert staff.get(hub.url + page, timeout=10).status_code == 200, page
    assert consents.phone in staff.get(hub.url + "/staff/applications", timeout=10).text

    hub.stop()  # every file closed and checkpointed
    database = Path(hub.database_url.removeprefix("sqlite:///"))
    hub_db = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    hub_other = [p for p in hub.home.rglob("*") if p.is_file() and p not in hub_db]
    devices = [p for folder in (kiosk_home, booth_home, browser_dir) for p in folder.rglob("*") if p.is_file()]
    everything = hub_db + hub_other + devices
    assert len(everything) > 10 and any(p.suffix == ".png" for p in devices)

    for who in (consents, refuses, books, phone_applicant, other):
        assert holding(everything, who.id_number) == [], f"a raw ID number in {holding(everything, who.id_number)}"
        assert holding(everything, who.id_number[:14]) == []
    for secret in (refuses.name, refuses.phone, books.name, books.phone, other.name):
        assert holding(everything, secret) == [], (secret, holding(everything, secret))
    # What the hub may keep, only in its database, and nowhere else at all:
    for kept in (consents.name, consents.phone, phone_applicant.name, phone_applicant.phone, resident_phone):
        assert holding(hub_db, kept), f"{kept} should be with the hub (consented)"
        assert holding(hub_other + devices, kept) == [], (kept, holding(hub_other + devices, kept))
