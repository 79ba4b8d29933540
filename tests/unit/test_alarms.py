"""Coarse alarms ring after their time, in their bucket, unless cleared (hub.feed.alarms)."""

import asyncio

import pytest

from hub.feed.alarms import Alarms
from hub.feed.cache import FeedCache


def test_alarms_ring_once_in_a_bucket_not_before_their_time_and_cleared_ones_never():
    rung: list[str] = []
    alarms = Alarms(resolution_s=0.05)

    async def run():
        now = asyncio.get_running_loop().time()
        soon = [alarms.set(now + 0.02, key, rung.append) for key in ("a", "b", "c")]
        cleared = alarms.set(now + 0.02, "gone", rung.append)
        alarms.clear(cleared, "gone")
        later = alarms.set(now + 0.12, "later", rung.append)
        assert len(set(soon)) == 1 and later != cleared and alarms.pending() == 4
        # A bucket rings at its end, never before the times of the alarms in it.
        assert all(no * alarms.resolution_s >= now + 0.02 for no in soon)
        assert later * alarms.resolution_s >= now + 0.12
        await asyncio.wait_for(_until(lambda: len(rung) == 4), 5)  # (5 s: a hang, not a speed)
        await asyncio.sleep(0.1)  # anything cleared, or rung twice, would have rung by now

    asyncio.run(run())
    assert sorted(rung) == ["a", "b", "c", "later"] and alarms.pending() == 0


def test_waits_and_writes_share_the_feeds_alarms():
    feed = FeedCache(None, window=100, poll_s=1)
    assert feed.waiters.alarms is feed.alarms


def test_alarms_of_a_closed_loop_are_dropped_and_a_second_running_loop_is_refused():
    alarms = Alarms(resolution_s=0.05)

    async def leave_one():
        alarms.set(asyncio.get_running_loop().time() + 60, "left", print)

    asyncio.run(leave_one())  # its loop closes with the alarm unrung

    async def again():
        rung = []
        alarms.set(asyncio.get_running_loop().time() + 60, "left", print)  # the same bucket, a new loop
        alarms.set(asyncio.get_running_loop().time(), "now", rung.append)
        await asyncio.wait_for(_until(lambda: rung), 5)
        return alarms.pending()

    assert asyncio.run(again()) == 1  # the first loop's alarm went with it

    owner = asyncio.new_event_loop()  # a loop that sets an alarm and stays open
    try:
        owner.run_until_complete(_set_now(alarms))
        with pytest.raises(RuntimeError, match="another event loop"):
            asyncio.run(_set_now(alarms))
    finally:
        owner.close()


async def _set_now(alarms: Alarms) -> None:
    alarms.set(asyncio.get_running_loop().time() + 1000, object(), print)


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
        assert first == again and alarms.pending() == 1
        await asyncio.wait_for(_until(lambda: rung), 5)

    asyncio.run(run())
    assert rung == ["again"]


async def _until(done) -> None:
    while not done():
        await asyncio.sleep(0.005)
