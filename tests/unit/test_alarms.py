"""Coarse alarms ring after their time, in their bucket, unless cleared (hub.feed.alarms)."""

import asyncio

from hub.feed.alarms import Alarms


def test_alarms_ring_once_after_their_time_and_cleared_ones_never():
    rung: list[tuple[str, float]] = []

    async def run():
        loop = asyncio.get_running_loop()
        alarms = Alarms(resolution_s=0.05)
        start = loop.time()
        for key in ("a", "b", "c"):
            alarms.set(start + 0.02, key, lambda k: rung.append((k, loop.time())))
        cleared = alarms.set(start + 0.02, "gone", lambda k: rung.append((k, loop.time())))
        alarms.clear(cleared, "gone")
        later = alarms.set(start + 0.12, "later", lambda k: rung.append((k, loop.time())))
        assert len(alarms) == 4
        await asyncio.wait_for(_until(lambda: len(rung) == 4), 5)  # (5 s: a hang, not a speed)
        await asyncio.sleep(0.1)  # anything cleared or rung once would have rung again by now
        assert later != cleared and len(alarms) == 0
        return start

    start = asyncio.run(run())
    assert sorted(k for k, _ in rung) == ["a", "b", "c", "later"]
    # Never early (a bucket rings at its end; the loop's clock may round by a millisecond).
    assert all(t >= start + 0.02 - 0.002 for k, t in rung if k != "later")
    assert dict(rung)["later"] >= start + 0.12 - 0.002


def test_an_alarm_that_fails_does_not_keep_the_rest_of_its_bucket_from_ringing():
    rung = []

    def bad(key):
        raise RuntimeError("a broken alarm")

    async def run():
        loop = asyncio.get_running_loop()
        alarms = Alarms(resolution_s=0.05)
        alarms.set(loop.time(), "bad", bad)
        alarms.set(loop.time(), "good", rung.append)
        await asyncio.wait_for(_until(lambda: rung), 5)

    asyncio.run(run())
    assert rung == ["good"]


def test_setting_a_key_again_in_its_bucket_replaces_its_alarm():
    rung = []

    async def run():
        loop = asyncio.get_running_loop()
        alarms = Alarms(resolution_s=10.0)
        at = loop.time() - 20  # already past: its bucket rings at the loop's next turn
        first = alarms.set(at, "k", lambda k: rung.append("first"))
        again = alarms.set(at, "k", lambda k: rung.append("again"))
        assert first == again and len(alarms) == 1
        await asyncio.wait_for(_until(lambda: rung), 5)

    asyncio.run(run())
    assert rung == ["again"]


async def _until(done) -> None:
    while not done():
        await asyncio.sleep(0.005)
