"""Creating, editing and verifying employers; their documents for devices."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import EVERYONE

from .models import Employer
from .schemas import EmployerIn


def employer_doc(e: Employer) -> dict:
    return {"id": e.id, "name": e.name, "verified": e.verified_at is not None}


def _publish(session: Session, employer: Employer) -> None:
    feed.record(session, [feed.Change("employer", employer.id, EVERYONE, employer_doc(employer))])


def _unique_code(session: Session, code: str | None, exclude: int | None = None) -> None:
    if code is None:
        return
    other = session.scalar(select(Employer).where(Employer.credit_code == code))
    if other is not None and other.id != exclude:
        raise Conflict(f"统一社会信用代码已登记在「{other.name}」名下", field="credit_code")


def create(session: Session, data: EmployerIn) -> Employer:
    _unique_code(session, data.credit_code)
    employer = Employer(**data.model_dump())
    session.add(employer)
    session.flush()
    _publish(session, employer)
    return employer


def update(session: Session, employer_id: int, data: EmployerIn) -> Employer:
    employer = get(session, employer_id)
    _unique_code(session, data.credit_code, exclude=employer.id)
    if data.credit_code != employer.credit_code:
        employer.verified_at = None  # a new code must be checked against the licence again
    for key, value in data.model_dump().items():
        setattr(employer, key, value)
    session.flush()
    _publish(session, employer)
    return employer


def verify(session: Session, employer_id: int, verified: bool = True) -> Employer:
    """Staff saw the business licence: devices show the verified mark."""
    employer = get(session, employer_id)
    if verified and employer.credit_code is None:
        raise Invalid("a household has no business licence to verify", field="credit_code")
    employer.verified_at = dt.datetime.now(dt.UTC) if verified else None
    _publish(session, employer)
    return employer


def get(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(f"no employer with id {employer_id}")
    return employer
