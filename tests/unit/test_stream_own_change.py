"""A stream ends after the line carrying its device's own document, whatever the feed did meanwhile."""

import asyncio

from hub.feed import stream
from hub.feed.cache import Entry, FeedCache
from hub.feed.scope import Scope, View
from wire.protocol import PUT

VIEW = View(device=7, station=1)


def posting(seq: int) -> Entry:
    return Entry(seq, "posting", seq, PUT, "{}", Scope(), None)


def own(seq: int) -> Entry:
    return Entry(seq, "device", VIEW.device, PUT, '{"id":7}', Scope(device=VIEW.device), None)


def test_the_line_with_its_own_document_ends_the_stream_even_if_the_window_moved_during_its_write():
    feed_floor = []

    async def run() -> list[dict]:
        feed = FeedCache(None, window=8, poll_s=1)
        sent = []

        async def send(message):
            sent.append(message)
            if b'"k":"device"' in message.get("body", b""):
                # While that line is being written (a slow reader), the feed goes on and trims its
                # window past the device's own change (the trim happens past window // 4 extra entries).
                feed._append([posting(s) for s in range(11, 14)])
                feed_floor.append(feed.floor)
                await asyncio.sleep(0.05)

        async def never():
            await asyncio.Event().wait()

        response = stream._Stream(feed, VIEW, stream._take_slot(VIEW.device), 0, b'{"cursor":0}\n', 20, 60, {})
        # Its configuration, and more, after the first line.
        asyncio.get_running_loop().call_later(0.05, feed._append, [own(1), *(posting(s) for s in range(2, 11))])
        await asyncio.wait_for(response({"type": "http", "asgi": {"spec_version": "2.3"}}, never, send), 5)
        return sent

    sent = asyncio.run(run())
    bodies = [m["body"] for m in sent[1:]]
    assert feed_floor[0] >= 1
    assert b'"k":"device"' in bodies[1] and bodies[2:] == [b""]  # ended: the device reconnects and authenticates
