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
from wire.documents import MARKET_DOC_ID, PostingDoc

from . import fast, schedule
from .strings import tr
from .teams import team_cards


@dataclass(frozen=True)
class Snapshot:
    """One reading of the store: immutable, swapped whole when the store changes."""

    items: list[dict]  # in the order shown: section by section
    version: str
    live_until: dict[int, float]  # posting id → end of its validity (epoch s)
    station: dict = field(default_factory=dict)
    announcements: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    employers: dict[int, dict] = field(default_factory=dict)
    sections: list[tuple[str, list[dict]]] = field(default_factory=list)  # (category name, its items)
    market: dict = field(default_factory=dict)  # the hub's market document (display.market)
    courses: list[dict] = field(default_factory=list)  # 技能培训 taking sign-ups (display.offers)
    buses: list[dict] = field(default_factory=list)  # 包车 departures taking sign-ups (display.offers)
    fairs: list[dict] = field(default_factory=list)  # 招聘会 shown at this station, booths and calls (display.fair)
    teams: list[dict] = field(default_factory=list)  # 零工团队 of this station, as cards (display.teams)
    trades: dict[int, dict] = field(default_factory=dict)
    # 即时快招: the postings interrupting the screen now (items, each with its `card_to`), and when
    # the next card starts or ends or a mark lapses — the wall reads the store again then.
    fast_cards: list[dict] = field(default_factory=list)
    next_change: float = float("inf")


def phone_text(phone: str, how: str) -> str:
    return "" if how == "hidden" or not phone else (mask_phone(phone) if how == "masked" else phone)


def start_tag(start: str | None, today: dt.date) -> str:
    if not start:
        return ""
    days = (dt.date.fromisoformat(start) - today).days
    return tr("tag.today") if days <= 0 else tr("tag.tomorrow") if days == 1 else ""


LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def short_employer(name: str) -> str:
    """An employer's name without its legal form: on a wall the words before it (the place and the
    trade name) are what tells two employers apart, and an ellipsis should not eat them."""
    form = next((f for f in LEGAL_FORMS if name.endswith(f)), "")
    rest = name[: len(name) - len(form)]
    # (a name that is all legal form — "有限公司" — is kept whole: there is nothing else to show)
    return rest if len(rest) >= 2 and not rest.endswith(("有限", "股份", "责任")) else name


def street(doc: PostingDoc) -> str:
    """Where the job is, as a crowd knows it: the landmark after the house number when the address
    has one (滨江路8号 锦绣花园工地 → 锦绣花园工地), else the address without the district every
    posting of the station shares."""
    address, district = (doc.get("address") or "").strip(), (doc.get("district") or "").strip()
    if district and address.startswith(district):
        address = address[len(district) :].strip()
    parts = address.split()
    return parts[-1] if len(parts) > 1 else address


def order_key(doc: PostingDoc, today: dt.date, now: float = 0.0) -> tuple:
    """即时快招 first (the newest mark first), then urgent, then what starts today (or already has),
    then what starts soonest, then the newest."""
    start = doc.get("start") or ""
    marked = fast.phase(doc, now)
    return (
        not marked,
        -fast.window(doc)[0] if marked else 0,  # (the newest mark first, as on the interrupting card)
        not doc.get("urgent"),
        not start or start > today.isoformat(),
        start,
        -doc.get("from", 0),
        doc["id"],
    )


def sections(
    docs: list[PostingDoc], categories: list[dict], today: dt.date, now: float = 0.0
) -> list[tuple[str, list[PostingDoc]]]:
    """The postings by trade category, in the catalogue's order; each category in `order_key` order."""
    names = {c["id"]: c.get("name", "") for c in categories}
    rank = {c["id"]: (c.get("sort", 0), c["id"]) for c in categories}
    grouped: dict[int, list[PostingDoc]] = {}
    for doc in docs:
        grouped.setdefault(doc.get("category") if doc.get("category") in names else -1, []).append(doc)
    order = sorted(grouped, key=lambda c: rank.get(c, (1 << 30, c)))
    return [
        (names.get(c, tr("section.other")), sorted(grouped[c], key=lambda d: order_key(d, today, now))) for c in order
    ]


