"""A device and a hub restored from an older backup: the device converges, its outbox arrives once, and
what the lost day's hub had acknowledged goes again and arrives once."""

import json
import tarfile
import threading

import pytest
from sqlalchemy import func, select

from hub import admin
from hub.db import Database
from hub.events.models import DeviceEvent
from hub.feed.models import ChangeLog
from hub.feed.service import RESTORED
from sync.agent import SyncAgent
from sync.enroll import enroll
from sync.store import DeviceStore
from tests.integration.test_link import PERSON, open_here
from tests.support.hub import LiveHub, expected_digest, lingong, posting_body
from tests.support.waiting import until

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

# A worker who applied on the lost day, through the hub that then died (a fictional number).
LOST_DAY_PERSON = {"id_number": "110105198001011238", "name": "王五", "phone": "13712345678", "consent": True}


def _scalar(hub: LiveHub, stmt):
    db = Database(hub.database_url, pool_size=1)
    try:
        with db.read() as s:
            return s.scalar(stmt)
    finally:
        db.dispose()


def _catch_up(agent: SyncAgent, hub: LiveHub) -> None:
    head = _scalar(hub, select(func.max(ChangeLog.seq)))
    while agent.store.cursor < head:
        agent.sync_once()


def test_a_device_converges_with_a_hub_restored_from_an_older_backup(sqlite_url, tmp_path):
    hub = LiveHub(tmp_path / "hub", sqlite_url)
    hub.seed(postings=12)
    hub.start()
    try:
        _restore_under_a_device(hub, tmp_path)
    finally:
        hub.stop()


def _restore_under_a_device(hub: LiveHub, tmp_path) -> None:
    enroll(hub.url, hub.add_device("kiosk", 1), tmp_path / "kiosk")  # what `lingong enroll` runs
    store = DeviceStore.in_home(tmp_path / "kiosk")
    device_id = store.enrollment().device_id
    agent = SyncAgent(store, longpoll_s=1)
    agent.sync_once()
    postings = open_here(hub)[:3]

    # The backup is taken with `lingong backup` while staff keep publishing.
    stop, published = threading.Event(), []

    def staff_at_work() -> None:
        while not stop.wait(0.05):  # a busy station's pace, not a flood (the restored hub must outpace it below)
            published.append(hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"备份时发布{len(published)}")))

    writer = threading.Thread(target=staff_at_work)
    writer.start()
    try:
        until(lambda: len(published) >= 1, timeout=20)
        before = len(published)
        out = lingong(
            "backup", "--out", f"{tmp_path / 'backups'}/", home=hub.home, LINGONG_DATABASE_URL=hub.database_url
        )
        during = len(published) - before
    finally:
        stop.set()
        writer.join()
    assert during >= 1, "no write went on while the backup ran"
    archive = json.loads(out.stdout)["archive"]
    with tarfile.open(archive) as tar:
        backed_up_head = json.load(tar.extractfile("lingong-backup/manifest.json"))["feed_head"]

    # The hub goes on; the device takes changes the backup does not hold.
    lost = [hub.ok("POST", "/api/v1/postings", json=posting_body(title=f"备份后发布{i}"))["id"] for i in range(3)]
    hub.ok("POST", f"/api/v1/postings/{postings[0]}/status", json={"status": "closed"})
    _catch_up(agent, hub)
    assert store.digest() == expected_digest(hub, device_id)
    assert all(store.posting(p) is not None for p in lost)
    lost_cursor = store.cursor
    assert lost_cursor > backed_up_head
    # A worker applies on the lost day, and that hub takes it: the kiosk's receipt said 报名成功.
    with store.user_action() as action:
        taken_then = [
            action.emit("application", {"posting": p, "cursor": store.cursor}, person=LOST_DAY_PERSON)
            for p in postings[1:]
        ]
    agent.push_once()
    assert store.outbox.count() == 0 and [store.outbox.result(n)["status"] for n in taken_then] == ["applied"] * 2

    # The hub machine dies; the kiosk goes on taking applications.
    hub.stop(kill=True)
    # As the kiosk queues them (kiosk/data.py): with the cursor the device held when the worker tapped.
    # The last is for a posting only the lost day had: after the restore its id is another's.
    with store.user_action() as action:
        receipts = [
            action.emit("application", {"posting": p, "cursor": store.cursor}, person=PERSON)
            for p in [*postings[1:], lost[0]]
        ]

    # A new machine: `lingong restore` into a new state folder, a hub started there on the same address.
    home = tmp_path / "restored"
    lingong("restore", archive, "--home", str(home), home=home)
    restored = LiveHub(home, f"sqlite:///{home / 'hub.db'}", port=hub.port)
    restored.start()
    try:
        restored._staff_token = admin.api_token(restored.settings, "tester")  # the user came back with the backup
        # Staff publish on the restored hub, more changes than the lost ones: a sequence that
        # simply went on from the backup would pass the device's cursor, and the device would
        # take the new changes over the lost ones and never notice.
        marker = _scalar(restored, select(ChangeLog.seq).where(ChangeLog.kind == RESTORED))
        after_restore = []
        while _scalar(restored, select(func.count()).where(ChangeLog.seq > marker)) <= lost_cursor - backed_up_head:
            after_restore.append(
                restored.ok("POST", "/api/v1/postings", json=posting_body(title=f"恢复后{len(after_restore)}"))["id"]
            )
        agent.start()
        until(lambda: store.outbox.count() == 0, timeout=30)
        until(lambda: store.digest() == expected_digest(restored, device_id), timeout=30)
        agent.stop()
        assert agent.status.bootstraps >= 2  # it took a snapshot of the restored hub
        assert all(store.posting(p) is not None for p in after_restore)
        # The lost timeline's postings are gone (their ids were given again, to the restored hub's).
        assert not [p for p in store.live_postings() if p["title"].startswith("备份后发布")]
        # Every queued event reached the restored hub, once; and so did what the lost day's hub
        # had taken (the device kept it, and sent it again first).
        for n in [*taken_then, *receipts]:
            rows = _scalar(restored, select(func.count()).where(DeviceEvent.device_id == device_id, DeviceEvent.n == n))
            assert rows == 1
        results = [store.outbox.result(n) for n in [*taken_then, *receipts]]
        assert [r["status"] for r in results] == ["applied"] * 4 + ["rejected"]
        assert "从备份恢复过" in results[4]["reason"]  # not taken as an application to the new posting
        assert lost[0] in after_restore  # whose id it is now
    finally:
        agent.stop()
        restored.stop()
