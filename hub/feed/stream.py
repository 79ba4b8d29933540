"""The change feed as a stream: one response a device holds open, a line written to it per batch."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass

import anyio
from fastapi import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from hub.deps import sync_call_of
from hub.errors import Gone, TooMany
from hub.metrics.instruments import STREAMS
from wire.protocol import MAX_BEAT_S

from .cache import FeedCache, ResetNeeded
from .params import cursor_of, number
from .scope import View

DEFAULT_BEAT_S = 20.0
# A device holds one stream, but after a link that died without a word (a NAT that forgot it, a
# router without power) the hub may hold its old ones for minutes: a new stream makes those beyond
# the newest KEEP_PER_DEVICE give way (each ends at its next wake or keep-alive). More than
# MAX_OPEN_PER_DEVICE at once is someone opening streams with one device's token to tie the hub
# up: 429.
KEEP_PER_DEVICE = 2
MAX_OPEN_PER_DEVICE = 6
# A write the reader has not taken within this (plus a second per 16 KB, for a long first line on
# a slow link) ends the stream: a reader that stopped reading must not hold it for ever.
WRITE_WITHIN_S = 40.0
# Where hub.app.HubApp leaves the server's own `send` on the scope: a stream's lines go straight to
# it, past the middlewares, which have done their work on the answer's start.
SERVER_SEND = "lingong.server_send"


@dataclass(eq=False, slots=True)
class _Slot:
    device: int
    ended: bool = False  # a newer stream of the same device asked this one to give way


_open: dict[int, list[_Slot]] = {}  # this process's open streams, by device, oldest first


def _take_slot(device: int) -> _Slot:
    held = _open.setdefault(device, [])
    if len(held) >= MAX_OPEN_PER_DEVICE:
        raise TooMany("这台设备打开的变更流太多了", code="feed.streams_open", retry_after=30)
    slot = _Slot(device)
    held.append(slot)
    for old in held[:-KEEP_PER_DEVICE]:
        old.ended = True
    return slot


def _give_back(slot: _Slot) -> None:
    held = _open.get(slot.device, [])
    if slot in held:
        held.remove(slot)
    if not held:
        _open.pop(slot.device, None)


class _Stream(Response):
    """The stream as the route's answer: the first line, then a line per batch that concerns the
    device, until it ends (see `_lines`). A loop of its own rather than Starlette's
    StreamingResponse over an async generator, with a coarse alarm (hub.feed.alarms) rather than
    asyncio.timeout on each write: this runs once per device for every change, and those layers
    were a fifth of a city hub's CPU (py-spy, 1,000 devices on two processes)."""

    media_type = "application/x-ndjson"

    def __init__(
        self,
        feed: FeedCache,
        view: View,
        slot: _Slot,
        since: int,
        first: bytes,
        beat_s: float,
        max_s: float,
        headers: dict[str, str],
    ):
        self.status_code = 200
        self.background = None
        self.init_headers(headers)  # no Content-Length: the body is chunked, its end unknown
        self.feed, self.view, self.slot = feed, view, slot
        self.since, self.first, self.beat_s, self.max_s = since, first, beat_s, max_s
        self.finished = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(_until_gone, receive, tasks.cancel_scope)
                # A task of its own: each wake resumes a stack four frames deep, not this one
                # under the server's and the app's two dozen middlewares.
                tasks.start_soon(self._serve, scope.get(SERVER_SEND, send), send, tasks.cancel_scope)
            # Left unfinished (a write past its deadline, the client gone): the server closes it.
        finally:
            _give_back(self.slot)

    async def _serve(self, server_send: Send, send: Send, cancel: anyio.CancelScope) -> None:
        await self._lines(server_send, cancel)
        if self.finished:  # the end, under the same deadline (through the middlewares, like the start)
            await self._write(send, b"", cancel, more=False)
        cancel.cancel()

    async def _write(self, send: Send, chunk: bytes, cancel: anyio.CancelScope, *, more: bool = True) -> None:
        """One line, ended with the whole stream if the reader has not taken it in time."""
        alarms = self.feed.alarms
        alarm = alarms.set(asyncio.get_running_loop().time() + WRITE_WITHIN_S + len(chunk) / 16384, cancel, _end)
        try:
            await send({"type": "http.response.body", "body": chunk, "more_body": more})
        finally:
            alarms.clear(alarm, cancel)

    async def _lines(self, send: Send, cancel: anyio.CancelScope) -> None:
        """Every batch that concerns the view, as the feed learns of it. Each device's loop wakes
        on a change that concerns it (hub.feed.waiters) and writes the bytes made once for all
        devices that see the same (FeedCache.answer).

        The stream ends — and the device reconnects, authenticating again — when its own document
        changed (its configuration may change what it sees; a revocation is one), when the
        process drains, after `max_s`, when a newer stream of the device asks it to give way, or
        when its cursor left this process's window."""
        feed, view, slot, since = self.feed, self.view, self.slot, self.since
        loop = asyncio.get_running_loop()
        end = loop.time() + self.max_s
        STREAMS.inc()
        try:
            await self._write(send, self.first, cancel)
            beat_at = loop.time() + self.beat_s
            while self.max_s > 0:
                await feed.wait_for(view, since, min(beat_at, end) - loop.time())
                now = loop.time()
                if feed.draining or now >= end or slot.ended:
                    break
                try:
                    cursor, body, _ = feed.answer(since, view, None, line=True)
                except ResetNeeded:
                    break  # the device reconnects from its cursor and is told to take a snapshot
                if body is not None:
                    # Asked before the write: a slow reader's write may wait while the feed trims
                    # its window past the device's own change, and own_change would no longer find it.
                    last = bool(view.device) and feed.own_change(view.device, since, cursor)
                    await self._write(send, body, cancel)
                    if last:
                        break
                elif now >= beat_at:
                    await self._write(send, _beat(cursor), cancel)
                else:  # woken with nothing for it (its group's own-document change): nothing to say yet
                    since = cursor
                    continue
                since, beat_at = cursor, loop.time() + self.beat_s
            self.finished = True
        finally:
            STREAMS.dec()


