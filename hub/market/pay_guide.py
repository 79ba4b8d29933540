"""零工岗位工资指导价位: what each trade pays here, per pay unit, from the market's own postings.

For each trade and pay unit, over the postings published in the last WINDOW_DAYS days: the low,
middle and high pay (the 25th, 50th and 75th percentiles) of the postings' pay, each posting
counted once for each place it offered and once more for each worker placed through it (a
placement is pay that a worker took). A posting's pay is the middle of its range (300–340元/天
counts as 320). A figure backed by fewer than MIN_POSTINGS postings is not given: a handful of
postings is one employer's habit, not the market's rate.

Where staff entered the city's official rate for a trade and unit (OfficialRate), that rate is
published instead, marked with its source.

Figures are in fen, like every pay on the hub."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.postings import pay_standing
from hub.applications.models import Application, ApplicationStatus
from hub.postings.models import PayUnit, Posting
from hub.trades.models import Trade

from .models import OfficialRate

WINDOW_DAYS = 90
MIN_POSTINGS = 5
QUANTILES = (0.25, 0.5, 0.75)


@dataclass(frozen=True)
class Rate:
    """One trade's pay in one unit, as the market sets it."""

    trade_id: int
    unit: PayUnit
    low_fen: int
    median_fen: int
    high_fen: int
    postings: int  # the postings behind the figures
    placements: int  # the workers placed through them
    source: str = ""  # "" for the market's own figures; the official rate's source otherwise

    @property
    def official(self) -> bool:
        return bool(self.source)


def weighted_quantiles(values: list[tuple[int, int]], quantiles: tuple[float, ...] = QUANTILES) -> list[int]:
    """The values at each quantile when each (value, weight) counts `weight` times: the smallest
    value whose cumulative weight reaches the quantile's share of the whole (no interpolation —
    every figure given is a pay some posting offered)."""
    ordered = sorted((v, w) for v, w in values if w > 0)
    total = sum(w for _v, w in ordered)
    if not ordered:
        return []
    out, running, i = [], 0, 0
    for q in quantiles:
        target = q * total
        while i < len(ordered) - 1 and running + ordered[i][1] < target:
            running += ordered[i][1]
            i += 1
        out.append(ordered[i][0])
    return out


def market_rates(session: Session, now: dt.datetime) -> list[Rate]:
    """Every trade and unit with enough postings in the window, computed from the database."""
    since = now - dt.timedelta(days=WINDOW_DAYS)
    placed = (
        select(Application.posting_id, func.count().label("n"))
        .where(Application.status == ApplicationStatus.HIRED)
        .group_by(Application.posting_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Posting.trade_id,
            Posting.pay_unit,
            Posting.pay_min_fen,
            Posting.pay_max_fen,
            Posting.headcount,
            func.coalesce(placed.c.n, 0),
        )
        .outerjoin(placed, placed.c.posting_id == Posting.id)
        .where(Posting.valid_from >= since, Posting.valid_from <= now)
    )
    samples: dict[tuple[int, PayUnit], list[tuple[int, int]]] = defaultdict(list)
    hires: dict[tuple[int, PayUnit], int] = defaultdict(int)
    for trade_id, unit, pay_min, pay_max, headcount, hired in rows:
        key = (trade_id, PayUnit(unit))
        samples[key].append(((pay_min + pay_max) // 2, headcount + hired))
        hires[key] += hired
    rates = []
    for (trade_id, unit), values in samples.items():
        if len(values) < MIN_POSTINGS:
            continue
        low, median, high = weighted_quantiles(values)
        rates.append(Rate(trade_id, unit, low, median, high, len(values), hires[(trade_id, unit)]))
    return sorted(rates, key=lambda r: (r.trade_id, r.unit))


def guide_rates(session: Session, now: dt.datetime) -> list[Rate]:
    """What is published: the market's figures, with the official rate wherever there is one
    (the market's counts still say how many postings the trade had)."""
    market = {(r.trade_id, r.unit): r for r in market_rates(session, now)}
    for o in session.scalars(select(OfficialRate)):
        seen = market.get((o.trade_id, o.pay_unit))
        market[(o.trade_id, o.pay_unit)] = Rate(
            o.trade_id,
            PayUnit(o.pay_unit),
            o.low_fen,
            o.median_fen,
            o.high_fen,
            seen.postings if seen else 0,
            seen.placements if seen else 0,
            o.source,
        )
    return sorted(market.values(), key=lambda r: (r.trade_id, r.unit))


def position(rate: Rate, pay_min_fen: int, pay_max_fen: int) -> str:
    """Where a posting's pay stands among its trade's: 'high', 'middle' or 'low' (over the high
    end, between the ends, or under the low end)."""
    return pay_standing(pay_min_fen, pay_max_fen, rate.low_fen, rate.high_fen)


def trade_names(session: Session) -> dict[int, tuple[str, int]]:
    """Trade id → (name, category id), for the published figures."""
    return {t.id: (t.name, t.category_id) for t in session.scalars(select(Trade))}
