"""Each station's figures for today (applications taken, people placed), as a feed document.

A station's document is published again whenever one of its figures changes, so a device in step
with the feed that holds no document for today knows that nothing has happened yet today."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.applications.models import Application, ApplicationStatus
from hub.feed import service as feed
from hub.feed.scope import Scope
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.teams.models import Team
from hub.workers.models import Worker


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)


def figures_doc(session: Session, station_id: int, day: dt.date, tz: dt.tzinfo) -> dict:
    start, end = day_bounds(day, tz)
    of_station = Application.station_id == station_id
    applied = (
        session.scalar(
            select(func.count()).where(of_station, Application.received_at >= start, Application.received_at < end)
        )
        or 0
    )
    placed = (
        session.scalar(
            select(func.count()).where(
                of_station,
                Application.status == ApplicationStatus.HIRED,
                Application.hired_at >= start,
                Application.hired_at < end,
            )
        )
        or 0
    )
    return {
        "id": station_id,
        "station": station_id,
        "date": day.isoformat(),
        "applications_today": applied,
        "placed_today": placed,
        "top_week": top_takers(session, [station_id], end - dt.timedelta(days=7), end),
    }


def top_takers(
    session: Session, station_ids: Iterable[int] | None, start: dt.datetime, end: dt.datetime, limit: int = 3
) -> list[dict]:
    """The week's 接单王: workers placed through this station or who completed its household orders,
    most first (`station_ids` None: every station). Shown by masked name when they left one with
    consent, else by their phone's last four digits; workers with neither stay off the board."""
    counts: Counter = Counter()  # a worker's id, or ("team", id) for orders placed for a team
    hired = session.execute(
        select(Application.worker_id, func.count())
        .where(
            *_at(Application.station_id, station_ids),
            Application.status == ApplicationStatus.HIRED,
            Application.hired_at >= start,
            Application.hired_at < end,
        )
        .group_by(Application.worker_id)
    )
    done = session.execute(
        select(HouseholdOrder.worker_id, HouseholdOrder.team_id, func.count())
        .where(
            *_at(HouseholdOrder.station_id, station_ids),
            HouseholdOrder.status == OrderStatus.COMPLETED,
            HouseholdOrder.completed_at >= start,
            HouseholdOrder.completed_at < end,
        )
        .group_by(HouseholdOrder.worker_id, HouseholdOrder.team_id)
    )
    for worker_id, count in hired:
        counts[worker_id] += count
    for worker_id, team_id, count in done:  # an order placed for a team is the team's (零工团队)
        counts[("team", team_id) if team_id is not None else worker_id] += count
    board = []
    for who, count in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        label = _team_label(session, who[1]) if isinstance(who, tuple) else _label(session, who)
        if label:
            board.append({"name": label, "count": count})
        if len(board) == limit:
            break
    return board


def _at(column, station_ids: Iterable[int] | None) -> list:
    return [] if station_ids is None else [column.in_(list(station_ids))]


def _team_label(session: Session, team_id: int) -> str:
    name = session.scalar(select(Team.name).where(Team.id == team_id))
    return f"{name}（团队）" if name else ""


def _label(session: Session, worker_id: int | None) -> str:
    name = session.scalar(
        select(func.max(Application.name)).where(Application.worker_id == worker_id, Application.name != "")
    )
    if name:
        return mask_name(name)
    phone = session.scalar(select(Worker.phone).where(Worker.id == worker_id, Worker.phone_consent_at.is_not(None)))
    return f"尾号{phone[-4:]}" if phone else ""


def publish(session: Session, station_ids: Iterable[int | None], tz: dt.tzinfo, now: dt.datetime | None = None) -> None:
    """Re-publishes the figures of these stations for today (in the caller's transaction)."""
    day = (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
    ids = sorted({s for s in station_ids if s is not None})
    feed.record(
        session,
        [
            feed.Change("figures", sid, Scope(stations=frozenset({sid})), figures_doc(session, sid, day, tz))
            for sid in ids
        ],
    )
