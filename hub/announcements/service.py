"""Publishing and withdrawing announcements; their documents for devices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import Scope
from hub.staff.service import Principal
from hub.stations.models import Station

from .models import Announcement
from .schemas import AnnouncementIn


def announcement_doc(a: Announcement) -> dict:
    return {
        "id": a.id,
        "kind": a.kind.value,
        "title": a.title,
        "body": a.body,
        "priority": a.priority,
        "from": feed.epoch(a.valid_from),
        "to": feed.epoch(a.valid_to),
    }


def announcement_change(a: Announcement, *, gone: bool = False) -> feed.Change:
    scope = Scope(stations=None if a.all_stations else frozenset(s.id for s in a.stations))
    return feed.Change("announcement", a.id, scope, None if gone else announcement_doc(a), reason="withdrawn")


def problems(values: Mapping[str, Any]) -> list[Invalid]:
    """The rules between an announcement's fields that `values` break (any may be left out)."""
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is not None and end is not None and end <= start:
        return [Invalid("结束时间必须晚于开始时间", code="announcement.valid_range", field="valid_to")]
    return []


def _apply(session: Session, a: Announcement, data: AnnouncementIn, by: Principal) -> None:
    found = problems(data.model_dump())
    if found:
        raise found[0]
    if data.station_ids is None:
        by.require_admin()
        stations: list[Station] = []
    else:
        stations = list(session.scalars(select(Station).where(Station.id.in_(data.station_ids))))
        if not stations or len(stations) != len(set(data.station_ids)):
            raise Invalid("驿站没有选或有不存在的", code="announcement.stations_invalid", field="station_ids")
        for s in stations:
            by.require_station(s.id)
    a.kind, a.title, a.body, a.priority = data.kind, data.title, data.body, data.priority
    a.valid_from, a.valid_to = data.valid_from, data.valid_to
    a.all_stations, a.stations = data.station_ids is None, stations


def create(session: Session, data: AnnouncementIn, by: Principal) -> Announcement:
    a = Announcement()
    _apply(session, a, data, by)
    session.add(a)
    session.flush()
    feed.record(session, [announcement_change(a)])
    return a


def update(session: Session, announcement_id: int, data: AnnouncementIn, by: Principal) -> Announcement:
    a = get(session, announcement_id)
    _require_owner(a, by)
    _apply(session, a, data, by)
    session.flush()
    feed.record(session, [announcement_change(a)])
    return a


def withdraw(session: Session, announcement_id: int, by: Principal) -> None:
    a = get(session, announcement_id)
    _require_owner(a, by)
    feed.record(session, [announcement_change(a, gone=True)])
    session.delete(a)


def _require_owner(a: Announcement, by: Principal) -> None:
    if a.all_stations:
        by.require_admin()
    for s in a.stations:
        by.require_station(s.id)


def get(session: Session, announcement_id: int) -> Announcement:
    a = session.get(Announcement, announcement_id)
    if a is None:
        raise NotFound(f"没有编号为 {announcement_id} 的通知", code="announcement.not_found")
    return a
