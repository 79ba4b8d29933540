"""Which postings suit the worker at the kiosk, in what order, and why (no Kivy in here).

An index of every posting this station shows is built once per store change, as NumPy columns;
a worker's ranking is then a few vector operations over it. Hard filters: open with places left
(the store holds nothing else), inside its validity window, shown at this station, and the
worker's age inside a stated age range. Sex is never a filter, and is not even an input."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from wire.documents import PostingDoc

# Pay normalised to fen per day, so 25 元/小时 and 220 元/天 compare.
PER_DAY = {"hour": 8.0, "day": 1.0, "piece": 8.0, "lesson": 2.0, "month": 1 / 26}
SETTLE = ("daily", "weekly", "monthly", "completion")
WEIGHTS = {"trade": 0.34, "distance": 0.2, "pay": 0.14, "settle": 0.1, "start": 0.1, "urgent": 0.06, "recent": 0.06}
APPLIED_PENALTY = 2.0  # what a worker applied to already sinks below everything else
NO_AGE = -1


@dataclass(frozen=True)
class Worker:
    """What matching knows of the person at the kiosk (nothing that identifies them)."""

    age: int | None = None
    trades: frozenset[int] = frozenset()
    categories: frozenset[int] = frozenset()
    pay_unit: str | None = None
    pay_min_fen: int | None = None
    settlement: str | None = None
    applied: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why a posting ranks where it does; the screen turns it into a short chip."""

    code: str  # trade | category | distance | daily | starts | urgent | pay | new | applied
    value: float | int | None = None


@dataclass(frozen=True)
class Match:
    posting: dict
    score: float
    distance_km: float
    starts_in_days: int
    reasons: tuple[Reason, ...] = field(default=())


def distance_km(lat1: float, lon1: float, lat2, lon2):
    """Great-circle distance (works on arrays too)."""
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(a))


def per_day_fen(amount: float, unit: str) -> float:
    return amount * PER_DAY.get(unit, 1.0)


