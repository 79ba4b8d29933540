"""Taking in applications: one per worker and posting, name and phone only with consent."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Invalid, NotFound
from hub.keys import HubKeys
from hub.postings.models import Posting
from hub.stations import figures
from hub.workers import service as workers
from hub.workers.schemas import Person

from .models import Application, ApplicationStatus


def submit(session: Session, keys: HubKeys, *, posting_id: int, person: Person, code: str,
           applied_at: dt.datetime, device_id: int | None = None, device_n: int | None = None,
           station_id: int | None = None) -> Application:
    posting = session.get(Posting, posting_id)
    if posting is None:
        raise Invalid(f"no posting with id {posting_id}", field="posting")
    worker = workers.find_or_create(session, keys, person.id_number)
    existing = session.scalar(
        select(Application).where(Application.posting_id == posting_id, Application.worker_id == worker.id)
    )
    if existing is not None:
        raise Conflict(f"already applied to this posting (code {existing.code})")
    application = Application(
        code=code, posting_id=posting_id, worker_id=worker.id, device_id=device_id, device_n=device_n,
        station_id=station_id, applied_at=applied_at,
        name=person.name if person.consent else "", phone=(person.phone or "") if person.consent else "",
        consent_at=applied_at if person.consent else None,
    )
    session.add(application)
    session.flush()
    return application


def set_status(session: Session, application_id: int, status: ApplicationStatus, tz: dt.tzinfo) -> Application:
    """Staff record what became of an application; placing a worker counts in the station's figures."""
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(f"no application with id {application_id}")
    was_hired = application.status == ApplicationStatus.HIRED
    application.status = status
    if status != ApplicationStatus.HIRED:
        application.hired_at = None
    elif not was_hired:
        application.hired_at = dt.datetime.now(dt.UTC)
    session.flush()
    if was_hired or status == ApplicationStatus.HIRED:
        figures.publish(session, [application.station_id], tz)
    return application


def submit_from_phone(session: Session, keys: HubKeys, *, posting_id: int, name: str, phone: str) -> Application:
    """An application from the posting's phone page: the worker gave name and phone, with consent."""
    worker = workers.find_or_create_by_phone(session, keys, phone)
    existing = session.scalar(
        select(Application).where(Application.posting_id == posting_id, Application.worker_id == worker.id))
    if existing is not None:
        raise Conflict(f"这个电话已经报过名了（报名码 {existing.code}）", field="phone")
    now = dt.datetime.now(dt.UTC)
    application = Application(code="W-" + secrets.token_hex(4).upper(), posting_id=posting_id, worker_id=worker.id,
                              name=name, phone=phone, consent_at=now, applied_at=now)
    session.add(application)
    session.flush()
    return application
