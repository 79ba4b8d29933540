"""Sync routes devices pull from: the snapshot and the long-polled change feed."""

from __future__ import annotations

import asyncio
import gzip

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from hub.deps import SyncDep, sync_call_of
from hub.errors import Gone
from hub.metrics.instruments import LONG_POLLS
from wire.protocol import CHANGES_PATH, MAX_BEAT_S, MAX_WAIT_S, SNAPSHOT_PATH, STREAM_PATH, etag

from .cache import ResetNeeded
from .params import cursor_of, number
from .stream import stream

router = APIRouter(tags=["sync"])


class RequestRoute(APIRoute):
    """A route documented like any other whose endpoint takes the Request and returns a Response,
    called without FastAPI's parameter handling (see `changes`)."""

    def get_route_handler(self):
        return self.endpoint


GZIP_ABOVE = 1400  # bytes; smaller bodies fit one packet anyway


@router.get(
    SNAPSHOT_PATH,
    responses={200: {"content": {"application/json": {}}, "description": "columnar snapshot (see wire.protocol)"}},
)
async def snapshot(request: Request, call: SyncDep) -> Response:
    """Everything this device sees now, with the cursor to continue the feed from."""
    snap = await call.snapshots.get(call.device.view)
    headers = {"ETag": etag(snap.cursor), "Cache-Control": "no-store", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(snap.gzipped, media_type="application/json", headers=headers)
    return Response(gzip.decompress(snap.gzipped), media_type="application/json", headers=headers)


_CHANGES_DOC = {
    "parameters": [
        {
            "name": "since",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0},
            "description": "the cursor the device holds (or give it as If-None-Match)",
        },
        {
            "name": "wait",
            "in": "query",
            "required": False,
            "schema": {"type": "number", "minimum": 0, "maximum": MAX_WAIT_S, "default": 0},
            "description": "seconds to hold the request open until there is a change",
        },
        {"name": "If-None-Match", "in": "header", "required": False, "schema": {"type": "string"}},
    ],
    "security": [{"device token": []}],
}


async def changes(request: Request) -> Response:
    """Changes this device must apply, held open up to `wait` seconds until there is one.

    Every device calls this after every change, so FastAPI's parameter handling is skipped:
    resolving parameters cost a third of the hub's CPU under load. They are read and checked here."""
    call = await sync_call_of(request)
    since = cursor_of(request)
    wait = number(request, "wait", float, 0, MAX_WAIT_S) or 0.0
    feed, view = call.feed, call.device.view
    accepts_gzip = "gzip" in request.headers.get("accept-encoding", "")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, call.settings.longpoll_max_s)
    await feed.reach(since)  # (another hub process may have given it a cursor this one has not read yet)
    while True:
        try:
            cursor, body, zipped = feed.answer(since, view, GZIP_ABOVE if accepts_gzip else None)
        except ResetNeeded:
            raise Gone("这个位置已不在变更记录里，请重新取快照", code="feed.reset") from None
        if body is not None:
            headers = {"ETag": etag(cursor)}
            if zipped:
                headers.update({"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
            return Response(body, media_type="application/json", headers=headers)
        since = cursor  # nothing up to here concerns this device
        remaining = deadline - loop.time()
        if remaining <= 0 or feed.draining:
            return Response(status_code=304, headers={"ETag": etag(cursor)})
        LONG_POLLS.inc()
        try:
            await feed.wait_beyond(cursor, remaining)
        finally:
            LONG_POLLS.dec()


router.add_api_route(
    CHANGES_PATH,
    changes,
    methods=["GET"],
    route_class_override=RequestRoute,
    openapi_extra=_CHANGES_DOC,
    responses={
        200: {"content": {"application/json": {}}, "description": "changes after the cursor"},
        304: {"description": "nothing new; the ETag is the cursor to continue from"},
        401: {"description": "no, unknown or revoked device token"},
        410: {"description": "the cursor is outside the feed: take a snapshot"},
        422: {"description": "a malformed parameter, named in `field`"},
    },
)


_STREAM_DOC = {
    "parameters": [
        _CHANGES_DOC["parameters"][0],
        {
            "name": "beat",
            "in": "query",
            "required": False,
            "schema": {"type": "number", "minimum": 1, "maximum": MAX_BEAT_S, "default": 20},
            "description": "the longest silence: a line with only the cursor is written after this many seconds",
        },
        _CHANGES_DOC["parameters"][2],
    ],
    "security": [{"device token": []}],
}

router.add_api_route(
    STREAM_PATH,
    stream,
    methods=["GET"],
    route_class_override=RequestRoute,
    openapi_extra=_STREAM_DOC,
    responses={
        200: {
            "content": {"application/x-ndjson": {}},
            "description": "one JSON object per line: changes after the cursor, as the long poll gives them, "
            "then each later batch; a line with only `cursor` says the link is alive",
        },
        401: {"description": "no, unknown or revoked device token"},
        410: {"description": "the cursor is outside the feed: take a snapshot"},
        422: {"description": "a malformed parameter, named in `field`"},
        429: {"description": "this device holds too many streams open already"},
    },
)
