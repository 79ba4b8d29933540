"""The kiosk's data: everything the screens show comes from here, and every action goes through here
into the device store's outbox. Nothing else in the kiosk touches the store."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cardreader.identity import Identity
from device.data import DeviceData, fresh_market, notices_in_force
from sync.errors import SyncError
from sync.session import HubSession
from sync.store import DeviceStore
from wire import events, protocol, sealed
from wire.documents import MARKET_DOC_ID

from .applied import AppliedLog
from .bookings import BookingLog
from .matching import Match, PostingIndex, Worker
from .signups import SignupLog

log = logging.getLogger(__name__)
# Least-pay choices are round figures: steps in fen per pay unit, and the ladder offered for a
# unit no live posting quotes (the register screen's fallback).
# The receipt's code of each kind of seat asked for (known before the hub answers).
SEAT_CODES = {
    "course_signup": protocol.signup_code,
    "bus_signup": protocol.bus_code,
    "fair_ticket": protocol.ticket_code,
}
PAY_STEP = {"hour": 500, "day": 5000, "piece": 1000, "lesson": 1000, "month": 50000}
PAY_LADDER = {
    "day": (20000, 25000, 30000, 40000),
    "hour": (2000, 2500, 3000),
    "month": (400000, 500000, 600000),
    "piece": (5000, 10000, 20000),
    "lesson": (8000, 10000, 15000),
}


@dataclass(frozen=True)
class Reference:
    """The slowly changing documents: trades, categories, employers, this station, notices."""

    station: dict
    trades: dict[int, dict] = field(default_factory=dict)
    categories: dict[int, dict] = field(default_factory=dict)
    employers: dict[int, dict] = field(default_factory=dict)
    announcements: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    # the pay guide from the hub's market document: (trade id, unit) → [low, median, high, official]
    rates: dict[tuple[int, str], list] = field(default_factory=dict)
    # 紧缺工种 from the same document: [trade id, places, workers, ratio, trend], most short first,
    # and when the hub computed them (a kiosk left running checks their age when it shows them)
    shortage: list = field(default_factory=list)
    market_at: int = 0
    courses: list[dict] = field(default_factory=list)  # 技能培训 held now (kiosk.training)
    buses: list[dict] = field(default_factory=list)  # 包车 departures held now (kiosk.charter)
    fairs: list[dict] = field(default_factory=list)  # 招聘会 held now (kiosk.hall)

    @property
    def category_of(self) -> dict[int, int]:
        return {tid: t["category"] for tid, t in self.trades.items()}

    def trades_in(self, category_id: int) -> list[dict]:
        return sorted((t for t in self.trades.values() if t["category"] == category_id), key=lambda t: t["sort"])


def guide_rates(doc: dict | None, now: float) -> dict[tuple[int, str], list]:
    """The pay guide by trade and unit, when the hub's figures are fresh enough to show."""
    doc = fresh_market(doc, now)
    return {(r[0], r[1]): [r[2], r[3], r[4], bool(r[6:7] and r[6])] for r in (doc or {}).get("rates") or []}


