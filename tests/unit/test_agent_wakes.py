"""When one of the sync agent's loops reaches the hub after a time without it, the other, backing
off (up to sync.agent.OFFLINE_BACKOFF's cap, 8 s), tries at once: a queued application goes as soon
as the link is known to be back."""

from sync.agent import SyncAgent
from sync.store import DeviceStore, Enrollment
from wire import sealed


def test_the_hub_reached_again_wakes_the_loop_that_backs_off(tmp_path):
    store = DeviceStore(tmp_path / "device.db")
    key = sealed.generate_private_key()
    hub = "http://127.0.0.1:9"  # (nothing is sent: the loops are not started)
    store.save_enrollment(Enrollment(hub, 7, "tok", "kiosk", 1, sealed.public_key_text(key)), event_base=0)
    agent = SyncAgent(store)
    try:
        agent._offline("hub down")
        store.outbox_changed.clear()
        agent._online()  # the pull loop's stream answered again
        assert store.outbox_changed.is_set()  # the push loop, waiting on it, sends now
        store.outbox_changed.clear()
        agent._online()  # online all along: nothing to wake
        assert not store.outbox_changed.is_set()
    finally:
        agent.stop()
        store.close()