async def _until_gone(receive: Receive, cancel: anyio.CancelScope) -> None:
    """Ends the stream when the client hangs up (a write to a closed connection is not an error
    under uvicorn: it would go on writing to nobody until the stream's end)."""
    while (await receive())["type"] != "http.disconnect":
        pass
    cancel.cancel()


def _end(cancel: anyio.CancelScope) -> None:
    cancel.cancel()


def lifetime(max_s: float) -> float:
    """How long this stream stays open: its setting less up to a fifth, at random. Devices that
    connected together (a district back from a power cut) would otherwise reconnect together, all
    at once, every `max_s` for as long as the hub runs."""
    return max_s * random.uniform(0.8, 1.0)


def _beat(cursor: int) -> bytes:
    return b'{"cursor":%d}\n' % cursor


async def stream(request: Request) -> _Stream:
    """Changes after the cursor, then every later change this device sees, as JSON lines.

    Read and checked by hand like the long poll (hub.feed.router.changes), for the same reason."""
    call = await sync_call_of(request)
    since = cursor_of(request)
    beat = number(request, "beat", float, 1, MAX_BEAT_S) or DEFAULT_BEAT_S
    feed, view = call.feed, call.device.view
    await feed.reach(since)  # (another hub process may have given it a cursor this one has not read yet)
    try:
        cursor, body, _ = feed.answer(since, view, None, line=True)
    except ResetNeeded:
        raise Gone("这个位置已不在变更记录里，请重新取快照", code="feed.reset") from None
    first = body if body is not None else _beat(cursor)
    # Its own document changed: its view may have too. This line, then it reconnects (see _lines).
    last = body is not None and feed.own_change(view.device, since, cursor)
    slot = _take_slot(view.device)
    max_s = 0.0 if last else lifetime(call.settings.stream_max_s)
    # nginx would otherwise buffer the lines; no-store: a stream is nobody's to keep.
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return _Stream(feed, view, slot, cursor, first, beat, max_s, headers)
