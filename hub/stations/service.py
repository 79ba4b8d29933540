"""Creating and listing stations; their documents for devices."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, NotFound
from hub.feed import service as feed
from hub.feed.scope import EVERYONE

from .models import Station
from .schemas import StationIn


def station_doc(s: Station) -> dict:
    return {
        "id": s.id,
        "name": s.name,
        "kind": s.kind.value,
        "district": s.district,
        "address": s.address,
        "lat": round(s.lat, 6),
        "lon": round(s.lon, 6),
        "phone": s.phone,
        # 服务规范, 服务热线, 投诉电话 (hub.trust): words and numbers to show, never a link or a command
        "rules": s.rules or "",
        "hotline": s.hotline or "",
        "complaint": s.complaint_phone or "",
        # the walls' week, where a wall has none of its own (display/schedule.py chooses)
        "wall_schedule": s.wall_schedule,
    }


SAME_PLACE_DEG = 1e-6  # a point at exactly a station's took the station's point, not one of its own


def own_point(lat: float, lon: float, stations: Iterable[Station]) -> bool:
    """Whether a posting's point is its own: not 0,0 (none given) and not a station's point (the
    console gives a posting its station's point when staff set none)."""
    if abs(lat) < SAME_PLACE_DEG and abs(lon) < SAME_PLACE_DEG:
        return False
    return not any(abs(s.lat - lat) < SAME_PLACE_DEG and abs(s.lon - lon) < SAME_PLACE_DEG for s in stations)


def create(session: Session, data: StationIn) -> Station:
    if session.scalar(select(Station).where(Station.name == data.name)):
        raise Conflict(f"已经有叫「{data.name}」的驿站了", code="station.name_taken", field="name")
    station = Station(**data.model_dump())
    session.add(station)
    session.flush()
    feed.record(session, [feed.Change("station", station.id, EVERYONE, station_doc(station))])
    return station


def update(session: Session, station_id: int, data: StationIn) -> Station:
    station = get(session, station_id)
    for key, value in data.model_dump().items():
        setattr(station, key, value)
    session.flush()
    feed.record(session, [feed.Change("station", station.id, EVERYONE, station_doc(station))])
    return station


def set_wall_schedule(session: Session, station_id: int, schedule: dict | None) -> Station:
    """The station's default week for its walls (validated by the caller as a Schedule), to every device."""
    station = get(session, station_id)
    station.wall_schedule = schedule
    session.flush()
    feed.record(session, [feed.Change("station", station.id, EVERYONE, station_doc(station))])
    return station


def get(session: Session, station_id: int) -> Station:
    station = session.get(Station, station_id)
    if station is None:
        raise NotFound(f"没有编号为 {station_id} 的驿站", code="station.not_found")
    return station


def all_stations(session: Session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.id)))
