"""Coarse timers for the thousands of waits and writes of a city's streams, most cleared before they ring."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)

# How late an alarm may ring. A stream's keep-alive (seconds) and a write's deadline (tens of
# seconds) need nothing finer.
RESOLUTION_S = 0.25


class Alarms:
    """Alarms in buckets of RESOLUTION_S, one timer of the loop's a bucket.

    Every stream sets one alarm for each wait (its keep-alive) and one for each write (its
    deadline), and a publish wakes and writes to them all: the loop's own timer for each (uvloop
    makes a libuv handle each time, and closes it again at the cancel) was a sixth of a hub's CPU
    in a fan-out (py-spy, 1,000 streams). Here setting and clearing an alarm is a dict's insert
    and pop; an alarm rings up to RESOLUTION_S after its time."""

    def __init__(self, resolution_s: float = RESOLUTION_S):
        self.resolution_s = resolution_s
        self._buckets: dict[int, dict[Hashable, Callable]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None  # whose timers ring the buckets

    def set(self, when: float, key: Hashable, ring: Callable[[Hashable], object]) -> int:
        """`ring(key)` at the loop's time `when`, unless cleared first. Returns the bucket, for `clear`.
        A key has one alarm a bucket: setting it again there replaces it."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._adopt(loop)
        bucket_no = math.ceil(when / self.resolution_s)
        bucket = self._buckets.get(bucket_no)
        if bucket is None:
            # The timer first: a bucket kept without one would never ring.
            loop.call_at(bucket_no * self.resolution_s, self._ring, bucket_no)
            bucket = self._buckets[bucket_no] = {}
        bucket[key] = ring
        return bucket_no

    def _adopt(self, loop: asyncio.AbstractEventLoop) -> None:
        """Buckets ring on the loop that made them. A second loop while the first still runs would
        leave its alarms in buckets whose timers are another thread's; after the first has closed,
        its buckets will never ring and are dropped."""
        if self._loop is not None and not self._loop.is_closed():
            raise RuntimeError("these alarms ring on another event loop")
        self._loop, self._buckets = loop, {}

    def clear(self, bucket_no: int, key: Hashable) -> None:
        bucket = self._buckets.get(bucket_no)
        if bucket is not None:
            bucket.pop(key, None)

    def _ring(self, bucket_no: int) -> None:
        for key, ring in self._buckets.pop(bucket_no, {}).items():
            try:
                ring(key)
            except Exception:  # one alarm's failure must not leave the rest of its bucket unrung
                log.exception("an alarm failed")

    def pending(self) -> int:
        return sum(len(b) for b in self._buckets.values())
