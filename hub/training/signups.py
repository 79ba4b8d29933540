"""Signing a worker up with the card (a seat is a row, never more rows than seats), the roster,
attendance and completion (结业), and what a worker has completed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import idnumber
from floor.names import mask_name
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.seats import offers
from hub.staff.service import Principal
from hub.workers.models import Worker

from . import service
from .models import Course, CourseStatus, Signup

KIND = offers.Kind(Course, Signup, Signup.course_id, noun="培训", this="这期培训")


def check_eligible(course: Course, id_number: str, worker: Worker, station_id: int | None, at: dt.datetime) -> None:
    """Whether this worker may take a seat, as of `at` (when they tapped, an offline kiosk's time)."""
    if course.status is CourseStatus.CANCELLED:
        raise Conflict("这期培训已取消", code="course.cancelled")
    if course.status is not CourseStatus.OPEN:
        raise Conflict("这期培训已停止报名", code="course.closed")
    if station_id is not None and not service.shown_at(course, station_id):
        raise Forbidden("这期培训不在本驿站报名", code="course.other_station")
    if at > course.signup_until:
        raise Conflict("这期培训的报名已经截止", code="course.signup_over")
    age = idnumber.age_on(id_number, course.starts_on)
    if age is not None and course.age_min is not None and age < course.age_min:
        raise Conflict(f"这期培训要求 {course.age_min} 岁以上", code="course.too_young")
    if age is not None and course.age_max is not None and age > course.age_max:
        raise Conflict(f"这期培训要求 {course.age_max} 岁以下", code="course.too_old")
    if course.registered_only and worker.registered_at is None:
        raise Conflict("这期培训只收已登记求职的零工，请先登记", code="course.registered_only")


def sign_up(
    session: Session,
    course_id: int,
    *,
    worker: Worker,
    id_number: str,
    name: str,
    phone: str,
    code: str,
    device_id: int | None,
    station_id: int | None,
    at: dt.datetime,
    cursor: int | None = None,
) -> Signup:
    """Takes a seat on the course (hub.seats.offers.take), by the course's rules as of the tap."""
    return offers.take(
        session,
        KIND,
        course_id,
        worker_id=worker.id,
        station_id=station_id,
        at=at,
        cursor=cursor,
        eligible=lambda course, when: check_eligible(course, id_number, worker, station_id, when),
        new_seat=lambda course, when: Signup(
            course=course,
            worker_id=worker.id,
            code=code,
            device_id=device_id,
            station_id=station_id,
            signed_at=when,
            masked_name=mask_name(name) if name else "",
            phone=phone,
        ),
        publish=lambda course: service.publish(session, course),
    )


def roster(session: Session, course_id: int, by: Principal) -> tuple[Course, list[Signup]]:
    """The course's sign-ups the caller may see: all of a course they run, else those of their stations."""
    course = service.get(session, course_id)
    if not service.may_see(course, by):
        raise Forbidden("这期培训不在您的驿站", code="course.not_yours")
    rows = session.scalars(select(Signup).where(Signup.course_id == course.id).order_by(Signup.signed_at)).all()
    return course, offers.visible(course, rows, by)


def mark(
    session: Session,
    course_id: int,
    signup_id: int,
    by: Principal,
    *,
    attended: bool | None,
    completed: bool | None,
    tz: dt.tzinfo,
    now: dt.datetime | None = None,
) -> Signup:
    """Attendance and completion, by the course's own staff, once the course has begun."""
    now = now or dt.datetime.now(dt.UTC)
    course = service.get(session, course_id)
    if not service.may_edit(course, by):
        raise Forbidden("只有办这期培训的驿站可以记考勤和结业", code="course.edit_forbidden")
    signup = session.get(Signup, signup_id)
    if signup is None or signup.course_id != course.id:
        raise NotFound(f"这期培训没有编号为 {signup_id} 的报名", code="course.signup_not_found")
    if course.status is CourseStatus.CANCELLED:
        raise Conflict("这期培训已取消，不能记到课或结业", code="course.cancelled")
    if (attended or completed) and now < service.default_signup_until(course.starts_on, tz):
        raise Invalid("培训还没开始，不能记到课或结业", code="course.not_started", field="attended")
    if completed and now < service.default_signup_until(course.ends_on, tz):
        raise Invalid("结业要到培训最后一天才能记", code="course.not_ended", field="completed")
    if completed is not None:
        signup.completed_at = (signup.completed_at or now) if completed else None
    if attended is not None:
        signup.attended_at = (signup.attended_at or now) if attended else None
    if signup.completed_at is not None:
        signup.attended_at = signup.attended_at or signup.completed_at  # 结业 means they came
    session.flush()
    return signup


def completed_trades(session: Session, worker_id: int) -> set[int]:
    """The trades of every course this worker completed (持证: matching ranks them first)."""
    return set(
        session.scalars(
            select(Course.trade_id)
            .join(Signup, Signup.course_id == Course.id)
            .where(Signup.worker_id == worker_id, Signup.completed_at.is_not(None))
        )
    )


def completed_in(session: Session, trade_id: int, worker_ids: list[int] | None = None) -> frozenset[int]:
    """The workers (of `worker_ids`, or all) who completed a course of this trade (持证 for it)."""
    query = (
        select(Signup.worker_id)
        .join(Course, Course.id == Signup.course_id)
        .where(Course.trade_id == trade_id, Signup.completed_at.is_not(None))
    )
    if worker_ids is not None:
        query = query.where(Signup.worker_id.in_(worker_ids or [-1]))
    return frozenset(session.scalars(query))
