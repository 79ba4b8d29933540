"""Taking in applications: one per worker and posting, name and phone only with consent."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

from sqlalchemy import bindparam, exists, or_, select, true
from sqlalchemy.orm import Session

from hub.db import insert_ignore
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.feed.models import FeedState
from hub.figures import service as figures
from hub.keys import HubKeys
from hub.postings.models import Posting, PostingStatus, posting_stations
from hub.postings.service import shown_at
from hub.workers import service as workers
from hub.workers.schemas import Person

from .models import Application, ApplicationStatus

LATE_GRACE = dt.timedelta(hours=1)  # a worker who tapped 确认 just as the posting ran out


class Judged(NamedTuple):
    """What judging an application needs of its posting, and whether it is shown at the device's
    station (True when no station asks)."""

    id: int
    status: PostingStatus
    filled: int
    headcount: int
    valid_to: dt.datetime
    created_at: dt.datetime
    shown: bool

    @classmethod
    def of(cls, posting: Posting, station_id: int | None) -> Judged:
        shown = station_id is None or shown_at(posting, station_id)
        return cls(
            posting.id, posting.status, posting.filled, posting.headcount, posting.valid_to, posting.created_at, shown
        )


_COLUMNS = (Posting.id, Posting.status, Posting.filled, Posting.headcount, Posting.valid_to, Posting.created_at)
# Its station, asked by the association's whole key, is one index lookup (test_intake_plans).
_AT_STATION = exists().where(
    posting_stations.c.posting_id == Posting.id, posting_stations.c.station_id == bindparam("station")
)
_JUDGED = select(*_COLUMNS, true()).where(Posting.id == bindparam("posting"))
_JUDGED_AT = select(*_COLUMNS, or_(Posting.all_stations, _AT_STATION)).where(Posting.id == bindparam("posting"))


def judged(session: Session, posting_id: int, station_id: int | None) -> Judged | None:
    """The posting as judging needs it, in one statement of plain columns made once: every event of
    a backlog the hub heals comes through here, and the ORM's posting with its stations took two
    statements and a third of an application's CPU (cProfile, 1,000 events on PostgreSQL)."""
    if station_id is None:
        row = session.execute(_JUDGED, {"posting": posting_id}).first()
    else:
        row = session.execute(_JUDGED_AT, {"posting": posting_id, "station": station_id}).first()
    return None if row is None else Judged(*row[:6], bool(row[6]))


def _device_knew(session: Session, posting: Judged, cursor: int | None) -> bool:
    """Whether the device's feed cursor shows it had the posting's latest state (its closing, its
    shortened window) when the worker applied."""
    changed_at_seq = session.scalar(
        select(FeedState.seq).where(FeedState.kind == "posting", FeedState.entity_id == posting.id)
    )
    return cursor is not None and changed_at_seq is not None and cursor >= changed_at_seq


def check_open_to(session: Session, posting: Judged, *, at: dt.datetime, cursor: int | None) -> bool:
    """A device may apply only to a posting shown at its station, and only while it was open as far
    as the device could know: a posting filled, closed or cut short after the device's last news of
    it (its feed cursor) was open there — an application made offline stands — but one the device
    had already been told about was not. Returns whether the posting has ended by now (closed,
    filled or run out: the application stands, and the station is told to offer similar work)."""
    if not posting.shown:
        raise Forbidden("这个岗位不在本驿站发布", code="application.other_station", field="posting")
    restored = feed.restored_after(session, cursor) if cursor is not None else None  # (once a batch a cursor)
    if restored is not None and posting.created_at >= restored:
        # The device applied from what a hub showed before it was restored from an older backup:
        # the posting it saw was lost, and its id given again to one published after the restore.
        raise Conflict("报名的岗位已不在了（系统从备份恢复过）", code="application.lost_in_restore", field="posting")
    now = dt.datetime.now(dt.UTC)
    if at >= posting.valid_to + LATE_GRACE:
        # Past the window the device held is a kiosk's error; past one shortened since its last
        # news (staff moved the end forward while it was offline) is the worker's good faith.
        if cursor is None or _device_knew(session, posting, cursor):
            raise Conflict("这个岗位的招聘期已经过了", code="application.expired", field="posting")
        return True
    if posting.status is PostingStatus.OPEN and posting.filled < posting.headcount:
        return posting.valid_to <= now
    if _device_knew(session, posting, cursor):
        raise Conflict("这个岗位已经招满或结束招聘", code="application.closed", field="posting")
    return True


class Submitted(NamedTuple):
    code: str
    posting_ended: bool  # (see check_open_to)


def submit(
    session: Session,
    keys: HubKeys,
    *,
    posting_id: int,
    person: Person,
    code: str,
    applied_at: dt.datetime,
    device_id: int | None = None,
    device_n: int | None = None,
    station_id: int | None = None,
    cursor: int | None = None,
) -> Submitted:
    """An application from a kiosk's event. Every event of a backlog the hub heals comes through
    here, so it costs three statements (the posting judged, the worker, the insert — one more to
    make a new worker), not the ORM's eight: the insert itself finds an application made before."""
    posting = judged(session, posting_id, station_id)
    if posting is None:
        raise Invalid(f"没有编号为 {posting_id} 的岗位", code="application.posting_unknown", field="posting")
    ended = device_id is not None and check_open_to(session, posting, at=applied_at, cursor=cursor)
    worker_id = workers.id_of(session, keys, person.id_number)
    row = {
        "code": code,
        "posting_id": posting_id,
        "worker_id": worker_id,
        "device_id": device_id,
        "device_n": device_n,
        "station_id": station_id,
        "applied_at": applied_at,
        "name": person.name if person.consent else "",
        "phone": (person.phone or "") if person.consent else "",
        "consent_at": applied_at if person.consent else None,
        "posting_ended": ended,
    }
    if insert_ignore(session, Application.__table__, row, returning=Application.__table__.c.id) is None:
        existing = session.scalar(
            select(Application.code).where(Application.posting_id == posting_id, Application.worker_id == worker_id)
        )
        if existing is not None:
            raise Conflict(f"已经报过这个岗位了（报名号 {existing}）", code="application.duplicate")
        # Another unique key: the code or the device's number (never both applied, yet here).
        raise Conflict("这份报名与已有的记录冲突", code="application.conflict")
    return Submitted(code, ended)


def set_status(session: Session, application_id: int, status: ApplicationStatus, tz: dt.tzinfo) -> Application:
    """Staff record what became of an application; placing a worker counts in the station's figures."""
    application = session.get(Application, application_id)
    if application is None:
        raise NotFound(f"没有编号为 {application_id} 的报名", code="application.not_found")
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
    """An application from the posting's phone page: the worker gave name and phone, with consent.
    The same phone applying again changes nothing and is not an error (the page must not tell a
    stranger typing someone's number whether that person applied)."""
    worker = workers.find_or_create_by_phone(session, keys, phone)
    existing = session.scalar(
        select(Application).where(Application.posting_id == posting_id, Application.worker_id == worker.id)
    )
    if existing is not None:
        return existing
    now = dt.datetime.now(dt.UTC)
    application = Application(
        code="W-" + secrets.token_hex(4).upper(),
        posting_id=posting_id,
        worker_id=worker.id,
        name=name,
        phone=phone,
        consent_at=now,
        applied_at=now,
    )
    session.add(application)
    session.flush()
    return application
