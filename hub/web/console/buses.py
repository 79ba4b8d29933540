"""包车 in the console: offer a departure, the departures of the caller's stations with their seats
taken, each one's printable manifest with boarding marked at the bus, stopping sign-ups and cancelling."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.audit.middleware import note
from hub.buses import seats
from hub.buses import service as buses
from hub.buses.models import DepartureStatus
from hub.buses.schemas import DepartureIn, DepartureOut, audited
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Invalid
from hub.fields import IdPath
from hub.seats import offers
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.web.pages import render

from .forms import console_router, local_datetime, validate_all, values_of
from .offering import blank, employers, list_page, status_of, step, submit
from .postings import chosen_stations

router = console_router()
BOARDED = {"yes": True, "no": False}


def _rules(now: dt.datetime):
    """The service's rules between fields, and a bus that has already left: the service refuses
    that only when it creates the bus, after the form's other errors would have been shown."""

    def rules(values):
        found = buses.problems(values, now)
        leaves = values.get("leaves_at")
        if leaves is not None and leaves <= now:
            found.append(Invalid("发车时间已经过了", code="bus.left", field="leaves_at"))
        return found

    return rules


def _fields(form: dict, staff: Principal, tz: dt.tzinfo) -> dict:
    """The form as DepartureIn takes it: times typed in the hub's zone; no deadline, the service's default."""
    until = form.get("signup_until")
    return values_of(
        form,
        text=("destination", "work", "meeting_point", "bring"),
        required=("employer_id", "seats"),
        optional=("age_min", "age_max"),
    ) | {
        "leaves_at": local_datetime(form.get("leaves_at", ""), tz),
        "signup_until": local_datetime(until, tz) if until else None,
        "station_ids": chosen_stations(form, staff),
    }


def _list_page(request, session, staff, form: dict, errors: dict, status=200) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    departures = buses.listing(session, staff, left_after=now - dt.timedelta(days=1))
    taken = buses.taken_by_departure(session, [d.id for d in departures])
    return list_page(
        request,
        session,
        staff,
        "staff/buses.html",
        form,
        errors,
        status,
        departures=[(d, taken[d.id], offers.may_edit(d, staff), buses.stage(d, now)) for d in departures],
        employers=employers(session),
    )


@router.get("/buses", response_class=HTMLResponse)
def bus_list(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    tomorrow = dt.datetime.now(settings.tz) + dt.timedelta(days=1)
    leaves = tomorrow.replace(hour=7, minute=0, second=0, microsecond=0, tzinfo=None)  # buses leave early
    form = blank(staff, leaves_at=leaves.isoformat(timespec="minutes"), seats="45", bring="身份证、换洗衣物")
    with db.read() as session:
        return _list_page(request, session, staff, form, {})


@router.post("/buses", response_class=HTMLResponse)
async def offer(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    def check(session, form):
        data, errors = validate_all(DepartureIn, _fields(form, staff, settings.tz), _rules(dt.datetime.now(dt.UTC)))
        if not form.get("employer_id"):
            errors["employer_id"] = "请选择用工单位"
        return data, errors

    def page(session, form, errors, status):
        return _list_page(request, session, staff, form, errors, status)

    def made(session, data):
        departure = buses.create(session, data, staff)
        note(request, target=f"departure_id={departure.id}", detail=audited(DepartureOut.of(departure, 0)))
        return departure

    return await submit(request, db, check, made, lambda _: "/staff/buses", page)


def _manifest_page(
    request, session: Session, staff: Principal, departure_id: int, error: str = "", status: int = 200
) -> HTMLResponse:
    departure, rows = seats.manifest(session, departure_id, staff)
    at = sorted({r.station_id for r in rows if r.station_id is not None})
    names = {s.id: s.name for s in session.scalars(select(Station).where(Station.id.in_(at)))}
    now = dt.datetime.now(dt.UTC)
    return render(
        request,
        "staff/bus.html",
        {
            "staff": staff,
            "departure": departure,
            "rows": [(r, names.get(r.station_id, "—")) for r in rows],
            "boarded": sum(r.boarded_at is not None for r in rows),
            "taken": buses.taken(session, departure.id),
            "may_edit": offers.may_edit(departure, staff),
            "boarding": now >= departure.leaves_at - buses.BOARDING_FROM,
            "boarding_hours": round(buses.BOARDING_FROM / dt.timedelta(hours=1)),
            "stage": buses.stage(departure, now),
            "error": error,
        },
        status,
    )


@router.get("/buses/{departure_id}", response_class=HTMLResponse)
def manifest(departure_id: IdPath, request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return _manifest_page(request, session, staff, departure_id)


def _step(request: Request, staff: Principal, db, departure_id: int, action: Callable, anchor: str = ""):
    """One step from the manifest's buttons; a refused one (too early to board, a cancelled bus, a
    forged field) told on the manifest."""

    def page(session, message, status):
        return _manifest_page(request, session, staff, departure_id, message, status)

    return step(request, db, action, page, f"/staff/buses/{departure_id}{anchor}")


@router.post("/buses/{departure_id}/status")
async def set_status(departure_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, form):
        status = status_of(form, DepartureStatus)
        note(request, detail={"status": status.value})
        buses.set_status(session, departure_id, status, staff)

    return await _step(request, staff, db, departure_id, act)


@router.post("/buses/{departure_id}/seats/{seat_id}")
async def board(departure_id: IdPath, seat_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, form):
        if form.get("boarded") not in BOARDED:
            raise Invalid("要记的不对", code="bus.boarded_unknown", field="boarded")
        note(request, detail={"boarded": BOARDED[form["boarded"]]})
        seats.board(session, departure_id, seat_id, staff, boarded=BOARDED[form["boarded"]])

    return await _step(request, staff, db, departure_id, act, f"#s{seat_id}")
