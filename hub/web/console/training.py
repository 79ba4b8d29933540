"""技能培训 in the console: offer a course, the courses of the caller's stations with seats taken,
each course's roster with attendance and 结业 marked per worker, closing and cancelling."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Invalid
from hub.fields import IdPath
from hub.trades.models import Trade
from hub.training import service as training
from hub.training import signups
from hub.training.models import CourseStatus
from hub.training.schemas import CourseIn
from hub.web.pages import render

from .forms import attempt, console_router, form_of, validate_all, values_of
from .offering import list_page
from .postings import chosen_stations

router = console_router()
MARKS = {"attended": (True, None), "absent": (False, None), "completed": (None, True), "not_completed": (None, False)}


def _list_page(request, session, staff, settings, form: dict, errors: dict, status=200) -> HTMLResponse:
    today = dt.datetime.now(settings.tz).date()
    courses = training.listing(session, staff, ended_after=today - dt.timedelta(days=30))
    taken = training.taken_by_course(session, [c.id for c in courses])
    now = dt.datetime.now(dt.UTC)
    return list_page(
        request,
        session,
        staff,
        "staff/courses.html",
        form,
        errors,
        status,
        courses=[(c, taken[c.id], training.may_edit(c, staff), training.stage(c, today, now)) for c in courses],
        trades=session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all(),
    )


@router.get("/courses", response_class=HTMLResponse)
def course_list(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    start = dt.datetime.now(settings.tz).date() + dt.timedelta(days=7)
    blank = {
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=4)).isoformat(),
        "seats": "30",
        "all_stations": "yes" if staff.is_admin else "",
    }
    with db.read() as session:
        return _list_page(request, session, staff, settings, blank, {})


@router.post("/courses", response_class=HTMLResponse)
async def offer(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        data, errors = validate_all(
            CourseIn,
            values_of(
                form,
                text=("title", "organiser", "place", "schedule", "cost"),
                required=("trade_id", "seats"),
                optional=("starts_on", "ends_on", "age_min", "age_max"),
            )
            | {"registered_only": form.get("registered_only") == "yes", "station_ids": chosen_stations(form, staff)},
            lambda values: training.problems(values, settings.tz),
        )
        if not form.get("trade_id"):
            errors["trade_id"] = "请选择工种"
        if not errors:
            made, errors = attempt(lambda: training.create(session, data, staff, settings.tz))
        if not errors:
            return RedirectResponse(f"/staff/courses/{made.id}", status_code=303)
        session.rollback()
        return _list_page(request, session, staff, settings, form, errors, 422)


@router.get("/courses/{course_id}", response_class=HTMLResponse)
def roster(course_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        course, rows = signups.roster(session, course_id, staff)
        today = dt.datetime.now(settings.tz).date()
        begun = today >= course.starts_on
        return render(
            request,
            "staff/course.html",
            {
                "staff": staff,
                "course": course,
                "rows": rows,
                "taken": training.taken(session, course.id),
                "may_edit": training.may_edit(course, staff),
                "begun": begun,
                "stage": training.stage(course, today, dt.datetime.now(dt.UTC)),
                "tz": settings.tz,
            },
        )


@router.post("/courses/{course_id}/status")
async def set_status(course_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    form = await form_of(request)
    try:
        status = CourseStatus(form.get("status", ""))
    except ValueError:
        raise Invalid("状态不对", code="course.status_unknown", field="status") from None
    with db.write() as session:
        training.set_status(session, course_id, status, staff)
    return RedirectResponse(f"/staff/courses/{course_id}", status_code=303)


@router.post("/courses/{course_id}/signups/{signup_id}")
async def mark(
    course_id: IdPath, signup_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep
) -> RedirectResponse:
    form = await form_of(request)
    if form.get("mark") not in MARKS:
        raise Invalid("要记的不对", code="course.mark_unknown", field="mark")
    attended, completed = MARKS[form["mark"]]
    with db.write() as session:
        signups.mark(session, course_id, signup_id, staff, attended=attended, completed=completed, tz=settings.tz)
    return RedirectResponse(f"/staff/courses/{course_id}#s{signup_id}", status_code=303)
