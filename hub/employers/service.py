"""Creating, editing and verifying employers; their documents for devices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.scope import EVERYONE
from hub.postings import service as postings
from hub.postings.models import Posting, PostingStatus
from hub.staff.service import Principal

from . import creditcode
from .models import Employer
from .schemas import EmployerIn


def employer_doc(e: Employer) -> dict:
    return {"id": e.id, "name": e.name, "verified": e.verified_at is not None}


def _publish(session: Session, employer: Employer) -> None:
    feed.record(session, [feed.Change("employer", employer.id, EVERYONE, employer_doc(employer))])


def code_problems(session: Session, code: str | None, exclude: int | None = None) -> list[Conflict]:
    """The credit code already registered to another employer (a form shows it with its other errors)."""
    try:
        code = creditcode.validate(code) if code and code.strip() else None
    except creditcode.CreditCodeError:
        return []  # (the field's own error says what is wrong with it)
    other = session.scalar(select(Employer).where(Employer.credit_code == code)) if code else None
    if other is None or other.id == exclude:
        return []
    return [
        Conflict(
            f"统一社会信用代码已登记在「{other.name}」名下", code="employer.credit_code_taken", field="credit_code"
        )
    ]


def _unique_code(session: Session, code: str | None, exclude: int | None = None) -> None:
    found = code_problems(session, code, exclude)
    if found:
        raise found[0]


# What the verified mark vouches for: changing any of these takes the mark away.
VOUCHED = ("name", "credit_code", "contact_person", "contact_phone")


def create(session: Session, data: EmployerIn, by: Principal) -> Employer:
    _unique_code(session, data.credit_code)
    # Registered by a station (its staff may edit it once verified); by an administrator, by none.
    station = None if by.is_admin or not by.station_ids else min(by.station_ids)
    employer = Employer(**data.model_dump(), station_id=station)
    session.add(employer)
    session.flush()
    _publish(session, employer)
    return employer


def update(session: Session, employer_id: int, data: EmployerIn, by: Principal) -> Employer:
    """Edits an employer. Once verified, only administrators and the station that registered it may;
    and a new name, credit code or contact takes the mark away until the licence is seen again."""
    employer = get(session, employer_id)
    if employer.verified_at is not None and not vouches(by, employer):
        raise Forbidden("已认证的单位只有管理员或登记它的驿站可以修改", code="employer.verified_locked", field="name")
    _unique_code(session, data.credit_code, exclude=employer.id)
    was_verified = employer.verified_at is not None
    if any(getattr(data, k) != getattr(employer, k) for k in VOUCHED):
        employer.verified_at = None
    for key, value in data.model_dump().items():
        setattr(employer, key, value)
    session.flush()
    _publish(session, employer)
    if was_verified and employer.verified_at is None:
        _republish_postings(session, employer)
    return employer


def vouches(by: Principal, employer: Employer) -> bool:
    """Who may give or take the verified mark, and edit a verified employer: administrators, and
    the staff of the station that registered it (they are the ones who saw the licence)."""
    return by.is_admin or (employer.station_id is not None and by.may_station(employer.station_id))


def verify(session: Session, employer_id: int, verified: bool, by: Principal) -> Employer:
    """Staff saw the business licence: devices show the verified mark."""
    employer = get(session, employer_id)
    if not vouches(by, employer):
        raise Forbidden("只有管理员或登记这家单位的驿站可以认证它", code="employer.verify_forbidden", field="verified")
    if verified and employer.credit_code is None:
        raise Invalid("居民户没有营业执照，不能认证", code="employer.household_unverifiable", field="credit_code")
    changed = (employer.verified_at is not None) != verified
    employer.verified_at = dt.datetime.now(dt.UTC) if verified else None
    _publish(session, employer)
    if changed:
        _republish_postings(session, employer)
    return employer


def _republish_postings(session: Session, employer: Employer) -> None:
    """Its open postings carry the mark (不收费 needs a verified employer): devices get them again."""
    session.flush()
    postings.publish(
        session,
        session.scalars(
            select(Posting).where(Posting.employer_id == employer.id, Posting.status == PostingStatus.OPEN)
        ),
    )


def get(session: Session, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(f"没有编号为 {employer_id} 的单位", code="employer.not_found")
    return employer
