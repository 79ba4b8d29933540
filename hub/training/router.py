"""Course routes: staff offer courses, follow their rosters and mark attendance and completion."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from hub.deps import DbDep, SettingsDep, StaffDep
from hub.fields import Day, IdPath

from . import service, signups
from .schemas import CourseIn, CourseOut, CoursePatch, MarkIn, SignupOut, StatusIn

router = APIRouter(prefix="/api/v1/courses", tags=["training"])


def _out(session, course) -> CourseOut:
    return CourseOut.of(course, service.taken(session, course.id))


@router.post("", response_model=CourseOut, status_code=201)
def offer(body: CourseIn, staff: StaffDep, db: DbDep, settings: SettingsDep) -> CourseOut:
    with db.write() as session:
        return _out(session, service.create(session, body, staff, settings.tz))


@router.get("", response_model=list[CourseOut])
def listing(
    staff: StaffDep,
    db: DbDep,
    settings: SettingsDep,
    since: Annotated[Day | None, Query(description="courses ending on or after this local date; default today")] = None,
) -> list[CourseOut]:
    with db.read() as session:
        courses = service.listing(session, staff, ended_after=since or dt.datetime.now(settings.tz).date())
        taken = service.taken_by_course(session, [c.id for c in courses])
        return [CourseOut.of(c, taken[c.id]) for c in courses]


@router.patch("/{course_id}", response_model=CourseOut)
def edit(course_id: IdPath, body: CoursePatch, staff: StaffDep, db: DbDep, settings: SettingsDep) -> CourseOut:
    with db.write() as session:
        return _out(session, service.update(session, course_id, body, staff, settings.tz))


@router.post("/{course_id}/status", response_model=CourseOut)
def set_status(course_id: IdPath, body: StatusIn, staff: StaffDep, db: DbDep) -> CourseOut:
    with db.write() as session:
        return _out(session, service.set_status(session, course_id, body.status, staff))


@router.get("/{course_id}/roster", response_model=list[SignupOut])
def roster(course_id: IdPath, staff: StaffDep, db: DbDep) -> list[SignupOut]:
    with db.read() as session:
        _course, rows = signups.roster(session, course_id, staff)
        return [SignupOut.of(s) for s in rows]


@router.post("/{course_id}/signups/{signup_id}", response_model=SignupOut)
def mark(
    course_id: IdPath, signup_id: IdPath, body: MarkIn, staff: StaffDep, db: DbDep, settings: SettingsDep
) -> SignupOut:
    with db.write() as session:
        row = signups.mark(
            session, course_id, signup_id, staff, attended=body.attended, completed=body.completed, tz=settings.tz
        )
        return SignupOut.of(row)