def item(
    doc: PostingDoc,
    employers: dict[int, dict],
    config: dict,
    today: dt.date,
    public_url: str,
    station: int = 0,
    now: float = 0.0,
) -> dict:
    """A posting as every layout shows it (texts ready, nothing left to compute on the UI thread)."""
    employer = employers.get(doc.get("employer"), {})
    tags = [
        t
        for t in (
            tr("tag.fast") if fast.phase(doc, now) else "",
            tr("tag.urgent") if doc.get("urgent") else "",
            tr(f"settle.{doc.get('settle', 'daily')}"),
            start_tag(doc.get("start"), today),
        )
        if t
    ]
    return {
        "pid": doc["id"],
        "title": doc.get("title", ""),
        "employer": short_employer(employer.get("name", "")),
        "verified": bool(employer.get("verified")),
        "places": tr("places", n=places_left(doc)),
        "pay": pay_text(doc, "zh"),
        "settle": tr(f"settle.{doc.get('settle', 'daily')}"),
        "phone": phone_text(doc.get("phone", ""), config.get("show_phone", "full")),
        "contact": doc.get("contact", ""),
        "place": street(doc),
        "tags": tags,
        "urgent": bool(doc.get("urgent")) or bool(fast.phase(doc, now)),
        # (?s= tells the phone page which station's screen the code was on: its header, its distance)
        "qr": f"{public_url}/p/{doc['id']}{f'?s={station}' if station else ''}" if public_url else "",
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
        self.part: int | None = None  # the schedule's daypart in force (display/sleeping.py sets it)
        self.raw_config: dict = {}  # the configuration as staff set it, as of the last reading

    @property
    def config(self) -> dict:
        """The device's configuration (with the week it follows: its own or its station's), the
        daypart in force over it."""
        station = self.store.doc("station", self.enrollment.station_id)
        self.raw_config = schedule.with_station_default(super().config, station)
        return schedule.effective(self.raw_config, self.part)

    def local(self, epoch: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(epoch, self.tz)

    @property
    def figures(self) -> dict:
        return self.snapshot.figures

    def refresh(self) -> Snapshot:
        with self._rebuild:
            now, today, config = self.clock(), self.today(), self.config
            filters = config.get("filters") or {}
            employers = {e["id"]: e for e in self.store.docs("employer")}
            docs = [d for d in self.store.live_postings(now) if wanted(d, filters, today)]
            station = self.enrollment.station_id
            grouped = [
                (name, [item(d, employers, config, today, self.public_url, station, now) for d in group])
                for name, group in sections(docs, self.store.docs("category"), today, now)
            ]
            cards = [
                {**item(d, employers, config, today, self.public_url, station, now), "card_to": fast.window(d)[1]}
                for d in sorted(docs, key=lambda d: -fast.window(d)[0] if fast.window(d) else 0)
                if fast.phase(d, now) == fast.CARD
            ]
            items = [i for _name, group in grouped for i in group]
            trades = {t["id"]: t for t in self.store.docs("trade")}
            teams = team_cards(self.store.docs("team"), trades, self.public_url, station)
            digest = hashlib.blake2b(
                # (today too: what starts today moves to the front when the day changes)
                # (and what is marked 即时快招 now: a card starting or a mark lapsing re-sorts the pages)
                # (and whether there are teams: on a lobby screen they take a card of every page)
                repr(
                    [today, bool(teams), *((d["id"], d.get("ver"), d.get("filled"), fast.phase(d, now)) for d in docs)]
                ).encode(),
                digest_size=6,
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
                sections=grouped,
                market=self.store.doc("market", MARKET_DOC_ID) or {},
                courses=self.store.docs("course"),
                buses=self.store.docs("departure"),
                fairs=self.store.docs("fair"),
                teams=teams,
                trades=trades,
                fast_cards=cards,
                next_change=fast.next_change(docs, now),
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
