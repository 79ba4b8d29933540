"""Bootstrap for new devices: every live document a view sees, columnar and gzipped, one build at a time."""

from __future__ import annotations

import asyncio
import gzip
import time
from dataclasses import dataclass

import anyio

from . import live
from .cache import FeedCache
from .scope import View


@dataclass(frozen=True)
class Snapshot:
    cursor: int
    gzipped: bytes
    raw_bytes: int
    documents: int
    built_at: float


class SnapshotCache:
    """A snapshot stays valid as long as the feed can continue from its cursor, so one build
    serves every device with the same view; builds run one at a time, which keeps memory and
    CPU bounded when a whole hall of devices starts at once."""

    def __init__(self, feed: FeedCache, *, max_age_s: float = 120, max_views: int = 256):
        self.feed = feed
        self.max_age_s = max_age_s
        self.max_views = max_views
        self._built: dict[tuple, Snapshot] = {}
        self._lock = asyncio.Lock()

    def _fresh(self, snap: Snapshot | None) -> bool:
        return snap is not None and snap.cursor >= self.feed.floor and time.time() - snap.built_at < self.max_age_s

    async def get(self, view: View) -> Snapshot:
        key = view.shared_key
        if self._fresh(self._built.get(key)):
            return self._built[key]
        async with self._lock:
            snap = self._built.get(key)
            if self._fresh(snap):
                return snap
            # Chosen on the event loop, where the feed changes, so rows and cursor agree.
            cursor, tables = self.feed.head, self.feed.live.select(view, time.time())
            snap = await anyio.to_thread.run_sync(self._compress, cursor, tables)
            self._built.pop(key, None)
            if len(self._built) >= self.max_views:
                self._built.pop(next(iter(self._built)))
            self._built[key] = snap
            return snap

    @staticmethod
    def _compress(cursor: int, tables: dict) -> Snapshot:
        raw = live.encode(cursor, tables)
        return Snapshot(
            cursor,
            gzip.compress(raw, compresslevel=6, mtime=0),
            len(raw),
            sum(len(rows) for _, rows in tables.values()),
            time.time(),
        )
