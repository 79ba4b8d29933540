"""Offering courses: the rules of a course's fields, who may change it, and what devices are sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.seats import offers
from hub.staff.service import Principal
from hub.trades.models import Trade

from .models import Course, CourseStatus, Signup
from .schemas import CourseIn, CoursePatch

MAX_DAYS = 366  # a course longer than a year is a typing mistake, not a course
# What staff type for a free course: kept as "" (免费 on every screen), not shown as a fee.
FREE_WORDS = frozenset({"免费", "0", "0元", "无", "不收费", "free"})


def cost_text(text: str) -> str:
    return "" if text.strip().lower() in FREE_WORDS else text.strip()


def problems(values: Mapping[str, Any], tz: dt.tzinfo = dt.UTC) -> list[Invalid]:
    """Every rule between fields that `values` break (a field left out is not checked)."""
    found = []
    start, end = values.get("starts_on"), values.get("ends_on")
    if start is not None and end is not None:
        if end < start:
            found.append(Invalid("结束日期不能早于开始日期", code="course.ends_before_start", field="ends_on"))
        elif (end - start).days > MAX_DAYS:
            found.append(Invalid("一期培训不能超过一年", code="course.too_long", field="ends_on"))
    until = values.get("signup_until")
    if until is not None and end is not None and until >= default_signup_until(end + dt.timedelta(days=1), tz):
        found.append(Invalid("报名截止不能晚于培训最后一天", code="course.signup_after_end", field="signup_until"))
    low, high = values.get("age_min"), values.get("age_max")
    if low is not None and high is not None and high < low:
        found.append(Invalid("年龄上限不能小于下限", code="course.age_range", field="age_max"))
    return found


def default_signup_until(starts_on: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """Sign-ups close when the first day begins, in the hub's time."""
    return dt.datetime.combine(starts_on, dt.time(), tz)


def taken(session: Session, course_id: int) -> int:
    return offers.count(session, Signup.course_id, course_id)


def taken_by_course(session: Session, course_ids: Iterable[int]) -> dict[int, int]:
    return offers.count_by(session, Signup.course_id, course_ids)


scope, shown_at, may_edit, may_see = offers.scope, offers.shown_at, offers.may_edit, offers.may_see


def course_doc(c: Course, taken_now: int) -> dict:
    """What a kiosk needs to offer the course and a wall to show it, seats left included."""
    return {
        "id": c.id,
        "title": c.title,
        "trade": c.trade_id,
        "organiser": c.organiser,
        "place": c.place,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "schedule": c.schedule,
        "seats": c.seats,
        "left": max(0, c.seats - taken_now),
        "cost": c.cost,
        "age_min": c.age_min,
        "age_max": c.age_max,
        "registered_only": c.registered_only,
        "to": feed.epoch(c.signup_until),  # offered until sign-ups close: the feed drops it then
    }


def publish(session: Session, course: Course) -> None:
    """Open courses are offered where they are shown; closed or cancelled ones are withdrawn."""
    live = course.status is CourseStatus.OPEN
    doc = course_doc(course, taken(session, course.id)) if live else None
    feed.record(session, [feed.Change("course", course.id, scope(course), doc, reason=course.status.value)])


def _check(course: Course, tz: dt.tzinfo) -> None:
    keys = ("starts_on", "ends_on", "age_min", "age_max", "signup_until")
    found = problems({k: getattr(course, k) for k in keys}, tz)
    if found:
        raise found[0]


def create(session: Session, data: CourseIn, by: Principal, tz: dt.tzinfo) -> Course:
    values = data.model_dump(exclude={"station_ids"})
    course = Course(**values)
    course.cost = cost_text(course.cost)
    course.signup_until = data.signup_until or default_signup_until(data.starts_on, tz)
    trade = session.get(Trade, data.trade_id)
    if trade is None:
        raise Invalid(f"没有编号为 {data.trade_id} 的工种", code="course.trade_unknown", field="trade_id")
    course.trade = trade
    offers.choose_stations(session, course, data.station_ids, by)
    _check(course, tz)
    if course.ends_on < dt.datetime.now(tz).date():
        raise Invalid("这期培训已经结束了", code="course.ended", field="ends_on")
    session.add(course)
    session.flush()
    publish(session, course)
    return course


def get(session: Session, course_id: int, *, lock: bool = False) -> Course:
    query = select(Course).where(Course.id == course_id)
    course = session.scalar(query.with_for_update(of=Course) if lock else query)
    if course is None:
        raise NotFound(f"没有编号为 {course_id} 的培训", code="course.not_found")
    return course


def editable(session: Session, course_id: int, by: Principal) -> Course:
    feed.lock(session)  # before the course's row, as a sign-up takes them (hub.training.signups)
    course = get(session, course_id, lock=True)
    if not may_edit(course, by):
        raise Forbidden("发布到您的驿站以外的培训只有管理员可以修改", code="course.edit_forbidden")
    return course


def update(session: Session, course_id: int, patch: CoursePatch, by: Principal, tz: dt.tzinfo) -> Course:
    course = editable(session, course_id, by)
    if course.status is CourseStatus.CANCELLED:
        raise Conflict("已取消的培训不能再改，请另建一期", code="course.cancelled")
    values = patch.model_dump(exclude_unset=True)
    moved = values.get("starts_on") is not None and "signup_until" not in values
    if moved and course.signup_until == default_signup_until(course.starts_on, tz):  # the default moves with it
        values["signup_until"] = default_signup_until(values["starts_on"], tz)
    for key, value in values.items():
        if value is None and key not in ("age_min", "age_max"):  # (only an age limit may be taken off)
            raise Invalid("这一项不能为空", code="course.field_required", field=key)
    held = taken(session, course.id)
    if "seats" in values and values["seats"] < held:
        raise Conflict(f"已有 {held} 人报名，名额不能少于报名人数", code="course.seats_below_taken", field="seats")
    if "cost" in values:
        values["cost"] = cost_text(values["cost"])
    for key, value in values.items():
        setattr(course, key, value)
    _check(course, tz)
    session.flush()
    publish(session, course)
    return course


def set_status(session: Session, course_id: int, status: CourseStatus, by: Principal) -> Course:
    """Close sign-ups, cancel, or reopen (a cancelled course stays cancelled)."""
    course = editable(session, course_id, by)
    if course.status is CourseStatus.CANCELLED and status is not CourseStatus.CANCELLED:
        raise Conflict("已取消的培训不能重新开放，请另建一期", code="course.cancelled", field="status")
    course.status = status
    session.flush()
    publish(session, course)
    return course


def stage(course: Course, today: dt.date, now: dt.datetime) -> str:
    """Where a course stands, in the words staff use: 已取消, 已结束, 培训中, 报名已截止, 已停止报名, 报名中."""
    if course.status is CourseStatus.CANCELLED:
        return "已取消"
    if course.ends_on < today:
        return "已结束"
    if course.starts_on <= today:
        return "培训中"
    if course.signup_until <= now:
        return "报名已截止"
    return "已停止报名" if course.status is CourseStatus.CLOSED else "报名中"


def listing(session: Session, by: Principal, *, ended_after: dt.date) -> list[Course]:
    """The courses the caller may see that end on or after `ended_after`, soonest first."""
    rows = session.scalars(
        select(Course).where(Course.ends_on >= ended_after).order_by(Course.starts_on, Course.id)
    ).all()
    return [c for c in rows if may_see(c, by)]
