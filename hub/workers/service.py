"""Finding workers by keyed hash, and recording what they register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import idnumber
from floor.names import mask_name
from hub.db import insert_ignore
from hub.keys import HubKeys

from .models import Worker
from .schemas import Intention, Person


def find(session: Session, keys: HubKeys, id_number: str) -> Worker | None:
    return session.scalar(select(Worker).where(Worker.id_hash == keys.id_hash(id_number)))


def _new(key: str, id_number: str) -> dict:
    now = dt.datetime.now(dt.UTC)
    masked = idnumber.mask(id_number)
    return {"id_hash": key, "id_masked": masked, "intention": {}, "created_at": now, "updated_at": now}


def find_or_create(session: Session, keys: HubKeys, id_number: str) -> Worker:
    """Race-free across hub processes: the unique hash decides, nobody fails."""
    worker = find(session, keys, id_number)
    if worker is None:
        insert_ignore(session, Worker.__table__, _new(keys.id_hash(id_number), id_number))
        worker = find(session, keys, id_number)
    return worker


def id_of(session: Session, keys: HubKeys, id_number: str) -> int:
    """The worker's id, made new if need be, as find_or_create; for what needs nothing more of them
    (an application). Each event of a healing backlog comes through here: one light statement for a
    worker known, two for a new one, where loading the row took three."""
    key = keys.id_hash(id_number)
    found = session.scalar(select(Worker.id).where(Worker.id_hash == key))
    if found is None:
        found = insert_ignore(session, Worker.__table__, _new(key, id_number), returning=Worker.__table__.c.id)
        if found is None:  # another hub process made them a moment ago
            found = session.scalar(select(Worker.id).where(Worker.id_hash == key))
    return found


def find_or_create_by_phone(session: Session, keys: HubKeys, phone: str) -> Worker:
    """A worker known only by a phone (who applied from the phone page, without a card). The same
    keyed hash stands in for the ID number's, over a value no ID number can take."""
    key = keys.id_hash("tel:" + phone)
    found = session.scalar(select(Worker).where(Worker.id_hash == key))
    if found is None:
        now = dt.datetime.now(dt.UTC)
        insert_ignore(
            session,
            Worker.__table__,
            {"id_hash": key, "id_masked": "", "intention": {}, "created_at": now, "updated_at": now},
        )
        found = session.scalar(select(Worker).where(Worker.id_hash == key))
    return found


def register(
    session: Session, keys: HubKeys, person: Person, intention: Intention, station_id: int | None, at: dt.datetime
) -> Worker:
    worker = find_or_create(session, keys, person.id_number)
    worker.intention = intention.model_dump(mode="json")
    worker.registered_at = at
    worker.registered_station_id = station_id
    if person.consent and person.phone:
        worker.phone, worker.phone_consent_at = person.phone, at
    elif not person.consent:
        worker.phone, worker.phone_consent_at = None, None  # consent withdrawn: forget the phone
    # Being called about suitable jobs is a consent of its own, given (or withdrawn) at each registration.
    worker.contact_consent_at = (worker.contact_consent_at or at) if person.contact else None
    if person.name:  # only the masked form: staff address the worker as 蔡**, never by the full name
        worker.name_masked = mask_name(person.name)
    return worker