class PostingIndex:
    """Columns of the postings one station shows, for one day. Immutable: rebuild and swap."""

    def __init__(
        self, docs: list[PostingDoc], *, station_id: int, station_lat: float, station_lon: float, today: dt.date
    ):
        shown = [
            d
            for d in docs
            if (d.get("stations") is None or station_id in d["stations"]) and d["headcount"] - d.get("filled", 0) > 0
        ]
        self.today = today
        self.docs = shown
        self.size = len(shown)
        col = lambda key, kind=float, default=0: np.array(
            [d.get(key) if d.get(key) is not None else default for d in shown],
            dtype=kind,
        )
        self.ids = col("id", np.int64)
        self.trade = col("trade", np.int64, -1)
        self.category = col("category", np.int64, -1)
        self.valid_from = col("from", np.int64)
        self.valid_to = col("to", np.int64)
        self.age_min = col("age_min", np.int64, NO_AGE)
        self.age_max = col("age_max", np.int64, NO_AGE)
        self.urgent = col("urgent", bool, False)
        self.settle = np.array(
            [SETTLE.index(d["settle"]) if d.get("settle") in SETTLE else -1 for d in shown], dtype=np.int64
        )
        self.pay_day = np.array([per_day_fen(d.get("pay_max") or 0, d.get("unit", "day")) for d in shown])
        self.distance = distance_km(station_lat, station_lon, col("lat"), col("lon")) if shown else np.zeros(0)
        self.starts_in = np.array(
            [(dt.date.fromisoformat(d["start"]) - today).days if d.get("start") else 0 for d in shown], dtype=np.int64
        )
        self.median_pay_day = float(np.median(self.pay_day)) if shown else 1.0
        self._row = {int(pid): i for i, pid in enumerate(self.ids)}

    def row(self, posting_id: int) -> int | None:
        return self._row.get(posting_id)

    def _scores(self, worker: Worker, now: float) -> tuple[np.ndarray, np.ndarray]:
        live = (self.valid_from <= now) & (self.valid_to > now)
        if worker.age is not None:
            live &= ((self.age_min == NO_AGE) | (self.age_min <= worker.age)) & (
                (self.age_max == NO_AGE) | (self.age_max >= worker.age)
            )
        w = WEIGHTS
        if worker.trades or worker.categories:
            exact = np.isin(self.trade, list(worker.trades)) if worker.trades else np.zeros(self.size, bool)
            same_category = (
                np.isin(self.category, list(worker.categories)) if worker.categories else np.zeros(self.size, bool)
            )
            trade = np.where(exact, 1.0, np.where(same_category, 0.5, 0.0))
        else:
            trade = np.full(self.size, 0.3)  # nothing chosen yet: distance and start date lead
        near = 1.0 / (1.0 + self.distance / 3.0)
        if worker.pay_min_fen and worker.pay_unit:
            wanted = per_day_fen(worker.pay_min_fen, worker.pay_unit)
            pay = np.clip(self.pay_day / max(wanted, 1.0), 0.0, 1.0)
        else:
            pay = np.clip(self.pay_day / (2 * max(self.median_pay_day, 1.0)), 0.0, 1.0)
        preferred = SETTLE.index(worker.settlement) if worker.settlement in SETTLE else 0  # 日结 unless told
        settle = (self.settle == preferred).astype(float)
        soon = np.where(self.starts_in <= 1, 1.0, np.where(self.starts_in <= 7, 0.6, 0.2))
        recent = np.exp(-np.maximum(0.0, now - self.valid_from) / (72 * 3600))
        score = (
            w["trade"] * trade
            + w["distance"] * near
            + w["pay"] * pay
            + w["settle"] * settle
            + w["start"] * soon
            + w["urgent"] * self.urgent
            + w["recent"] * recent
        )
        if worker.applied:
            score = score - APPLIED_PENALTY * np.isin(self.ids, list(worker.applied))
        return np.where(live, score, -np.inf), trade

    def match(self, worker: Worker, now: float, limit: int = 20, *, category: int | None = None) -> list[Match]:
        """The best `limit` postings for `worker`; only those of `category` when one is given."""
        return self.ranked(worker, now, limit, category=category)[0]

    def ranked(
        self, worker: Worker, now: float, limit: int = 20, *, category: int | None = None
    ) -> tuple[list[Match], int]:
        """The best `limit` postings, and how many suit at all: open to them (and of `category`),
        and of their trades or their trades' categories once they have any."""
        if self.size == 0:
            return [], 0
        score, trade = self._scores(worker, now)
        if category is not None:
            score = np.where(self.category == category, score, -np.inf)
        suits = score > -np.inf
        if (worker.trades or worker.categories) and category is None:
            suits &= trade > 0
        found = int(suits.sum())
        k = min(limit, self.size)
        kth = score[np.argpartition(-score, k - 1)[k - 1]]
        # Everything tied with the k-th best is a candidate; ties go to the older posting (lower id).
        candidates = np.flatnonzero(score >= kth)
        top = candidates[np.lexsort((self.ids[candidates], -score[candidates]))][:k]
        return [
            self._match(int(i), float(score[i]), float(trade[i]), worker, now) for i in top if score[i] > -math.inf
        ], found

    def _match(self, i: int, score: float, trade: float, worker: Worker, now: float) -> Match:
        doc = self.docs[i]
        reasons: list[Reason] = []
        if doc["id"] in worker.applied:
            reasons.append(Reason("applied"))
        if trade == 1.0:
            reasons.append(Reason("trade"))
        elif trade == 0.5:
            reasons.append(Reason("category"))
        reasons.append(Reason("distance", round(float(self.distance[i]), 1)))
        if doc.get("settle") == "daily":
            reasons.append(Reason("daily"))
        if self.starts_in[i] <= 7:
            reasons.append(Reason("starts", int(self.starts_in[i])))
        if doc.get("urgent"):
            reasons.append(Reason("urgent"))
        if (
            worker.pay_min_fen
            and worker.pay_unit
            and self.pay_day[i] >= per_day_fen(worker.pay_min_fen, worker.pay_unit)
        ):
            reasons.append(Reason("pay"))
        if now - doc.get("from", 0) < 24 * 3600:
            reasons.append(Reason("new"))
        return Match(doc, score, float(self.distance[i]), int(self.starts_in[i]), tuple(reasons))
