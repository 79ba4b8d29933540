"""The change feed as a stream: one response a device holds open, a line written to it per batch."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

from fastapi import Request
from starlette.responses import StreamingResponse

from hub.deps import sync_call_of
from hub.errors import Gone, TooMany
from hub.metrics.instruments import STREAMS
from wire.protocol import MAX_BEAT_S

from .cache import FeedCache, ResetNeeded
from .params import cursor_of, number
from .scope import View

DEFAULT_BEAT_S = 20.0
# A device holds one stream, and a second may overlap it while it reconnects. More is someone
# holding its token opening streams to tie the hub up (each open stream holds a task and buffers).
MAX_OPEN_PER_DEVICE = 3
_open: Counter[int] = Counter()  # this process's open streams, by device


def _beat(cursor: int) -> bytes:
    return b'{"cursor":%d}\n' % cursor


async def _lines(
    feed: FeedCache, view: View, since: int, first: bytes, beat_s: float, max_s: float
) -> AsyncIterator[bytes]:
    """Every batch that concerns `view`, as the feed learns of it. Each device's loop wakes on a
    change that concerns it (hub.feed.waiters) and writes the bytes made once for all devices that
    see the same (FeedCache.answer).

    The stream ends — and the device reconnects, authenticating again — when its own document
    changed (its configuration may change what it sees; a revocation is one), when the process
    drains, after `max_s`, or when its cursor left this process's window."""
    loop = asyncio.get_running_loop()
    end = loop.time() + max_s
    if _open[view.device] >= MAX_OPEN_PER_DEVICE:  # others opened meanwhile (see `stream`)
        return
    _open[view.device] += 1
    STREAMS.inc()
    try:
        yield first
        if max_s <= 0:
            return
        beat_at = loop.time() + beat_s
        while True:
            await feed.wait_for(view, since, min(beat_at, end) - loop.time())
            now = loop.time()
            if feed.draining or now >= end:
                return
            try:
                cursor, body, _ = feed.answer(since, view, None, line=True)
            except ResetNeeded:
                return  # the device reconnects from its cursor and is told to take a snapshot
            if body is not None:
                # Asked before the write: a slow reader's write may wait while the feed trims its
                # window past the device's own change, and own_change would no longer find it.
                last = bool(view.device) and feed.own_change(view.device, since, cursor)
                yield body
                if last:
                    return
            elif now >= beat_at:
                yield _beat(cursor)
            else:  # woken with nothing for it (its group's own-document change): nothing to say yet
                since = cursor
                continue
            since, beat_at = cursor, loop.time() + beat_s
    finally:
        STREAMS.dec()
        _open[view.device] -= 1
        if not _open[view.device]:
            del _open[view.device]


async def stream(request: Request) -> StreamingResponse:
    """Changes after the cursor, then every later change this device sees, as JSON lines.

    Read and checked by hand like the long poll (hub.feed.router.changes), for the same reason."""
    call = await sync_call_of(request)
    since = cursor_of(request)
    beat = number(request, "beat", float, 1, MAX_BEAT_S) or DEFAULT_BEAT_S
    feed, view = call.feed, call.device.view
    if _open[view.device] >= MAX_OPEN_PER_DEVICE:
        raise TooMany("这台设备打开的变更流太多了", code="feed.streams_open", retry_after=30)
    try:
        cursor, body, _ = feed.answer(since, view, None, line=True)
    except ResetNeeded:
        raise Gone("这个位置已不在变更记录里，请重新取快照", code="feed.reset") from None
    first = body if body is not None else _beat(cursor)
    # Its own document changed: its view may have too. This line, then it reconnects (see _lines).
    last = body is not None and feed.own_change(view.device, since, cursor)
    lines = _lines(feed, view, cursor, first, beat, 0.0 if last else call.settings.stream_max_s)
    # nginx would otherwise buffer the lines; no-store: a stream is nobody's to keep.
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(lines, media_type="application/x-ndjson", headers=headers)
