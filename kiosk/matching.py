"""Which postings suit the worker at the kiosk, in what order, and why (no Kivy in here).

An index of every posting this station shows is built once per store change, as NumPy columns;
a worker's ranking is then a few vector operations over it. Hard filters: open with places left
(the store holds nothing else), inside its validity window, shown at this station, and the
worker's age inside a stated age range. Sex is never a filter, and is not even an input."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import numpy as np

from floor.matching import (  # noqa: F401  (the shared scoring; re-exported for kiosk callers)
    APPLIED_PENALTY,
    NO_AGE,
    PER_DAY,
    SETTLE,
    UNPLACED_NEAR,
    WEIGHTS,
    Reason,
    distance_km,
    near_part,
    pay_part,
    per_day_fen,
    placed,
    preferred_settle,
    reasons,
    recent_part,
    score,
    settle_code,
    soon_part,
    trade_part,
)
from floor.postings import fast_now, fast_window
from wire.documents import PostingDoc

# What lifts a posting above all others' scores (the parts weigh at most 1 in all): 即时快招 leads
# every list; then a posting that asks a certificate (持证上岗) of a trade the worker completed a
# course in (结业) leads the rest. One applied to sinks below everything, lifted or not.
FAST_LEAD = 2.0
CERT_LEAD = 1.0


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
    certified: frozenset[int] = frozenset()  # trades of the courses they completed (结业), from the hub


@dataclass(frozen=True)
class Match:
    posting: dict
    score: float
    distance_km: float | None  # None: the posting has no place of its own
    starts_in_days: int
    reasons: tuple[Reason, ...] = field(default=())


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
        self.cert = col("cert", bool, False)
        # 即时快招: from when until when the posting leads every list (none: an empty window)
        windows = [fast_window(d) or (0, 0, 0) for d in shown]
        self.fast_from = np.array([w[0] for w in windows], dtype=float)
        self.fast_to = np.array([w[2] for w in windows], dtype=float)
        self.settle = np.array([settle_code(d.get("settle")) for d in shown], dtype=np.int64)
        self.pay_day = np.array([per_day_fen(d.get("pay_max") or 0, d.get("unit", "day")) for d in shown])
        # No distance (NaN) where the point only stands in for the job's (0,0 or its station's):
        # no 离这里X公里 and a middling nearness, not 0.0 km and the top of the list
        self.placed = np.array([placed(d) for d in shown], dtype=bool)
        km = distance_km(station_lat, station_lon, col("lat"), col("lon")) if shown else np.zeros(0)
        self.distance = np.where(self.placed, km, np.nan)
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
        if worker.trades or worker.categories:
            exact = np.isin(self.trade, list(worker.trades)) if worker.trades else np.zeros(self.size, bool)
            same_category = (
                np.isin(self.category, list(worker.categories)) if worker.categories else np.zeros(self.size, bool)
            )
            trade = trade_part(exact, same_category)
        else:
            trade = np.full(self.size, 0.3)  # nothing chosen yet: distance and start date lead
        if worker.pay_min_fen and worker.pay_unit:
            pay = pay_part(self.pay_day, per_day_fen(worker.pay_min_fen, worker.pay_unit))
        else:
            pay = pay_part(self.pay_day, 2 * max(self.median_pay_day, 1.0))
        settle = (self.settle == preferred_settle(worker.settlement)).astype(float)
        total = score(
            trade,
            np.where(self.placed, near_part(np.nan_to_num(self.distance)), UNPLACED_NEAR),
            pay,
            settle,
            soon_part(self.starts_in),
            self.urgent,
            recent_part(now - self.valid_from),
        )
        # A posting marked 即时快招 leads the list while it is marked, for everyone it is open to.
        lead = FAST_LEAD * ((self.fast_from <= now) & (now < self.fast_to))
        if worker.certified:
            lead = lead + CERT_LEAD * self.holds(worker)
        total = total + lead
        if worker.applied:
            applied = np.isin(self.ids, list(worker.applied))
            total = np.where(applied, total - lead - APPLIED_PENALTY, total)
        return np.where(live, total, -np.inf), trade

    def holds(self, worker: Worker) -> np.ndarray:
        """Which postings ask a certificate (持证上岗) of a trade this worker completed a course in."""
        if not worker.certified:
            return np.zeros(self.size, dtype=bool)
        return self.cert & np.isin(self.trade, list(worker.certified))

    def match(self, worker: Worker, now: float, limit: int = 20, *, category: int | None = None) -> list[Match]:
        """The best `limit` postings for `worker`; only those of `category` when one is given."""
        return self.ranked(worker, now, limit, category=category)[0]

    def ranked(
        self, worker: Worker, now: float, limit: int = 20, *, category: int | None = None, trade: int | None = None
    ) -> tuple[list[Match], int]:
        """The best `limit` postings, and how many suit at all: open to them (and of `category`, or
        of `trade`), and of their trades or their trades' categories once they have any."""
        if self.size == 0:
            return [], 0
        score, trade_fit = self._scores(worker, now)
        if category is not None:
            score = np.where(self.category == category, score, -np.inf)
        if trade is not None:  # a trade tapped on the 紧缺工种 screen: its postings only
            score = np.where(self.trade == trade, score, -np.inf)
        suits = score > -np.inf
        if (worker.trades or worker.categories) and category is None and trade is None:
            suits &= trade_fit > 0
        found = int(suits.sum())
        k = min(limit, self.size)
        kth = score[np.argpartition(-score, k - 1)[k - 1]]
        # Everything tied with the k-th best is a candidate; ties go to the older posting (lower id).
        candidates = np.flatnonzero(score >= kth)
        top = candidates[np.lexsort((self.ids[candidates], -score[candidates]))][:k]
        return [
            self._match(int(i), float(score[i]), float(trade_fit[i]), worker, now) for i in top if score[i] > -math.inf
        ], found

    def _match(self, i: int, score: float, trade: float, worker: Worker, now: float) -> Match:
        doc = self.docs[i]
        pay_ok = bool(
            worker.pay_min_fen
            and worker.pay_unit
            and self.pay_day[i] >= per_day_fen(worker.pay_min_fen, worker.pay_unit)
        )
        why = reasons(
            applied=doc["id"] in worker.applied,
            trade=trade,
            distance=self.distance_of(i),
            daily=doc.get("settle") == "daily",
            starts_in=int(self.starts_in[i]),
            urgent=bool(doc.get("urgent")),
            pay_ok=pay_ok,
            up_for_s=now - doc.get("from", 0),
        )
        if doc.get("cert") and doc.get("trade") in worker.certified:  # 您有结业证: why it leads
            why = (Reason("cert"), *why)
        if fast_now(doc, now):  # 快招 says 急招 and more: one chip, not both
            why = (Reason("fast"), *(r for r in why if r.code != "urgent"))
        return Match(doc, score, self.distance_of(i), int(self.starts_in[i]), why)

    def distance_of(self, i: int) -> float | None:
        """Kilometres from the station to the posting at row `i`; None where it has no place of its own."""
        return float(self.distance[i]) if self.placed[i] else None


def found_first(matches: list[Match], found: list[int], more: list[Match]) -> list[Match]:
    """The postings that found the worker since their last card (the hub's 岗位找人, best first) lead
    the list, each with a 新 chip ("found"); `more` holds matches beyond the list to look them up in.
    Those this kiosk does not show (another station's, filled, closed) are simply not there."""
    if not found:
        return matches
    have = {m.posting["id"]: m for m in [*more, *matches]}
    first = [replace(have[pid], reasons=(Reason("found"), *have[pid].reasons)) for pid in found if pid in have]
    lead = {m.posting["id"] for m in first}
    return (first + [m for m in matches if m.posting["id"] not in lead])[: max(len(matches), len(first))]
