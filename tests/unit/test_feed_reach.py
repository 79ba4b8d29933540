"""A device's cursor from another hub process, ahead of this one's feed: waited for, not refused;
one the database does not hold is refused at once."""

import asyncio

import pytest

from hub.feed.cache import Entry, FeedCache, ResetNeeded
from hub.feed.scope import Scope, View
from wire.protocol import PUT

VIEW = View(device=7, station=1)


def posting(seq: int) -> Entry:
    return Entry(seq, "posting", seq, PUT, f'{{"id":{seq}}}', Scope(), None)


def test_a_cursor_this_process_reads_up_to_soon_is_answered_not_sent_to_a_snapshot():
    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        feed._database_head = lambda: 4  # another process committed up to 4
        feed._append([posting(1)])
        with pytest.raises(ResetNeeded):  # what the request met before it waited
            feed.answer(3, VIEW, None)
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, feed._append, [posting(2)])
        loop.call_later(0.10, feed._append, [posting(3), posting(4)])
        await asyncio.wait_for(feed.reach(3, timeout=30), 10)  # (30 s: a hang, not a speed)
        assert feed.head == 4
        cursor, body, _ = feed.answer(3, VIEW, None)
        return cursor, body

    cursor, body = asyncio.run(run())
    assert cursor == 4 and b'"id":4' in body and b'"id":3' not in body  # what came after its cursor


def test_a_cursor_the_database_does_not_hold_is_refused_without_waiting():
    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        feed._database_head = lambda: 1  # a hub restored from an older backup, or a made-up cursor
        feed._append([posting(1)])
        await asyncio.wait_for(feed.reach(50, timeout=30), 1)
        with pytest.raises(ResetNeeded):
            feed.answer(50, VIEW, None)

    asyncio.run(run())


def test_a_cursor_never_read_is_still_refused_after_the_wait():
    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        feed._database_head = lambda: 50
        feed._append([posting(1)])
        await feed.reach(50, timeout=0.1)  # (this process's reading is stuck)
        assert feed.head == 1
        with pytest.raises(ResetNeeded):
            feed.answer(50, VIEW, None)

    asyncio.run(run())


def test_a_draining_process_does_not_wait():
    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        feed._append([posting(1)])
        feed.draining = True
        await asyncio.wait_for(feed.reach(50, timeout=30), 1)

    asyncio.run(run())


def test_a_cursor_far_ahead_is_refused_at_once():
    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        feed._append([posting(1)])
        await asyncio.wait_for(feed.reach(2**40, timeout=30), 1)  # no hub process gave it: no wait

    asyncio.run(run())
