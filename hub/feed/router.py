"""Sync routes devices pull from: the snapshot and the long-polled change feed."""
from __future__ import annotations

import asyncio
import gzip
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response

from hub.deps import DeviceDep, FeedDep, SettingsDep, SnapshotsDep
from hub.errors import Gone, Invalid
from sync.protocol import CHANGES_PATH, MAX_WAIT_S, SNAPSHOT_PATH, etag, parse_etag

from .cache import ResetNeeded

router = APIRouter(tags=["sync"])

CURSOR_HEADER = "Lingong-Cursor"


@router.get(SNAPSHOT_PATH, responses={200: {"content": {"application/json": {}},
                                            "description": "columnar snapshot (see sync.protocol)"}})
async def snapshot(request: Request, device: DeviceDep, snapshots: SnapshotsDep) -> Response:
    """Everything this device sees now, with the cursor to continue the feed from."""
    snap = await snapshots.get(device.view)
    headers = {"ETag": etag(snap.cursor), "Cache-Control": "no-store", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(snap.gzipped, media_type="application/json", headers=headers)
    return Response(gzip.decompress(snap.gzipped), media_type="application/json", headers=headers)


@router.get(CHANGES_PATH, responses={
    200: {"content": {"application/json": {}}, "description": "changes after the cursor"},
    304: {"description": "nothing new; the ETag is the cursor to continue from"},
    410: {"description": "the cursor is outside the feed: take a snapshot"},
})
async def changes(
    device: DeviceDep,
    feed: FeedDep,
    settings: SettingsDep,
    since: Annotated[int | None, Query(ge=0, description="the cursor the device holds")] = None,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description="seconds to hold the request")] = 0,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Changes this device must apply, held open up to `wait` seconds until there is one."""
    if since is None:
        since = parse_etag(if_none_match)
        if since is None:
            raise Invalid("give the cursor as ?since=N or If-None-Match", field="since")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, settings.longpoll_max_s)
    while True:
        try:
            cursor, items = feed.items(since, device.view)
        except ResetNeeded:
            raise Gone("the cursor is outside the change feed; take a snapshot") from None
        if items:
            body = f'{{"cursor":{cursor},"changes":[{",".join(items)}]}}'
            return Response(body, media_type="application/json", headers={"ETag": etag(cursor)})
        since = cursor  # nothing up to here concerns this device
        remaining = deadline - loop.time()
        if remaining <= 0:
            return Response(status_code=304, headers={"ETag": etag(cursor), CURSOR_HEADER: str(cursor)})
        await feed.wait_beyond(cursor, remaining)
