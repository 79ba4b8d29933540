"""A small in-process rate limiter for public routes (enrollment, logins, phone forms)."""
from __future__ import annotations

import time
from collections import deque

from hub.errors import TooMany


class RateLimit:
    """At most `limit` hits per `per_s` seconds for each key (a client address, a name)."""

    def __init__(self, limit: int, per_s: float, max_keys: int = 100_000):
        self.limit = limit
        self.per_s = per_s
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> None:
        now = time.monotonic()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._hits.pop(next(iter(self._hits)))
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.per_s:
            hits.popleft()
        if len(hits) >= self.limit:
            raise TooMany(f"too many attempts; wait {int(self.per_s - (now - hits[0])) + 1} s")
        hits.append(now)


class Limits:
    """The rate limits of one hub process."""

    def __init__(self, enroll_per_minute: int = 10) -> None:
        self.enroll = RateLimit(limit=enroll_per_minute, per_s=60)  # guessing one-time codes
        self.phone_apply = RateLimit(limit=5, per_s=600)  # applications from one phone page visitor
        self.login = RateLimit(limit=10, per_s=60)  # password guesses per address and name
        self.order_post = RateLimit(limit=3, per_s=600)  # household orders from one visitor
