"""The outbox: personal data sealed before the disk, numbers never reused, kept until acknowledged."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from sync import outbox
from sync.outbox import PersonalDataInClear
from sync.store import DeviceStore, Enrollment
from wire import sealed

PERSON = {"id_number": "11010519491231002X", "name": "张三", "phone": "13812345678", "consent": True}


@pytest.fixture
def store(tmp_path):
    s = DeviceStore(tmp_path / "device.db")
    s.key = sealed.generate_private_key()
    s.save_enrollment(Enrollment("http://hub", 7, "tok", "kiosk", 1, sealed.public_key_text(s.key)), event_base=40)
    yield s
    s.close()


def test_person_is_sealed_before_it_is_stored(store, tmp_path):
    with store.user_action() as action:
        n = action.emit("application", {"posting": 3}, person=PERSON)
    assert n == 41  # numbered above what the hub has seen from this device (event_base 40)
    [event] = store.outbox.pending()
    assert event["n"] == 41 and event["body"]["posting"] == 3
    # Bound to this device (7), this kind and this number: it opens as nothing else.
    assert sealed.open_sealed(store.key, event["body"]["person"], sealed.event_context(7, "application", 41)) == PERSON
    with pytest.raises(sealed.SealError):
        sealed.open_sealed(store.key, event["body"]["person"], sealed.event_context(7, "application", 42))
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in ("11010519491231002X", "13812345678", "张三"):
        assert secret.encode() not in raw


@pytest.mark.parametrize("body", [{"id": "11010519491231002X"}, {"note": "call 13812345678"}])
def test_personal_data_in_clear_is_refused_and_nothing_is_written(store, body):
    with pytest.raises(PersonalDataInClear), store.user_action() as action:
        action.emit("application", {"posting": 1})
        action.emit("application", body)
    assert store.outbox.count() == 0


def test_acknowledge_drops_only_what_the_hub_applied(store):
    with store.user_action() as action:
        ns = [action.emit("registration", {"i": i}) for i in range(5)]
    store.outbox.acknowledge(
        ns[2],
        [
            {"n": ns[0], "status": "applied", "ref": "7-0041", "kind": "registration"},
            {"n": ns[1], "status": "rejected", "reason": "no such posting"},
            {"n": ns[2], "status": "duplicate"},
        ],
    )
    assert [e["n"] for e in store.outbox.pending()] == ns[3:]
    assert store.outbox.result(ns[1])["reason"] == "no such posting"
    assert store.outbox.result(ns[2]) is None
    store.outbox.acknowledge(ns[4], [])
    with store.user_action() as action:
        assert action.emit("registration", {}) == ns[4] + 1  # numbers are never reused


RECEIPTS = textwrap.dedent("""
    import sys
    from sync.store import DeviceStore
    store = DeviceStore(sys.argv[1])
    while True:
        with store.user_action() as action:
            n = action.emit("registration", {"seq": 1})
        print(n, flush=True)  # the receipt shows only after the commit returned
""")


def test_every_shown_receipt_survives_a_kill(store, tmp_path):
    store.close()
    child = subprocess.Popen([sys.executable, "-c", RECEIPTS, str(store.path)], stdout=subprocess.PIPE, text=True)
    shown = [int(child.stdout.readline()) for _ in range(30)]
    child.send_signal(signal.SIGKILL)
    child.wait()
    shown += [int(line) for line in child.stdout.read().split()]
    again = DeviceStore(store.path)
    queued = {e["n"] for e in again.outbox.pending(limit=100_000)}
    assert set(shown) <= queued
    again.close()


def test_acknowledged_events_are_kept_sealed_and_go_again_to_a_hub_that_lost_them(store, monkeypatch):
    """A hub restored from last night's backup lacks what it acknowledged today: the device keeps
    acknowledged events (sealed as queued) and puts those after the hub's number back, in order."""
    with store.user_action() as action:
        ns = [action.emit("application", {"posting": i}, person=PERSON) for i in range(4)]
    queued = store.outbox.pending()
    store.outbox.acknowledge(ns[3], [{"n": n, "status": "applied"} for n in ns])
    assert store.outbox.count() == 0 and store.outbox.acked_through() == ns[3]

    assert store.outbox.resend_after(ns[3]) == 0  # the hub holds them all: nothing goes again
    assert store.outbox.resend_after(ns[1]) == 2
    assert store.outbox.pending() == queued[2:]  # the same numbers, identities and sealed bodies
    assert store.outbox.acked_through() == ns[1]  # the next batch claims no more than the hub holds

    # Kept for as long as the hub's backups are (two weeks), then gone — but never the newest
    # KEEP_SENT_MIN: a clock that jumps forward does not empty the table.
    store.outbox.acknowledge(ns[3], [])
    later = time.time() + outbox.KEEP_SENT_S + 60
    monkeypatch.setattr(store, "clock", lambda: later)  # the device's clock
    store.outbox.acknowledge(0, [])
    assert store.outbox.acked_through() == ns[3]
    monkeypatch.setattr(outbox, "KEEP_SENT_MIN", 1)
    store.outbox.acknowledge(0, [])
    assert store.outbox.resend_after(0) == 1  # only the newest was left
    # The hub's answers go by the same rule: the store does not grow with every event ever sent.
    assert [store.outbox.result(n) is None for n in ns] == [True, True, True, False]


def test_a_new_enrollment_never_sends_what_an_earlier_one_sent(store):
    with store.user_action() as action:
        n = action.emit("registration", {"trades": [1]})
    store.outbox.acknowledge(n, [])
    key = sealed.public_key_text(store.key)
    # The same device at the same hub, enrolled again (a token reissued after a restore): kept.
    store.save_enrollment(Enrollment("http://hub", 7, "tok-again", "kiosk", 1, key), 0)
    assert store.outbox.acked_through() == n
    store.save_enrollment(Enrollment("http://hub2", 9, "tok2", "kiosk", 1, key), 0)
    assert store.outbox.acked_through() is None and store.outbox.resend_after(0) == 0
