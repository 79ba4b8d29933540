"""A stream ends after the line carrying its device's own document, whatever the feed did meanwhile."""

import asyncio

from hub.feed.cache import Entry, FeedCache
from hub.feed.scope import Scope, View
from hub.feed.stream import _lines, _Slot
from wire.protocol import PUT

VIEW = View(device=7, station=1)


def posting(seq: int) -> Entry:
    return Entry(seq, "posting", seq, PUT, "{}", Scope(), None)


def own(seq: int) -> Entry:
    return Entry(seq, "device", VIEW.device, PUT, '{"id":7}', Scope(device=VIEW.device), None)


def test_the_line_with_its_own_document_ends_the_stream_even_if_the_window_moved_during_its_write():
    async def run() -> bytes | None:
        feed = FeedCache(None, window=8, poll_s=1)
        lines = _lines(feed, VIEW, _Slot(VIEW.device), 0, b'{"cursor":0}\n', beat_s=20, max_s=60)
        try:
            await lines.__anext__()  # the first line
            feed._append([own(1), *(posting(s) for s in range(2, 11))])  # its configuration, and more
            body = await lines.__anext__()
            assert b'"k":"device"' in body
            # While that line is being written (a slow reader), the feed goes on and trims its window
            # past the device's own change (the trim happens past window // 4 extra entries).
            feed._append([posting(s) for s in range(11, 14)])
            assert feed.floor >= 1
            try:
                return await asyncio.wait_for(lines.__anext__(), 5)
            except StopAsyncIteration:
                return None
        finally:
            await lines.aclose()

    assert asyncio.run(run()) is None  # ended: the device reconnects and authenticates again
