"""Registered workers ranked for one posting, with the kiosk's own scoring (floor.matching).

The kiosk ranks postings for a worker; here the axis turns: one posting, every registered worker.
The registered workers are held as NumPy columns (built once, rebuilt when a registration or a
graded-help mark changes them), so ranking one new posting is a few vector operations. A worker
fits when their wishes allow the posting: one of their trades (or the same category), their
districts (or none named), at least their least pay (in any unit, per day), a time they said they
can work, and not applied already; the fitting ones are ordered by the shared score, workers
marked for graded help first."""

from __future__ import annotations

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from floor import matching as shared

# What a worker said about when they can work, as bits (hub.workers.schemas.Availability).
AVAILABILITY = {"today": 1, "week": 2, "weekends": 4, "long_term": 8}
LONG_TERM_DAYS = 30


@dataclass(frozen=True)
class PostingFacts:
    """What ranking needs of a posting (from hub.postings.models.Posting, or a bench's row)."""

    id: int
    trade: int
    category: int
    district: str
    pay_max_fen: int
    pay_unit: str
    settlement: str
    work_start: dt.date
    work_end: dt.date | None
    lat: float
    lon: float
    urgent: bool = False
    certificate: bool = False  # 持证上岗: workers who completed a course of its trade come first


@dataclass(frozen=True)
class Ranked:
    worker_id: int
    score: float
    helped: bool
    reasons: tuple[shared.Reason, ...]
    certified: bool = False  # completed a course of the trade the posting asks a certificate of


@dataclass(frozen=True)
class WorkerRow:
    """One registered worker as ranking sees them (no name, no phone, no ID)."""

    id: int
    intention: dict
    lat: float | None  # their registration station's place
    lon: float | None
    helped: bool = False


def availability_bits(facts: PostingFacts, today: dt.date) -> int:
    """The kinds of availability this posting suits."""
    bits = 0
    starts_in = (facts.work_start - today).days
    if starts_in <= 1:
        bits |= AVAILABILITY["today"]
    if starts_in <= 7:
        bits |= AVAILABILITY["week"]
    end = facts.work_end
    span = (end - facts.work_start).days if end else None
    if (
        span is None
        or span >= 5
        or any((facts.work_start + dt.timedelta(days=d)).weekday() >= 5 for d in range((span or 0) + 1))
    ):
        bits |= AVAILABILITY["weekends"]
    if span is None or span >= LONG_TERM_DAYS:
        bits |= AVAILABILITY["long_term"]
    return bits


