"""A month's figures by station — the 台账 a market reports to the labour bureau: postings put up
and the people they asked for, applications taken and what became of them, people placed, and
household orders taken and completed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from hub.applications.models import Application, ApplicationStatus
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.postings.models import Posting, posting_stations
from hub.stations.models import Station

PHONE = 0  # the row of applications made on the phone page (no station took them)
REACHED = (ApplicationStatus.CONTACTED, ApplicationStatus.HIRED, ApplicationStatus.NO_SHOW)


@dataclass
class StationMonth:
    station_id: int
    name: str
    postings: int = 0
    headcount: int = 0
    applications: int = 0
    contacted: int = 0
    placed: int = 0
    orders: int = 0
    orders_done: int = 0

    def add(self, other: StationMonth) -> None:
        for name in ("postings", "headcount", "applications", "contacted", "placed", "orders", "orders_done"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Month:
    first: dt.date
    rows: list[StationMonth] = field(default_factory=list)
    total: StationMonth = field(default_factory=lambda: StationMonth(-1, "合计"))


def parse_month(text: str, today: dt.date) -> dt.date:
    """'2026-11' → 2026-11-01; anything else (or a month to come) → this month."""
    try:
        first = dt.date(int(text[:4]), int(text[5:7]), 1) if len(text) == 7 and text[4] == "-" else None
    except ValueError:
        first = None
    this = today.replace(day=1)
    return first if first is not None and dt.date(2000, 1, 1) <= first <= this else this


def bounds(first: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time(), tz), dt.datetime.combine(following, dt.time(), tz)


def month(session: Session, first: dt.date, tz: dt.tzinfo, station_ids: frozenset[int] | None) -> Month:
    """`station_ids` None: every station, and the phone page's applications as a row of their own.
    Postings are those created in the month and offered at the station (a posting for every station
    counts at each, so the total counts it once); applications those received in the month, with
    what has become of them so far; placed those recorded as placed in the month."""
    start, end = bounds(first, tz)
    stations = select(Station.id, Station.name).order_by(Station.id)
    if station_ids is not None:
        stations = stations.where(Station.id.in_(sorted(station_ids)))
    rows = {sid: StationMonth(sid, name) for sid, name in session.execute(stations)}
    if station_ids is None:
        rows[PHONE] = StationMonth(PHONE, "手机报名（未经驿站）")
    made = [Posting.created_at >= start, Posting.created_at < end]
    everywhere = session.execute(
        select(func.count(), func.sum(Posting.headcount)).where(*made, Posting.all_stations)
    ).one()
    some = session.execute(
        select(posting_stations.c.station_id, func.count(), func.sum(Posting.headcount))
        .join(Posting, Posting.id == posting_stations.c.posting_id)
        .where(*made, Posting.all_stations.is_(False))
        .group_by(posting_stations.c.station_id)
    )
    for sid, count, heads in some:
        if sid in rows:
            rows[sid].postings, rows[sid].headcount = count, heads or 0
    for sid, row in rows.items():
        if sid != PHONE:
            row.postings += everywhere[0] or 0
            row.headcount += everywhere[1] or 0
    station = func.coalesce(Application.station_id, PHONE)
    received = [Application.received_at >= start, Application.received_at < end]
    for sid, count, reached in session.execute(
        select(station, func.count(), func.count().filter(Application.status.in_(REACHED)))
        .where(*received)
        .group_by(station)
    ):
        if sid in rows:
            rows[sid].applications, rows[sid].contacted = count, reached
    for sid, count in session.execute(
        select(station, func.count())
        .where(Application.status == ApplicationStatus.HIRED, Application.hired_at >= start, Application.hired_at < end)
        .group_by(station)
    ):
        if sid in rows:
            rows[sid].placed = count
    for sid, count, done in session.execute(
        select(
            HouseholdOrder.station_id,
            func.count().filter(HouseholdOrder.created_at >= start, HouseholdOrder.created_at < end),
            func.count().filter(
                HouseholdOrder.status == OrderStatus.COMPLETED,
                HouseholdOrder.completed_at >= start,
                HouseholdOrder.completed_at < end,
            ),
        )
        .where(or_(HouseholdOrder.created_at >= start, HouseholdOrder.completed_at >= start))
        .group_by(HouseholdOrder.station_id)
    ):
        if sid in rows:
            rows[sid].orders, rows[sid].orders_done = count, done
    result = Month(first, list(rows.values()))
    for row in result.rows:
        result.total.add(row)
    # A posting offered at several stations counts at each, and once in the total.
    offered = [*made]
    if station_ids is not None:
        at = select(posting_stations.c.posting_id).where(posting_stations.c.station_id.in_(sorted(station_ids)))
        offered.append(or_(Posting.all_stations.is_(True), Posting.id.in_(at)))
    count, heads = session.execute(select(func.count(), func.sum(Posting.headcount)).where(*offered)).one()
    result.total.postings, result.total.headcount = count or 0, heads or 0
    return result
