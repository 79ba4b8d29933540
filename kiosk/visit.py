"""One worker's visit: everything the kiosk holds about them, in memory only. A new visit is a new
object, so nothing of the last worker can survive into the next one by construction."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from cardreader.identity import Identity, Kind

from .matching import Worker

FOREIGN = (Kind.FOREIGN_PERMANENT_2017, Kind.FOREIGN_PERMANENT_2023)


@dataclass
class Visit:
    """Who is at the kiosk (an Identity, or nobody when browsing), what the hub knows of them and
    what they chose, typed or were told on the way."""

    identity: Identity | None = None
    browsing: bool = False
    started: float = field(default_factory=time.time)
    # what the hub knows (asked in the background when the card is read)
    known: bool = False  # the hub has their registered intention
    asked: bool = False  # the hub answered the lookup (`known` False then means: not registered)
    intention: dict = field(default_factory=dict)
    phone_masked: str = ""  # the hub holds a phone for them (only its masked form comes here)
    hub_applied: set[int] = field(default_factory=set)
    hub_found: list[int] = field(default_factory=list)  # postings that found them since their last card (新)
    certified: set[int] = field(default_factory=set)  # trades of courses they completed (结业), from the hub
    # what they did here
    applied: set[int] = field(default_factory=set)
    reported: set[int] = field(default_factory=set)  # 举报 sent (hub.trust): the detail says so
    trades: set[int] = field(default_factory=set)  # chosen on the trade screen
    categories: set[int] = field(default_factory=set)
    browse_category: int | None = None
    browse_trade: int | None = None  # a trade tapped on the 紧缺工种 screen: the list is its jobs
    # on the way through the screens
    banner: str = ""  # news for them (offline, expired card, a booking taken)
    message: str = ""  # the answer to their last tap
    jobs: list[dict] = field(default_factory=list)  # the list as shown (present.job_card rows)
    found: int = 0  # how many postings suit them at all (the list shows the best of them)
    page: int = 0  # the page of `jobs` on screen (kiosk.flow.PAGE to a page)
    offers_page: int = 0  # the page of a list of courses, buses or booths (kiosk.offers.ROWS to a page)
    job: dict | None = None  # the posting open on the detail screen (present.detail)
    job_gone: bool = False
    slots: list[dict] = field(default_factory=list)  # interview slots offered
    course: int | None = None  # the course open on its screen (技能培训)
    signed_up: set[int] = field(default_factory=set)  # courses they took a seat on here
    bus: int | None = None  # the bus open on its screen (包车)
    on_bus: dict[int, str] = field(default_factory=dict)  # bus → asked, confirmed or refused, this visit
    booth: int | None = None  # the fair's booth open on its screen (招聘会)
    numbers: set[int] = field(default_factory=set)  # booths they took a number at here
    # the seat or number whose answer the receipt waits for: (its event's n, its kind, the bus or
    # booth, when it was asked by the flow's clock)
    awaiting: tuple[int, str, int, float] | None = None
    digits: str = ""  # the phone number being typed
    consent: bool = False
    receipt: dict | None = None
    reg_trades: list[int] = field(default_factory=list)
    reg_category: int | None = None  # the category whose trades the first register step shows
    reg_pay: list = field(default_factory=list)  # [unit, fen] or []
    reg_when: list[str] = field(default_factory=list)
    reg_consent: bool = False
    reg_contact: bool = False  # the station may call them about a suitable job (its own consent)

    @property
    def lang(self) -> str:
        return "en" if self.identity is not None and self.identity.kind in FOREIGN else "zh"

    @property
    def with_card(self) -> bool:
        return self.identity is not None and self.identity.kind is not Kind.CHIP_SERIAL

    @property
    def masked_name(self) -> str:
        return (self.identity.masked_name or self.identity.masked_number) if self.identity is not None else ""

    @property
    def surname(self) -> str:
        """The surname to greet with (蔡 of 蔡师傅), or "" when it cannot be told: no Chinese name
        on the card, or a name written in Han characters from another language (阿卜杜拉·艾则孜,
        long transliterations) whose first character is no surname."""
        name = self.identity.name.strip() if self.identity is not None else ""
        if not 2 <= len(name) <= 4 or "·" in name or not all("\u4e00" <= c <= "\u9fff" for c in name):
            return ""
        return self.masked_name.rstrip("*")

    def worker(self, today: dt.date, category_of: dict[int, int]) -> Worker:
        """What matching may know: age, wanted trades and pay, what was applied to. No sex."""
        trades = set(self.trades) or set(self.intention.get("trades") or ())
        categories = set(self.categories) | {category_of[t] for t in trades if t in category_of}
        return Worker(
            age=self.identity.age(today) if self.identity is not None else None,
            trades=frozenset(trades),
            categories=frozenset(categories),
            pay_unit=self.intention.get("pay_unit"),
            pay_min_fen=self.intention.get("pay_min_fen"),
            settlement=self.intention.get("settlement"),
            applied=frozenset(self.applied | self.hub_applied),
            certified=frozenset(self.certified),
        )
