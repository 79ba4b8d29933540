"""Who may see a document: scopes stored with each change, and the view of one device."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Scope:
    """Visibility of one document. `stations` None means every station."""

    stations: frozenset[int] | None = None
    trade: int | None = None
    category: int | None = None
    employer: int | None = None
    device: int | None = None  # a device's private document (its own configuration)

    def to_json(self) -> str:
        out: dict = {"s": sorted(self.stations) if self.stations is not None else None}
        for key, value in (("t", self.trade), ("c", self.category), ("e", self.employer), ("d", self.device)):
            if value is not None:
                out[key] = value
        return json.dumps(out, separators=(",", ":"))

    def tombstone_fields(self) -> dict:
        """What a deletion carries so that filtered devices still recognise it."""
        return {
            "stations": sorted(self.stations) if self.stations is not None else None,
            "trade": self.trade,
            "category": self.category,
            "employer": self.employer,
        }


EVERYONE = Scope()


@lru_cache(maxsize=65536)
def parse(text: str | None) -> Scope | None:
    if text is None:
        return None
    raw = json.loads(text)
    stations = raw.get("s")
    return Scope(
        stations=frozenset(stations) if stations is not None else None,
        trade=raw.get("t"),
        category=raw.get("c"),
        employer=raw.get("e"),
        device=raw.get("d"),
    )


@dataclass(frozen=True, slots=True)
class View:
    """What one device sees: its station, plus the posting filters of its configuration."""

    device: int
    station: int
    trades: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    employer: int | None = None

    @property
    def shared_key(self) -> tuple:
        """Devices with equal keys receive the same shared documents (one cached snapshot)."""
        return (self.station, self.trades, self.categories, self.employer)

    def sees(self, kind: str, scope: Scope) -> bool:
        if scope.device is not None:
            return scope.device == self.device
        if scope.stations is not None and self.station not in scope.stations:
            return False
        if kind == "posting":
            if (self.trades or self.categories) and not (
                scope.trade in self.trades or scope.category in self.categories
            ):
                return False
            if self.employer is not None and scope.employer != self.employer:
                return False
        return True

    @classmethod
    def of_device(cls, device_id: int, station_id: int, config: dict) -> View:
        filters = config.get("filters") or {}
        return cls(
            device=device_id,
            station=station_id,
            trades=frozenset(int(t) for t in filters.get("trades") or ()),
            categories=frozenset(int(c) for c in filters.get("categories") or ()),
            employer=int(filters["employer"]) if filters.get("employer") else None,
        )
