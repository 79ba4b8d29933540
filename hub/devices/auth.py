"""Device tokens to identities, cached per process and dropped the moment the feed says the device changed."""

from __future__ import annotations

import time

import anyio

from hub.db import Database
from hub.errors import Unauthenticated
from hub.feed.cache import Entry, FeedCache
from hub.tokens import hash_secret

from . import service
from .service import DeviceIdentity

# A safety net only: revocations and configuration changes arrive through the feed at once.
TTL_S = 300.0
# Lookups at a time in a process. A district's devices reconnecting together (after a power cut,
# and then each time their streams end) would otherwise each hold a thread and a connection at once,
# past the pool's size: every connection beyond it is made, used once and closed again, which was a
# quarter of the lookups' cost (py-spy, 5,000 devices). Each lookup is one indexed statement.
AT_ONCE = 4


class DeviceAuth:
    def __init__(self, db: Database, feed: FeedCache):
        self.db = db
        self._cache: dict[str, tuple[DeviceIdentity, float]] = {}
        self._lookups = anyio.CapacityLimiter(AT_ONCE)
        feed.on_entries(self._forget_changed)

    async def identify(self, token: str) -> DeviceIdentity:
        key = hash_secret(token)
        hit = self._cache.get(key)
        if hit is not None and hit[1] > time.monotonic():
            return hit[0]
        ident = await anyio.to_thread.run_sync(self._lookup, token, limiter=self._lookups)
        if ident is None:
            self._cache.pop(key, None)
            raise Unauthenticated("设备令牌无效或已撤销", code="auth.device_token_invalid")
        self._cache[key] = (ident, time.monotonic() + TTL_S)
        return ident

    def _lookup(self, token: str) -> DeviceIdentity | None:
        with self.db.read() as session:
            return service.authenticate(session, token)

    def forget(self, device_id: int) -> None:
        """Drops a device's cached identity in this process at once (its revocation reaches the
        other processes through the feed, within a moment)."""
        for key in [k for k, (ident, _) in self._cache.items() if ident.id == device_id]:
            self._cache.pop(key, None)

    def _forget_changed(self, entries: list[Entry]) -> None:
        changed = {e.entity_id for e in entries if e.kind == "device"}
        if changed:
            for key in [k for k, (ident, _) in self._cache.items() if ident.id in changed]:
                del self._cache[key]
