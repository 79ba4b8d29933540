"""Card visits per local day, counted in memory and sent up every few minutes as one `visits` event
(no person in it: a count), as a wall sends its proof of play."""

from __future__ import annotations

import threading
from collections import Counter

from device.data import DeviceData
from wire import events

FLUSH_EVERY_S = 300.0


class VisitLog:
    """Counts the cards laid on this kiosk per its local day; `due()` says when to queue them."""

    def __init__(self, data: DeviceData, *, every_s: float = FLUSH_EVERY_S):
        self.data = data
        self.every_s = every_s
        self._lock = threading.Lock()
        self._days: Counter[str] = Counter()
        self._since = data.clock()

    def count(self) -> None:
        """One card visit, now (in memory: the card's way to its list pays for no disk write)."""
        with self._lock:
            self._days[self.data.today().isoformat()] += 1

    def due(self) -> bool:
        return bool(self._days) and self.data.clock() - self._since >= self.every_s

    def flush(self) -> int | None:
        """Queues the visits counted since the last flush as one event; returns its number."""
        with self._lock:
            days, self._days, self._since = self._days, Counter(), self.data.clock()
        if not days:
            return None
        body: events.Visits = {"days": [[day, n] for day, n in sorted(days.items())]}
        with self.data.store.user_action() as action:
            return action.emit("visits", body)
