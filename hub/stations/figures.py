"""Each station's figures for today (applications taken, people placed), as a feed document.

A station's document is published again whenever one of its figures changes, so a device in step
with the feed that holds no document for today knows that nothing has happened yet today."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cardreader.names import mask_name
from hub.applications.models import Application, ApplicationStatus
from hub.feed import service as feed
from hub.feed.scope import Scope


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tz)


def figures_doc(session: Session, station_id: int, day: dt.date, tz: dt.tzinfo) -> dict:
    start, end = day_bounds(day, tz)
    of_station = Application.station_id == station_id
    applied = session.scalar(select(func.count()).where(
        of_station, Application.received_at >= start, Application.received_at < end)) or 0
    placed = session.scalar(select(func.count()).where(
        of_station, Application.status == ApplicationStatus.HIRED,
        Application.hired_at >= start, Application.hired_at < end)) or 0
    return {"id": station_id, "station": station_id, "date": day.isoformat(),
            "applications_today": applied, "placed_today": placed,
            "top_week": top_takers(session, station_id, end - dt.timedelta(days=7), end)}


def top_takers(session: Session, station_id: int, start: dt.datetime, end: dt.datetime, limit: int = 3) -> list[dict]:
    """The week's 接单王: workers placed most often through this station, by masked name (only
    workers who consented to their name being kept have one to show)."""
    rows = session.execute(
        select(Application.worker_id, func.max(Application.name), func.count())
        .where(Application.station_id == station_id, Application.status == ApplicationStatus.HIRED,
               Application.hired_at >= start, Application.hired_at < end, Application.name != "")
        .group_by(Application.worker_id)
        .order_by(func.count().desc(), Application.worker_id)
        .limit(limit))
    return [{"name": mask_name(name), "count": count} for _worker, name, count in rows]


def publish(session: Session, station_ids: Iterable[int | None], tz: dt.tzinfo, now: dt.datetime | None = None) -> None:
    """Re-publishes the figures of these stations for today (in the caller's transaction)."""
    day = (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
    ids = sorted({s for s in station_ids if s is not None})
    feed.record(session, [feed.Change("figures", sid, Scope(stations=frozenset({sid})),
                                      figures_doc(session, sid, day, tz)) for sid in ids])
