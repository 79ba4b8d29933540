"""The places staff pick a job's point from, and keep new ones as they paste them from a map."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, HubError, Invalid

from .models import Place

MIN_NAME, MAX_NAME = 2, 40


def listed(session: Session) -> list[Place]:
    return list(session.scalars(select(Place).order_by(Place.district, Place.name)))


def find(session: Session, place_id: int) -> Place:
    place = session.get(Place, place_id)
    if place is None:
        raise Invalid("没有这个常用地点，请重新选", code="place.not_found", field="place_id")
    return place


def name_problems(session: Session, district: str, name: str) -> list[HubError]:
    """What is wrong with keeping a new place under `name` in `district` (with a form's other errors)."""
    if not MIN_NAME <= len(name) <= MAX_NAME:
        return [Invalid(f"地点名称写 {MIN_NAME} 到 {MAX_NAME} 个字", code="place.name_length", field="place_name")]
    if session.scalar(select(Place.id).where(Place.district == district, Place.name == name)) is not None:
        return [Conflict(f"{district}已经有叫“{name}”的常用地点，直接选它就行", code="place.taken", field="place_name")]
    return []


def keep(session: Session, district: str, name: str, lat: float, lon: float) -> Place:
    found = name_problems(session, district, name)
    if found:
        raise found[0]
    place = Place(district=district, name=name, lat=lat, lon=lon)
    session.add(place)
    session.flush()
    return place