class KioskData(DeviceData):
    """The station's reference documents and the matching index, rebuilt per store change."""

    def __init__(self, store: DeviceStore, *, clock: Callable[[], float] = time.time, tz: dt.tzinfo | None = None):
        super().__init__(store, clock=clock, tz=tz)
        self.reference = Reference(station={"id": self.enrollment.station_id, "name": "", "lat": 0.0, "lon": 0.0})
        self.index = PostingIndex(
            [], station_id=self.enrollment.station_id, station_lat=0.0, station_lon=0.0, today=self.today()
        )
        self.bookings = BookingLog(store)
        self.applied = AppliedLog(store, self.bookings.who)  # (one keyed hash for all three)
        self.signups = SignupLog(store, self.bookings.who)

    @property
    def figures(self) -> dict:
        return self.reference.figures

    # ---- keeping current ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reads the store again (after a sync brought changes, or at midnight)."""
        with self._rebuild:
            station_id = self.enrollment.station_id
            station = self.store.doc("station", station_id) or {"id": station_id, "name": "", "lat": 0.0, "lon": 0.0}
            device = self.store.doc("device", self.enrollment.device_id) or {}
            figures = self.station_figures()
            market = self.store.doc("market", MARKET_DOC_ID)
            reference = Reference(
                station=station,
                trades={t["id"]: t for t in self.store.docs("trade")},
                categories={c["id"]: c for c in self.store.docs("category")},
                employers={e["id"]: e for e in self.store.docs("employer")},
                announcements=self.store.docs("announcement"),
                figures=figures,
                config=device.get("config") or {},
                rates=guide_rates(market, self.clock()),
                shortage=list((market or {}).get("shortage") or []),
                market_at=int((market or {}).get("at") or 0),
                courses=self.store.docs("course"),
                buses=self.store.docs("departure"),
                fairs=self.store.docs("fair"),
            )
            index = PostingIndex(
                self.store.live_postings(self.clock()),
                station_id=station_id,
                station_lat=station["lat"],
                station_lon=station["lon"],
                today=self.today(),
            )
            self.reference, self.index = reference, index
        # Booking records of a worker who never came back: nothing anyone needs once the slot is over.
        self.bookings.purge(self.clock())
        self.applied.purge()
        self.signups.purge()

    # ---- what the screens show --------------------------------------------------------------------
    def matches(self, worker: Worker, limit: int = 20, category: int | None = None) -> list[Match]:
        return self.index.match(worker, self.clock(), limit, category=category)

    def ranked(
        self, worker: Worker, limit: int = 20, category: int | None = None, trade: int | None = None
    ) -> tuple[list[Match], int]:
        """The best `limit` matches and how many postings suit the worker at all (of one category
        or one trade, when given)."""
        return self.index.ranked(worker, self.clock(), limit, category=category, trade=trade)

    def pay_ladder(self, trade_ids=(), units: int = 3) -> list[tuple[str, list[int]]]:
        """What a worker of these trades (any trade when none) may ask as a least pay: the units the
        live postings of those trades quote, most quoted first (at most `units`), each with three
        round amounts — a fifth, a half and four fifths of those postings pay at least that much."""
        wanted = set(trade_ids)
        quoted: dict[str, list[int]] = {}
        for doc in self.index.docs:
            if (not wanted or doc.get("trade") in wanted) and doc.get("pay_max"):
                quoted.setdefault(doc.get("unit", "day"), []).append(int(doc["pay_max"]))
        ladder = []
        for unit, pays in sorted(quoted.items(), key=lambda item: -len(item[1]))[:units]:
            pays.sort()
            step = PAY_STEP.get(unit, 100)
            amounts = {pays[int(len(pays) * q)] // step * step for q in (0.8, 0.5, 0.2)}
            ladder.append((unit, sorted(a for a in amounts if a > 0) or list(PAY_LADDER.get(unit, ()))))
        return ladder or [("day", list(PAY_LADDER["day"]))]

    def shortage(self) -> list[list]:
        """紧缺工种 rows of trades this kiosk knows, most short first; none once the figures are stale."""
        ref = self.reference
        if fresh_market({"at": ref.market_at}, self.clock()) is None:
            return []
        return [r for r in ref.shortage if isinstance(r, list) and len(r) >= 5 and r[0] in ref.trades]

    def open_in_trade(self, trade_id: int) -> int:
        """How many postings of a trade this kiosk lists now."""
        index, now = self.index, self.clock()
        if not index.size:
            return 0
        return int(((index.trade == trade_id) & (index.valid_from <= now) & (index.valid_to > now)).sum())

    def distance_km(self, posting_id: int) -> float | None:
        row = self.index.row(posting_id)
        return self.index.distance_of(row) if row is not None else None

    def posting(self, posting_id: int) -> dict | None:
        """The posting as the store holds it now (None once filled, closed or withdrawn)."""
        doc = self.store.posting(posting_id)
        if doc is None or not (doc.get("from", 0) <= self.clock() < doc.get("to", 0)):
            return None
        return doc

    def open_count(self) -> int:
        now = self.clock()
        return int(((self.index.valid_from <= now) & (self.index.valid_to > now)).sum()) if self.index.size else 0

    def notices(self) -> list[dict]:
        """The notices in force (the emergency message is the wall's)."""
        return notices_in_force(self.reference.announcements, self.clock())[0]

    # ---- what workers do ---------------------------------------------------------------------------
    def apply(self, identity: Identity, posting_id: int, phone: str | None, consent: bool) -> str:
        """Queues the application (sealed) in one durable transaction; returns the receipt's code."""
        person = events.Person(
            id_number=identity.reveal_number(),
            name=identity.name or identity.english_name,
            phone=phone or None,
            consent=consent,
        )
        title = (self.store.posting(posting_id) or {}).get("title", "")
        with self.store.user_action() as action:
            # The feed position says what this kiosk knew: a posting closed after it was an open
            # posting here (offline for days, say), and the application stands.
            body = events.Application(posting=posting_id, cursor=self.store.cursor)
            n = action.emit("application", body, person=person)
            self.applied.remember(action.conn, n, person["id_number"], title)
        return protocol.application_code(self.enrollment.device_id, n)

    def ended_applications(self, identity: Identity) -> list[str]:
        """Titles of this worker's applications from here that reached the hub after the job ended."""
        return self.applied.ended(identity.reveal_number())

    def register(
        self, identity: Identity, intention: dict, phone: str | None, consent: bool, contact: bool = False
    ) -> None:
        """Queues the registration (sealed); the name goes up only for the hub to keep its masked form."""
        person = events.Person(
            id_number=identity.reveal_number(),
            name=identity.name or identity.english_name,
            phone=phone or None,
            consent=consent,
            contact=contact,
        )
        with self.store.user_action() as action:
            action.emit("registration", events.Registration(intention=intention), person=person)

    def report(self, identity: Identity, posting_id: int, reason: str) -> None:
        """Queues a 举报 (sealed like an application: the hub keeps the reporter's masked number)."""
        person = events.Person(
            id_number=identity.reveal_number(), name=identity.name or identity.english_name, phone=None, consent=False
        )
        with self.store.user_action() as action:
            action.emit("report", events.Report(posting=posting_id, reason=reason), person=person)

    def slots(self, posting_id: int, limit: int = 6) -> list[dict]:
        """Interview slots still open for this posting, soonest first (booked ones leave with the feed)."""
        soon = self.clock() + 300  # not one starting while the worker walks over
        found = [d for d in self.store.docs("slot") if d.get("posting") == posting_id and d.get("start", 0) > soon]
        return sorted(found, key=lambda d: d["start"])[:limit]

    def book(self, identity: Identity, slot: dict) -> str:
        """Queues the booking (sealed) and remembers it for the next visit, in one transaction;
        returns the receipt's code."""
        number = identity.reveal_number()
        person = events.Person(id_number=number, name=identity.name or identity.english_name, phone=None, consent=False)
        with self.store.user_action() as action:
            n = action.emit("booking", events.Booking(slot=slot["id"], cursor=self.store.cursor), person=person)
            self.bookings.remember(action.conn, n, number, slot)
        return protocol.booking_code(self.enrollment.device_id, n)

    def booking_news(self, identity: Identity) -> list[dict]:
        return self.bookings.news(identity.reveal_number(), self.clock())

    def courses(self) -> list[dict]:
        """Courses taking sign-ups here now (the feed withdraws one when sign-ups close; this
        kiosk's own clock drops it on time even offline), soonest first."""
        now = self.clock()  # (read at each refresh, not at each screen drawn: the tick draws every second)
        live = [d for d in self.reference.courses if d.get("to", 0) > now]
        return sorted(live, key=lambda d: (d.get("starts_on", ""), d["id"]))

    def course(self, course_id: int) -> dict | None:
        return next((d for d in self.courses() if d["id"] == course_id), None)

    def buses(self) -> list[dict]:
        """Buses taking sign-ups here now (withdrawn by the feed when sign-ups close, and by this
        kiosk's own clock on time even offline), soonest first."""
        now = self.clock()
        live = [d for d in self.reference.buses if d.get("to", 0) > now]
        return sorted(live, key=lambda d: (d.get("leaves_at", 0), d["id"]))

    def bus(self, departure_id: int) -> dict | None:
        return next((d for d in self.buses() if d["id"] == departure_id), None)

    def fair(self) -> dict | None:
        """The fair on in the hall now (numbers are taken from two hours before it opens until it
        closes, by this kiosk's clock), or None."""
        now = self.clock()
        on = [d for d in self.reference.fairs if d.get("opens_at", 0) - 7200 <= now < d.get("closes_at", 0)]
        return min(on, key=lambda d: (d["opens_at"], d["id"])) if on else None

    def booth(self, booth_id: int) -> dict | None:
        fair = self.fair()
        return next((b for b in (fair or {}).get("booths", ()) if b["id"] == booth_id), None)

    def take_seat(self, identity: Identity, kind: str, body: dict, title: str) -> tuple[str, int]:
        """Queues a sign-up for a seat (`kind` course_signup or bus_signup; the person sealed) and
        remembers it for the worker's next card, in one transaction; returns the receipt's code and
        the event's number. The phone the hub may already hold is the station's to call."""
        number = identity.reveal_number()
        person = events.Person(id_number=number, name=identity.name or identity.english_name, phone=None, consent=False)
        with self.store.user_action() as action:
            n = action.emit(kind, body, person=person)
            self.signups.remember(action.conn, n, number, title)
        return SEAT_CODES[kind](self.enrollment.device_id, n), n

    def seat_answer(self, n: int) -> dict | None:
        """The hub's answer to sign-up `n`, once it has one (the worker, still at the receipt, is told)."""
        return self.signups.answer(n)

    def answered_signups(self, identity: Identity) -> list[tuple[str, str, str]]:
        return self.signups.answered(identity.reveal_number())

    def lookup(self, session: HubSession, identity: Identity) -> dict | None:
        """What the hub knows of this worker, or None when it cannot be asked right now."""
        try:
            sealed_person = sealed.seal(
                self.enrollment.hub_public_key,
                {"id_number": identity.reveal_number()},
                sealed.lookup_context(self.enrollment.device_id),
            )
            return session.lookup_worker(sealed_person)
        except SyncError as exc:
            log.info("worker lookup unavailable: %s", exc)
            return None
