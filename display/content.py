"""What a wall shows, read from the device store: its postings (filtered as configured, in order),
announcements, figures, and how fresh it all is (no Kivy here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from device.data import DeviceData, notices_in_force
from floor.phone import mask_phone
from floor.postings import pay_text, places_left
from sync.store import DeviceStore
from wire.documents import PostingDoc

from .strings import tr


@dataclass(frozen=True)
class Snapshot:
    """One reading of the store: immutable, swapped whole when the store changes."""

    items: list[dict]
    version: str
    live_until: dict[int, float]  # posting id → end of its validity (epoch s)
    station: dict = field(default_factory=dict)
    announcements: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    employers: dict[int, dict] = field(default_factory=dict)


def phone_text(phone: str, how: str) -> str:
    return "" if how == "hidden" or not phone else (mask_phone(phone) if how == "masked" else phone)


def start_tag(start: str | None, today: dt.date) -> str:
    if not start:
        return ""
    days = (dt.date.fromisoformat(start) - today).days
    return tr("tag.today") if days <= 0 else tr("tag.tomorrow") if days == 1 else ""


def item(doc: PostingDoc, employers: dict[int, dict], config: dict, today: dt.date, public_url: str) -> dict:
    """A posting as every layout shows it (texts ready, nothing left to compute on the UI thread)."""
    employer = employers.get(doc.get("employer"), {})
    tags = [
        t
        for t in (
            tr("tag.urgent") if doc.get("urgent") else "",
            tr(f"settle.{doc.get('settle', 'daily')}"),
            start_tag(doc.get("start"), today),
        )
        if t
    ]
    return {
        "pid": doc["id"],
        "title": doc.get("title", ""),
        "employer": employer.get("name", ""),
        "verified": bool(employer.get("verified")),
        "places": tr("places", n=places_left(doc)),
        "pay": pay_text(doc, "zh"),
        "settle": tr(f"settle.{doc.get('settle', 'daily')}"),
        "phone": phone_text(doc.get("phone", ""), config.get("show_phone", "full")),
        "contact": doc.get("contact", ""),
        "place": doc.get("address", ""),
        "tags": tags,
        "urgent": bool(doc.get("urgent")),
        "qr": f"{public_url}/p/{doc['id']}" if public_url else "",
    }


def wanted(doc: PostingDoc, filters: dict, today: dt.date) -> bool:
    """The device's own filters (the hub already sends only this station's, and its trades)."""
    trades, categories = filters.get("trades") or (), filters.get("categories") or ()
    if (trades or categories) and doc.get("trade") not in trades and doc.get("category") not in categories:
        return False
    if filters.get("employer") and doc.get("employer") != filters["employer"]:
        return False
    if filters.get("urgent_only") and not doc.get("urgent"):
        return False
    if filters.get("today_only") and doc.get("start") and dt.date.fromisoformat(doc["start"]) > today:
        return False
    return places_left(doc) > 0


class WallData(DeviceData):
    """The postings this wall shows, as items, rebuilt per store change."""

    def __init__(
        self,
        store: DeviceStore,
        *,
        public_url: str = "",
        clock: Callable[[], float] = time.time,
        tz: dt.tzinfo | None = None,
    ):
        super().__init__(store, clock=clock, tz=tz)
        self.public_url = public_url.rstrip("/")
        self.snapshot = Snapshot([], "", {})

    @property
    def figures(self) -> dict:
        return self.snapshot.figures

    def refresh(self) -> Snapshot:
        with self._rebuild:
            now, today, config = self.clock(), self.today(), self.config
            filters = config.get("filters") or {}
            employers = {e["id"]: e for e in self.store.docs("employer")}
            docs = [d for d in self.store.live_postings(now) if wanted(d, filters, today)]
            # Urgent first, then what starts soonest, then the newest.
            docs.sort(key=lambda d: (not d.get("urgent"), d.get("start") or "", -d.get("from", 0), d["id"]))
            items = [item(d, employers, config, today, self.public_url) for d in docs]
            digest = hashlib.blake2b(
                repr([(d["id"], d.get("ver"), d.get("filled")) for d in docs]).encode(), digest_size=6
            ).hexdigest()
            station_id = self.enrollment.station_id
            self.snapshot = Snapshot(
                items=items,
                version=digest,
                live_until={d["id"]: d.get("to", 0) for d in docs},
                station=self.store.doc("station", station_id) or {},
                announcements=self.store.docs("announcement"),
                figures=self.station_figures(),
                config=config,
                employers=employers,
            )
            return self.snapshot

    # ---- read on every tick ---------------------------------------------------------------------
    def live_ids(self, now: float) -> frozenset[int]:
        """Postings still to be shown now: expiry is checked here, on the device's clock, offline too."""
        return frozenset(pid for pid, until in self.snapshot.live_until.items() if until > now)

    def announcements(self, now: float) -> tuple[list[dict], dict | None]:
        """The ticker's notices, by priority; and the emergency message in force, if any."""
        return notices_in_force(self.snapshot.announcements, now)

    def last_sync(self) -> float | None:
        return self.store.last_sync_ok()

    def hm(self, epoch: float) -> str:
        return dt.datetime.fromtimestamp(epoch, self.tz).strftime("%H:%M")
