"""A device and a real hub process on loopback: enrollment, bootstrap, live feed, offline outbox, restarts."""

import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from hub.applications.models import Application
from hub.db import Database
from sync.agent import SyncAgent
from sync.store import DeviceStore
from tests.support.hub import ROOT, LiveHub, expected_digest, lingong, lingong_env, open_postings, posting_body
from tests.support.waiting import until

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

PERSON = {"id_number": "440524188001010014", "name": "李四", "phone": "13912345678", "consent": True}


def enroll(hub: LiveHub, home, kind="kiosk", station_id=1, **config) -> DeviceStore:
    code = hub.add_device(kind, station_id, **config)
    out = lingong("enroll", "--hub", hub.url, "--code", code, home=home)
    assert "enrolled as" in out.stdout
    return DeviceStore.in_home(home)


def applications(hub: LiveHub) -> int:
    db = Database(hub.database_url, pool_size=1)
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(Application))
    finally:
        db.dispose()


def test_enroll_bootstrap_and_converge(live_hub, tmp_path):
    store = enroll(live_hub, tmp_path / "kiosk")
    e = store.enrollment()
    agent = SyncAgent(store)
    assert agent.sync_once() > 40
    assert store.cursor is not None
    assert store.digest() == expected_digest(live_hub, e.device_id)
    assert store.doc("device", e.device_id)["kind"] == "kiosk"
    # The token and hub key are kept, and a bad code says so clearly.
    bad = lingong("enroll", "--hub", live_hub.url, "--code", "AAAA-AAAA", home=tmp_path / "other", check=False)
    assert bad.returncode == 2 and "注册码不对" in bad.stderr


def test_a_published_posting_wakes_a_long_polling_device(live_hub, tmp_path):
    """The device's long poll is held 20 s: a change arriving within 10 s can only have woken it.
    (How fast is a figure, `lingong bench sync` measures it; a test on a busy machine does not.)"""
    store = enroll(live_hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=20)
    agent.streams = False  # as with a hub older than streams (tests/integration/test_stream.py)
    agent.sync_once()
    agent.start()
    try:
        time.sleep(0.3)  # the agent is now waiting in a long poll
        for i in range(3):
            p = live_hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"急招小工{i}"))
            until(lambda p=p: store.posting(p["id"]) is not None, timeout=10)
            live_hub.ok("POST", f"/api/v1/postings/{p['id']}/status", json={"status": "closed"})
            until(lambda p=p: store.posting(p["id"]) is None, timeout=10)
        assert store.digest() == expected_digest(live_hub, store.enrollment().device_id)
    finally:
        agent.stop()


def test_offline_outbox_reaches_the_hub_exactly_once_after_restarts(live_hub, tmp_path):
    store = enroll(live_hub, tmp_path / "kiosk")
    agent = SyncAgent(store, longpoll_s=2)
    agent.sync_once()
    postings = open_here(live_hub)[:3]
    live_hub.stop()  # the station's network is down
    agent.start()
    receipts = []
    for posting in postings:
        with store.user_action() as action:
            receipts.append(action.emit("application", {"posting": posting}, person=PERSON))
    time.sleep(1.0)
    assert store.outbox.count() == 3 and not agent.status.online
    live_hub.start()
    until(lambda: store.outbox.count() == 0, timeout=40)
    live_hub.stop(kill=True)  # killed, not stopped: nothing may be lost or doubled
    live_hub.start()
    until(lambda: agent.status.online, timeout=40)
    agent.stop()
    assert applications(live_hub) == 3
    assert [store.outbox.result(n)["status"] for n in receipts] == ["applied"] * 3


AGENT = [sys.executable, "-m", "lingong.cli", "agent", "--longpoll", "2"]


def open_here(hub: LiveHub, station_id: int = 1) -> list[int]:
    """Postings a kiosk at this station may apply to: open, with places, in their window, shown there."""
    db = Database(hub.database_url, pool_size=1)
    try:
        return open_postings(db, station_id)
    finally:
        db.dispose()


