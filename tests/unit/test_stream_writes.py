"""A stream's writes have a deadline, and its slot is given back however it ends (hub.feed.stream)."""

import asyncio
import json

from hub.feed import stream
from hub.feed.cache import Entry, FeedCache
from hub.feed.scope import Scope, View
from wire.protocol import PUT

VIEW = View(device=7, station=1)
HTTP = {"type": "http", "asgi": {"spec_version": "2.3"}}


def posting(seq: int) -> Entry:
    return Entry(seq, "posting", seq, PUT, f'{{"id":{seq}}}', Scope(), None)


def a_stream(feed: FeedCache, max_s: float = 60.0) -> stream._Stream:
    return stream._Stream(feed, VIEW, stream._take_slot(VIEW.device), 0, b'{"cursor":0}\n', 20.0, max_s, {})


async def never() -> dict:
    await asyncio.Event().wait()  # the client says nothing (it has not hung up either)
    return {}


def test_a_reader_that_stopped_reading_ends_the_stream_and_frees_its_slot(monkeypatch):
    monkeypatch.setattr(stream, "WRITE_WITHIN_S", 0.05)
    sent = []

    async def send(message):
        sent.append(message)
        if len(sent) == 3:  # the second line never leaves: the reader stopped reading
            await asyncio.Event().wait()

    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        asyncio.get_running_loop().call_later(0.05, feed._append, [posting(1)])
        await asyncio.wait_for(a_stream(feed)(HTTP, never, send), 5)  # (5 s: a hang, not a speed)

    asyncio.run(run())
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body", "http.response.body"]
    assert b'"id":1' in sent[2]["body"] and sent[2]["more_body"]  # never finished: the server closes it
    assert VIEW.device not in stream._open


def test_a_client_that_hangs_up_ends_its_stream_at_once():
    sent, gone = [], asyncio.Event()

    async def send(message):
        sent.append(message)

    async def receive():
        await gone.wait()
        return {"type": "http.disconnect"}

    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        asyncio.get_running_loop().call_later(0.05, gone.set)
        await asyncio.wait_for(a_stream(feed)(HTTP, receive, send), 5)

    asyncio.run(run())
    assert [m.get("more_body") for m in sent[1:]] == [True]  # the first line, then nothing
    assert VIEW.device not in stream._open


def test_each_batch_is_a_line_and_the_stream_ends_cleanly_after_its_time():
    sent = []

    async def send(message):
        sent.append(message)

    async def run():
        feed = FeedCache(None, window=100, poll_s=1)
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, feed._append, [posting(1)])
        loop.call_later(0.10, feed._append, [posting(2), posting(3)])
        await asyncio.wait_for(a_stream(feed, max_s=0.4)(HTTP, never, send), 5)

    asyncio.run(run())
    bodies = [m["body"] for m in sent[1:]]
    assert bodies[0] == b'{"cursor":0}\n' and bodies[-1] == b"" and not sent[-1]["more_body"]
    lines = [json.loads(b) for b in bodies[1:-1]]
    assert [[c["id"] for c in line["changes"]] for line in lines] == [[1], [2, 3]]
    assert [line["cursor"] for line in lines] == [1, 3]
    assert VIEW.device not in stream._open


def test_a_new_stream_asks_the_oldest_beyond_two_to_give_way_and_six_are_refused():
    slots = [stream._take_slot(8) for _ in range(stream.MAX_OPEN_PER_DEVICE)]
    assert [s.ended for s in slots] == [True, True, True, True, False, False]
    try:
        stream._take_slot(8)
    except stream.TooMany as refused:
        assert refused.code == "feed.streams_open"
    else:
        raise AssertionError("a seventh stream was let through")
    for slot in slots:
        stream._give_back(slot)
    assert 8 not in stream._open


def test_streams_opened_together_do_not_all_end_together():
    """A district back from a power cut opens its streams in the same moment: their lifetimes are
    spread (the setting less up to a fifth), so they do not all reconnect at once ever after."""
    lives = [stream.lifetime(300.0) for _ in range(200)]
    assert all(240.0 <= life <= 300.0 for life in lives)
    assert max(lives) - min(lives) > 30.0  # (200 draws from 60 s: spread, not one value)
