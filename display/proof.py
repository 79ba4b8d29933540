"""Proof of play: how often and how long each posting was on screen, sent up in compact batches."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sync.store import DeviceStore
from wire import events

FLUSH_EVERY_S = 300.0


class PlayLog:
    """Counts showings per posting in memory, and every few minutes queues one `play` event."""

    def __init__(self, store: DeviceStore, *, clock: Callable[[], float] = time.time, every_s: float = FLUSH_EVERY_S):
        self.store = store
        self.clock = clock
        self.every_s = every_s
        self._lock = threading.Lock()
        self._since = clock()
        self._shown: dict[int, list[float]] = {}  # posting id → [showings, seconds]
        self._on_screen: tuple[float, tuple[int, ...]] | None = None

    def showing(self, posting_ids: list[int] | tuple[int, ...]) -> None:
        """What is on screen from now on (the previous page's time is booked to its postings)."""
        now = self.clock()
        with self._lock:
            self._book(now)
            self._on_screen = (now, tuple(posting_ids))
            for pid in posting_ids:
                self._shown.setdefault(pid, [0, 0.0])[0] += 1
        if now - self._since >= self.every_s:
            self.flush()

    @property
    def on_screen(self) -> tuple[int, ...]:
        """The postings booked as on screen now."""
        with self._lock:
            return self._on_screen[1] if self._on_screen is not None else ()

    def _book(self, now: float) -> None:
        if self._on_screen is not None and now > self._on_screen[0]:
            started, ids = self._on_screen
            for pid in ids:
                self._shown.setdefault(pid, [0, 0.0])[1] += now - started
            self._on_screen = (now, ids)

    def flush(self) -> int | None:
        """Queues what was shown since the last flush as one event; returns its number."""
        now = self.clock()
        with self._lock:
            self._book(now)
            shown, since = self._shown, self._since
            self._shown, self._since = {}, now
        if not shown:
            return None
        body: events.Play = {
            "from": round(since, 1),
            "to": round(now, 1),
            "shown": [[pid, int(n), round(s, 1)] for pid, (n, s) in sorted(shown.items())],
        }
        with self.store.user_action() as action:
            return action.emit("play", body)