def test_a_device_killed_while_sending_loses_and_doubles_nothing(sqlite_hub, tmp_path):
    home = tmp_path / "kiosk"
    store = enroll(sqlite_hub, home)
    postings = open_here(sqlite_hub)[:25]
    assert len(postings) == 25
    with store.user_action() as action:
        for posting in postings:
            action.emit("application", {"posting": posting}, person={**PERSON, "id_number": "11010519491231002X"})
    store.close()
    for delay in (0.4, 0.8, 1.2):
        child = subprocess.Popen(AGENT, env=lingong_env(home), cwd=ROOT, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
    lingong("agent", "--once", home=home)
    assert DeviceStore.in_home(home).outbox.count() == 0
    assert applications(sqlite_hub) == len(postings)


def test_a_revoked_device_knows(live_hub, tmp_path):
    store = enroll(live_hub, tmp_path / "wall", kind="display")
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    live_hub.ok("POST", f"/api/v1/devices/{store.enrollment().device_id}/revoke")
    agent.start()
    try:
        until(lambda: agent.status.revoked, timeout=10)
    finally:
        agent.stop()


def test_a_new_filter_rebuilds_the_store(live_hub, tmp_path):
    store = enroll(live_hub, tmp_path / "wall", kind="display")
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    before = {p["category"] for p in store.live_postings()}
    assert len(before) > 1
    construction = next(
        c["id"] for c in live_hub.ok("GET", "/api/v1/trades")["categories"] if c["slug"] == "construction"
    )
    device_id = store.enrollment().device_id
    live_hub.ok("PATCH", f"/api/v1/devices/{device_id}", json={"config": {"filters": {"categories": [construction]}}})
    agent.start()
    try:
        until(lambda: {p["category"] for p in store.live_postings()} == {construction}, timeout=10)
        until(lambda: store.digest() == expected_digest(live_hub, device_id), timeout=10)
    finally:
        agent.stop()


@pytest.mark.postgres
def test_two_hub_processes_share_postgres_and_wake_each_others_devices(tmp_path, pg_url):
    a = LiveHub(tmp_path / "a", pg_url)
    a.seed(20)
    a.start()
    b = LiveHub(tmp_path / "b", pg_url)
    b._staff_token = a.staff_token
    b.start()
    try:
        store = enroll(a, tmp_path / "kiosk")  # the device talks to process A only
        agent = SyncAgent(store, longpoll_s=20)
        agent.sync_once()
        agent.start()
        time.sleep(0.3)
        for i in range(3):
            p = b.ok("POST", "/api/v1/postings", json=posting_body(title=f"经B发布{i}"))  # staff talk to B
            # Only a woken stream makes it: it says nothing for 20 s otherwise.
            until(lambda p=p: store.posting(p["id"]) is not None, timeout=10)
        agent.stop()
    finally:
        a.stop()
        b.stop()


def test_two_hub_processes_on_sqlite_also_wake(tmp_path, sqlite_url):
    a = LiveHub(tmp_path / "a", sqlite_url)
    a.seed(20)
    a.start()
    b = LiveHub(tmp_path / "a", sqlite_url)  # same state folder: same keys
    b._staff_token = a.staff_token
    b.start()
    try:
        store = enroll(a, tmp_path / "kiosk")
        agent = SyncAgent(store, longpoll_s=20)
        agent.sync_once()
        agent.start()
        time.sleep(0.3)
        p = b.ok("POST", "/api/v1/postings", json=posting_body(title="经B发布"))
        until(lambda p=p: store.posting(p["id"]) is not None, timeout=10)  # only a woken stream makes it
        agent.stop()
    finally:
        a.stop()
        b.stop()


def test_enrolling_checks_the_hubs_key(sqlite_hub, tmp_path):
    """Security review, finding 10: enrollment over plain HTTP trusted whatever key came back. The key
    is checked against the fingerprint shown with the code; over plain HTTP to another machine the
    fingerprint is required; a key that does not match leaves the device unenrolled."""
    from hub import admin

    home = tmp_path / "kiosk"
    far = lingong("enroll", "--hub", "http://192.0.2.10:8470", "--code", "ABCD-EFGH", home=home, check=False)
    assert far.returncode == 2 and "fingerprint" in far.stderr  # refused before any connection
    wrong = lingong(
        "enroll",
        "--hub",
        sqlite_hub.url,
        "--code",
        sqlite_hub.add_device("kiosk", 1),
        "--fingerprint",
        "0000-0000-0000-0000-0000",
        home=home,
        check=False,
    )
    assert wrong.returncode == 2 and "does not match" in wrong.stderr
    assert not (home / "device.db").exists()  # nothing saved
    right = lingong(
        "enroll",
        "--hub",
        sqlite_hub.url,
        "--code",
        sqlite_hub.add_device("kiosk", 1),
        "--fingerprint",
        admin.key_fingerprint(sqlite_hub.settings),
        home=home,
    )
    assert "enrolled as kiosk" in right.stdout