class WorkerIndex:
    """Columns of every registered worker. Immutable: rebuild and swap."""

    def __init__(self, rows: list[WorkerRow], category_of: dict[int, int]):
        n = len(rows)
        self.size = n
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        self.helped = np.array([r.helped for r in rows], dtype=bool)
        self.lat = np.array([r.lat if r.lat is not None else np.nan for r in rows], dtype=float)
        self.lon = np.array([r.lon if r.lon is not None else np.nan for r in rows], dtype=float)
        self.wanted_day = np.zeros(n)
        self.preferred = np.zeros(n, dtype=np.int64)
        self.when = np.zeros(n, dtype=np.int64)
        self.has_district = np.zeros(n, dtype=bool)
        by_trade: dict[int, list[int]] = defaultdict(list)
        by_category: dict[int, list[int]] = defaultdict(list)
        by_district: dict[str, list[int]] = defaultdict(list)
        for i, r in enumerate(rows):
            wish = r.intention or {}
            trades = {t for t in wish.get("trades") or () if isinstance(t, int)}
            for t in trades:
                by_trade[t].append(i)
            for c in {category_of[t] for t in trades if t in category_of}:
                by_category[c].append(i)
            districts = wish.get("districts") or ()
            self.has_district[i] = bool(districts)
            for d in set(districts):
                by_district[d].append(i)
            if wish.get("pay_unit") and wish.get("pay_min_fen"):
                self.wanted_day[i] = shared.per_day_fen(wish["pay_min_fen"], wish["pay_unit"])
            self.preferred[i] = shared.preferred_settle(wish.get("settlement"))
            self.when[i] = sum(AVAILABILITY.get(a, 0) for a in set(wish.get("availability") or ()))
        arr = lambda d: {k: np.array(v, dtype=np.int64) for k, v in d.items()}
        self.by_trade, self.by_category, self.by_district = arr(by_trade), arr(by_category), arr(by_district)
        self._row = {int(w): i for i, w in enumerate(self.ids)}

    def rank(
        self,
        facts: PostingFacts,
        today: dt.date,
        *,
        applied: frozenset[int] = frozenset(),
        certified: frozenset[int] = frozenset(),
        limit: int = 100,
    ) -> tuple[list[Ranked], int]:
        """The best `limit` fitting workers and how many fit at all: for a posting that asks for a
        certificate, those `certified` in its trade first (without one the work may not be theirs to
        take); then graded help first; then by score."""
        if self.size == 0:
            return [], 0
        exact = np.zeros(self.size, dtype=bool)
        if facts.trade in self.by_trade:
            exact[self.by_trade[facts.trade]] = True
        same = np.zeros(self.size, dtype=bool)
        if facts.category in self.by_category:
            same[self.by_category[facts.category]] = True
        trade = shared.trade_part(exact, same)
        place = ~self.has_district
        if facts.district in self.by_district:
            place[self.by_district[facts.district]] = True
        pay_day = shared.per_day_fen(facts.pay_max_fen, facts.pay_unit)
        paid = self.wanted_day <= pay_day
        bits = availability_bits(facts, today)
        when = (self.when == 0) | ((self.when & bits) != 0)
        fits = (trade > 0) & place & paid & when
        for worker_id in applied:
            row = self._row.get(worker_id)
            if row is not None:
                fits[row] = False
        found = int(fits.sum())
        if not found:
            return [], 0
        rows = np.flatnonzero(fits)
        distance = shared.distance_km(facts.lat, facts.lon, self.lat[rows], self.lon[rows])
        # A worker whose station has no place: neither near nor far (the middle of near_part's range).
        near = np.where(np.isnan(distance), 0.5, shared.near_part(np.nan_to_num(distance)))
        pay = np.where(self.wanted_day[rows] > 0, shared.pay_part(pay_day, self.wanted_day[rows]), 1.0)
        settle = (self.preferred[rows] == shared.settle_code(facts.settlement)).astype(float)
        starts_in = (facts.work_start - today).days
        score = shared.score(
            trade[rows], near, pay, settle, shared.soon_part(starts_in), facts.urgent, shared.recent_part(0.0)
        )
        helped = self.helped[rows]
        holds = np.isin(self.ids[rows], np.fromiter(certified, np.int64, len(certified))) & facts.certificate
        k = min(limit, rows.size)
        # 持证 first, then help, then score, then the older worker
        order = np.lexsort((self.ids[rows], -score, ~helped, ~holds))[:k]
        out = []
        for j in order:
            out.append(
                Ranked(
                    worker_id=int(self.ids[rows[j]]),
                    score=round(float(score[j]), 4),
                    helped=bool(helped[j]),
                    certified=bool(holds[j]),
                    reasons=shared.reasons(
                        applied=False,
                        trade=float(trade[rows[j]]),
                        distance=None if np.isnan(distance[j]) else float(distance[j]),
                        daily=facts.settlement == "daily",
                        starts_in=starts_in,
                        urgent=facts.urgent,
                        pay_ok=bool(self.wanted_day[rows[j]] > 0),
                        up_for_s=0.0,
                    ),
                )
            )
        return out, found

    def with_helped(self, helped: frozenset[int]) -> WorkerIndex:
        """The same columns with the graded-help marks replaced (a copy; this one is unchanged)."""
        twin = copy.copy(self)
        twin.helped = np.isin(self.ids, np.fromiter(helped, dtype=np.int64, count=len(helped)))
        return twin


class TopUp:
    """A large index built once and a small one of the workers who registered (again) since: ranked
    as one — a worker in both counts only as they are in the newer one."""

    def __init__(self, base: WorkerIndex, recent: WorkerIndex):
        self.base, self.recent = base, recent
        self.newer = frozenset(int(i) for i in recent.ids)

    @property
    def size(self) -> int:
        return self.base.size + self.recent.size - sum(1 for w in self.newer if w in self.base._row)

    def rank(
        self,
        facts: PostingFacts,
        today: dt.date,
        *,
        applied: frozenset[int] = frozenset(),
        certified: frozenset[int] = frozenset(),
        limit: int = 100,
    ) -> tuple[list[Ranked], int]:
        old, found_old = self.base.rank(facts, today, applied=applied | self.newer, certified=certified, limit=limit)
        new, found_new = self.recent.rank(facts, today, applied=applied, certified=certified, limit=limit)
        merged = sorted(old + new, key=lambda r: (not r.certified, not r.helped, -r.score, r.worker_id))
        return merged[:limit], found_old + found_new
