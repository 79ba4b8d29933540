"""One worker's visit: held in memory only, and wiped whole when they walk away."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from cardreader.identity import Identity, Kind

from .matching import Worker

FOREIGN = (Kind.FOREIGN_PERMANENT_2017, Kind.FOREIGN_PERMANENT_2023)


@dataclass
class Visit:
    """Who is at the kiosk (an Identity, or nobody when browsing) and what they chose."""

    identity: Identity | None = None
    started: float = field(default_factory=time.time)
    known: bool = False  # the hub has their registered intention
    intention: dict = field(default_factory=dict)
    phone_masked: str = ""  # the hub holds a phone for them (only its masked form comes here)
    hub_applied: set[int] = field(default_factory=set)
    applied: set[int] = field(default_factory=set)
    trades: set[int] = field(default_factory=set)  # chosen on the trade screen
    categories: set[int] = field(default_factory=set)

    @property
    def lang(self) -> str:
        return "en" if self.identity is not None and self.identity.kind in FOREIGN else "zh"

    @property
    def with_card(self) -> bool:
        return self.identity is not None and self.identity.kind is not Kind.CHIP_SERIAL

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
        )
