"""What the kiosk's and the wall's data share (kiosk.data.KioskData, display.content.WallData): the
store and enrolment, the clock and the day, this device's settings, the station's figures and the
notices in force — one rule for each, so the two screens never disagree."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from floor import timezone
from sync.store import DeviceStore

IN_STEP_S = 600  # a device that synced this recently counts as in step with the hub
# Out of touch for longer, a screen says its postings may be out of date (the wall's own setting
# `stale_after_s` defaults to the same); what expires meanwhile leaves by this device's clock.
STALE_AFTER_S = 600
MARKET_STALE_S = 14 * 86400  # older market figures are not shown: the market has moved on


class DeviceData:
    """Rebuilt in a background thread when the store changes; read by the UI thread without locks
    (each rebuild swaps in new immutable objects). Subclasses say where their figures are held."""

    def __init__(self, store: DeviceStore, *, clock: Callable[[], float] = time.time, tz: dt.tzinfo | None = None):
        self.store = store
        self.enrollment = store.enrollment()
        self.clock = clock
        self.tz = tz or timezone.local()
        self._rebuild = threading.Lock()

    def today(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.clock(), self.tz).date()

    def when(self, epoch: float) -> str:
        """A time today as 18:30; another day's as 12月5日 18:30."""
        moment = dt.datetime.fromtimestamp(epoch, self.tz)
        hm = moment.strftime("%H:%M")
        return hm if moment.date() == self.today() else f"{moment.month}月{moment.day}日 {hm}"

    def out_of_step(self, after_s: float = STALE_AFTER_S) -> float | None:
        """When this device last heard from the hub (0.0: never), if longer ago than `after_s`;
        None while it is in step."""
        last = self.store.last_sync_ok()
        if last is not None and self.clock() - last <= after_s:
            return None
        return last or 0.0

    @property
    def config(self) -> dict:
        """This device's settings from the hub (its private `device` document)."""
        return (self.store.doc("device", self.enrollment.device_id) or {}).get("config") or {}

    def station_figures(self) -> dict:
        """This station's figures document as the store holds it now."""
        station_id = self.enrollment.station_id
        return next((f for f in self.store.docs("figures") if f.get("station") == station_id), {})

    @property
    def figures(self) -> dict:
        """The figures as of the last rebuild."""
        raise NotImplementedError

    def placed_today(self) -> int | None:
        """People this station placed today; None when this device cannot know (out of touch)."""
        figures = self.figures
        if figures.get("date") == self.today().isoformat():
            return figures.get("placed_today")
        # The hub publishes a station's figures whenever they change: a device in step with the
        # feed that has none for today knows that nobody has been placed yet today.
        last_ok = self.store.last_sync_ok()
        return 0 if last_ok is not None and self.clock() - last_ok < IN_STEP_S else None


def fresh_market(doc: dict | None, now: float) -> dict | None:
    """The hub's market document (pay guide, shortage list) if it is recent enough to show."""
    return doc if doc and now - doc.get("at", 0) <= MARKET_STALE_S else None


def notices_in_force(announcements: list[dict], now: float) -> tuple[list[dict], dict | None]:
    """The notices shown now, most important and then newest first; and the emergency message in
    force, if any (it covers the wall and is never one notice among others)."""
    live = [a for a in announcements if a.get("from", 0) <= now < a.get("to", now + 1)]
    live.sort(key=lambda a: (-a.get("priority", 0), -a.get("from", 0)))
    emergency = next((a for a in live if a.get("kind") == "emergency"), None)
    return [a for a in live if a.get("kind") != "emergency"], emergency
