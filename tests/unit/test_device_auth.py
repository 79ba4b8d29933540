"""Device tokens to identities (hub.devices.auth): a crowd of devices asking at once is looked up a
few at a time, each once, and cached."""

import threading
import time
from collections import Counter

import anyio

from hub.devices import auth
from hub.devices.service import DeviceIdentity
from hub.feed.scope import View


class _Feed:
    def on_entries(self, listener) -> None:
        pass


def test_a_crowd_of_devices_is_looked_up_a_few_at_a_time(monkeypatch):
    """Two hundred devices reconnecting together must not take two hundred threads and connections
    (the pool's overflow connections were made and closed again): at most AT_ONCE lookups run."""
    running = peak = 0
    lock = threading.Lock()
    asked: Counter = Counter()

    def lookup(self, token: str):
        nonlocal running, peak
        with lock:
            asked[token] += 1
            running += 1
            peak = max(peak, running)
        time.sleep(0.005)  # (a statement's round trip)
        with lock:
            running -= 1
        n = int(token.removeprefix("token-"))
        return DeviceIdentity(n, "kiosk", "k", 1, View(device=n, station=1))

    monkeypatch.setattr(auth.DeviceAuth, "_lookup", lookup)

    async def crowd():
        devices = auth.DeviceAuth(None, _Feed())
        async with anyio.create_task_group() as tasks:
            for n in range(200):
                tasks.start_soon(devices.identify, f"token-{n}")
        for n in range(200):  # (asked again: from the cache)
            await devices.identify(f"token-{n}")

    anyio.run(crowd)
    assert 1 < peak <= auth.AT_ONCE
    assert len(asked) == 200 and set(asked.values()) == {1}  # each looked up once, then kept
