"""紧缺工种: the trades that most lack workers here, by 求人倍率 (places wanted per worker looking).

For each trade over the last WINDOW_DAYS days: the places offered by the postings published in
the window (their headcount), against the workers who registered in the window wanting that
trade (a worker who registers again counts in the window of their latest registration). The ratio
is places ÷ workers, with a trade no worker asked for counted as if one had (the ratio is then
simply its places, and flagged). The same figure for the WINDOW_DAYS before gives the trend. A
trade with fewer than MIN_PLACES places in the window is left out: three places make no shortage.

The ten trades with the highest ratio are the market's shortage list."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.postings.models import Posting
from hub.workers.models import Worker

WINDOW_DAYS = 30
MIN_PLACES = 10
TOP = 10
STEADY = 0.1  # a ratio that moved less than this share is steady


@dataclass(frozen=True)
class Shortage:
    trade_id: int
    places: int
    workers: int
    ratio: float
    previous_ratio: float | None  # None: the trade offered no places in the window before
    trend: str  # up | down | steady | new


def _places(session: Session, start: dt.datetime, end: dt.datetime) -> Counter:
    rows = session.execute(
        select(Posting.trade_id, func.sum(Posting.headcount))
        .where(Posting.valid_from >= start, Posting.valid_from < end)
        .group_by(Posting.trade_id)
    )
    return Counter({trade_id: int(total or 0) for trade_id, total in rows})


def _workers(session: Session, start: dt.datetime, end: dt.datetime) -> Counter:
    wanted: Counter = Counter()
    rows = session.execute(
        select(Worker.intention).where(Worker.registered_at >= start, Worker.registered_at < end)
    ).scalars()
    for intention in rows:
        for trade_id in set((intention or {}).get("trades") or ()):
            if isinstance(trade_id, int):
                wanted[trade_id] += 1
    return wanted


def ratio(places: int, workers: int) -> float:
    return round(places / max(workers, 1), 2)


def trend(now: float, before: float | None) -> str:
    if before is None:
        return "new"
    if abs(now - before) <= STEADY * max(before, 1e-9):
        return "steady"
    return "up" if now > before else "down"


def shortages(session: Session, now: dt.datetime, top: int = TOP) -> list[Shortage]:
    """The trades most short of workers now, most short first."""
    window = dt.timedelta(days=WINDOW_DAYS)
    places, workers = _places(session, now - window, now), _workers(session, now - window, now)
    places_before = _places(session, now - 2 * window, now - window)
    workers_before = _workers(session, now - 2 * window, now - window)
    found = []
    for trade_id, wanted in places.items():
        if wanted < MIN_PLACES:
            continue
        now_ratio = ratio(wanted, workers[trade_id])
        before = (
            ratio(places_before[trade_id], workers_before[trade_id]) if places_before[trade_id] >= MIN_PLACES else None
        )
        found.append(Shortage(trade_id, wanted, workers[trade_id], now_ratio, before, trend(now_ratio, before)))
    found.sort(key=lambda s: (-s.ratio, -s.places, s.trade_id))
    return found[:top]
