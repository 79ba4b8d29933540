"""The device store: snapshots and feed batches apply whole, even when the process dies mid-write."""

import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from sync.errors import NotEnrolled
from sync.store import DeviceStore, Enrollment
from wire import sealed


def posting(i, ver=1, to=4_000_000_000, **over):
    doc = {
        "id": i,
        "title": f"岗位{i}",
        "trade": 1,
        "category": 1,
        "employer": 1,
        "urgent": False,
        "start": "2026-11-22",
        "from": 0,
        "to": to,
        "lat": 28.2,
        "lon": 112.9,
        "pay_min": 100,
        "pay_max": 200,
        "unit": "day",
        "settle": "daily",
        "stations": None,
        "ver": ver,
    }
    doc.update(over)
    return doc


@pytest.fixture
def store(tmp_path):
    s = DeviceStore(tmp_path / "device.db")
    key = sealed.generate_private_key()
    s.save_enrollment(Enrollment("http://hub", 7, "tok", "kiosk", 1, sealed.public_key_text(key)), event_base=0)
    s.hub_key = key
    yield s
    s.close()


def test_unenrolled_store_says_how_to_enroll(tmp_path):
    with pytest.raises(NotEnrolled, match="lingong enroll"):
        DeviceStore(tmp_path / "d.db").enrollment()


def test_snapshot_replaces_and_changes_apply(store):
    store.replace_all(10, [("trade", {"id": 1, "name": "钢筋工"}), ("posting", posting(1)), ("posting", posting(2))])
    assert store.cursor == 10 and store.counts() == {"trade": 1, "posting": 2}
    store.apply_changes(
        12,
        [
            {"k": "posting", "id": 1, "op": "put", "d": posting(1, ver=2)},
            {"k": "posting", "id": 2, "op": "del", "d": {"id": 2, "reason": "full"}},
            {"k": "posting", "id": 3, "op": "put", "d": posting(3)},
            {"k": "posting", "id": 3, "op": "del", "d": {"id": 3}},  # the last change to a document wins
            {"k": "announcement", "id": 4, "op": "put", "d": {"id": 4, "title": "招聘会"}},
        ],
    )
    assert store.cursor == 12
    assert [p["id"] for p in store.live_postings()] == [1]
    assert store.posting(1)["ver"] == 2 and store.doc("announcement", 4)["title"] == "招聘会"
    store.replace_all(20, [("posting", posting(9))])
    assert store.counts() == {"posting": 1} and store.cursor == 20


def test_expiry_is_checked_locally(store):
    now = time.time()
    store.replace_all(1, [("posting", posting(1, to=int(now) + 60)), ("posting", posting(2, to=int(now) - 1))])
    assert [p["id"] for p in store.live_postings(now)] == [1]
    assert store.live_postings(now + 61) == []


def test_cursor_only_moves_forward(store):
    store.replace_all(5, [])
    store.advance_cursor(9)
    store.advance_cursor(7)
    assert store.cursor == 9
    store.forget_cursor()
    assert store.cursor is None


WRITER = textwrap.dedent("""
    import sys, time
    from sync.store import DeviceStore
    store = DeviceStore(sys.argv[1])
    batch = 0
    while True:
        batch += 1
        docs = [{"id": i, "title": "x" * 200, "from": 0, "to": 4000000000, "ver": batch} for i in range(2000)]
        store.apply_changes(batch, [{"k": "posting", "id": d["id"], "op": "put", "d": d} for d in docs])
        print(batch, flush=True)
""")


def test_a_killed_writer_leaves_a_whole_batch_never_half_of_one(tmp_path):
    path = tmp_path / "crash.db"
    DeviceStore(path).replace_all(0, [])
    rng = random.Random(3)
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
        child.stdout.readline()  # at least one batch is in
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = DeviceStore(path)
        versions = {p["ver"] for p in store.live_postings()}
        assert len(versions) == 1, f"half-applied batch: versions {sorted(versions)}"
        assert versions == {store.cursor}
        store.close()
