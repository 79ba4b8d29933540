"""Bootstrap for new devices: every live document a view sees, columnar and gzipped, built once per view."""
from __future__ import annotations

import asyncio
import gzip
import json
import time
from dataclasses import dataclass

import anyio

from hub.db import Database
from sync.protocol import DOC_KINDS, encode_snapshot

from . import service
from .cache import FeedCache
from .scope import View, parse

KIND_ORDER = {kind: i for i, kind in enumerate(DOC_KINDS)}


@dataclass(frozen=True)
class Snapshot:
    cursor: int
    gzipped: bytes
    raw_bytes: int
    documents: int
    built_at: float


class SnapshotCache:
    """Snapshots are valid forever (the feed continues from their cursor), so one build serves
    every device with the same view until the feed window no longer reaches back to it."""

    def __init__(self, db: Database, feed: FeedCache, *, max_age_s: float = 300, max_views: int = 256):
        self.db = db
        self.feed = feed
        self.max_age_s = max_age_s
        self.max_views = max_views
        self._built: dict[tuple, Snapshot] = {}
        self._building: dict[tuple, asyncio.Future] = {}

    async def get(self, view: View) -> Snapshot:
        key = view.shared_key
        snap = self._built.get(key)
        if snap is not None and snap.cursor >= self.feed.floor and time.time() - snap.built_at < self.max_age_s:
            return snap
        pending = self._building.get(key)
        if pending is None:
            pending = self._building[key] = asyncio.ensure_future(anyio.to_thread.run_sync(self.build, view))
            pending.add_done_callback(lambda _: self._building.pop(key, None))
        snap = await asyncio.shield(pending)
        if len(self._built) >= self.max_views:
            self._built.pop(next(iter(self._built)))
        self._built[key] = snap
        return snap

    def build(self, view: View) -> Snapshot:
        with self.db.read() as session:
            cursor, rows = service.live_state(session, int(time.time()))
            docs = [
                (kind, doc) for kind, doc, scope in rows
                if kind != "device" and view.sees(kind, parse(scope))
            ]
        docs.sort(key=lambda d: KIND_ORDER.get(d[0], len(KIND_ORDER)))
        raw = encode_snapshot(cursor, ((kind, json.loads(doc)) for kind, doc in docs))
        return Snapshot(cursor, gzip.compress(raw, compresslevel=9, mtime=0), len(raw), len(docs), time.time())
