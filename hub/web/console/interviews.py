"""Remote interviews in the console: offer slots at a booth, the day's schedule per booth, the
employer's link, cancellations and no-shows."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.deps import DbDep, KeysDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.devices.models import Device, DeviceKind
from hub.fields import Day, IdPath
from hub.interviews import links
from hub.interviews import service as interviews
from hub.interviews.schemas import SlotsIn
from hub.postings.models import Posting, PostingStatus
from hub.web.pages import render

from .forms import attempt, console_router, form_of, local_datetime, validate_all

router = console_router()


def _page(request, session, staff, keys, settings, day: dt.date, form: dict, errors: dict, status=200) -> HTMLResponse:
    tz = settings.tz
    interviews.record_no_shows(session)
    slots = []
    for s in interviews.day_schedule(session, day, tz, staff):
        slots.append(
            {
                "id": s.id,
                "booth": s.booth.name,
                "title": s.posting.title,
                "status": s.status.value,
                "start": s.starts_at.astimezone(tz),
                "end": s.ends_at.astimezone(tz),
                "who": s.masked_name,
                "code": s.booking_code,
                "checked_in": s.checked_in_at is not None,
                "no_show": s.no_show_at is not None,
                "link": f"{settings.public_url}/i/{links.make(keys, s.id)}" if s.status.value != "cancelled" else "",
            }
        )
    booths = [
        b
        for b in session.scalars(select(Device).where(Device.kind == DeviceKind.BOOTH, Device.revoked_at.is_(None)))
        if staff.may_station(b.station_id)
    ]
    open_postings = session.scalars(
        select(Posting).where(Posting.status == PostingStatus.OPEN).order_by(Posting.id.desc()).limit(200)
    ).all()
    return render(
        request,
        "staff/interviews.html",
        {
            "staff": staff,
            "slots": slots,
            "booths": booths,
            "postings": open_postings,
            "day": day,
            "prev": day - dt.timedelta(days=1),
            "next": day + dt.timedelta(days=1),
            "form": form,
            "errors": errors,
        },
        status,
    )


@router.get("/interviews", response_class=HTMLResponse)
def interview_page(
    request: Request, staff: Staff, db: DbDep, keys: KeysDep, settings: SettingsDep, day: Day | None = None
) -> HTMLResponse:
    now = dt.datetime.now(settings.tz)
    start = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    with db.write() as session:  # writes: no-shows are recorded as the schedule is read
        return _page(
            request,
            session,
            staff,
            keys,
            settings,
            day or now.date(),
            {"starts_at": start.isoformat(timespec="minutes"), "minutes": "20", "count": "3"},
            {},
        )


@router.post("/interviews", response_class=HTMLResponse)
async def offer(request: Request, staff: Staff, db: DbDep, keys: KeysDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        data, errors = validate_all(
            SlotsIn,
            {
                "posting_id": form.get("posting_id") or 0,
                "booth_id": form.get("booth_id") or 0,
                "starts_at": local_datetime(form.get("starts_at", ""), settings.tz),
                "minutes": form.get("minutes") or 0,
                "count": form.get("count") or 0,
            },
            interviews.problems,
        )
        for key, words in (("posting_id", "请选择岗位"), ("booth_id", "请选择面试间")):
            if not form.get(key):
                errors[key] = words
        if not errors:
            made, errors = attempt(lambda: interviews.create(session, data, staff, settings.tz))
        if not errors:
            day = made[0].starts_at.astimezone(settings.tz).date()
            return RedirectResponse(f"/staff/interviews?day={day.isoformat()}", status_code=303)
        session.rollback()
        return _page(request, session, staff, keys, settings, dt.datetime.now(settings.tz).date(), form, errors, 422)


async def _act(request: Request, db, slot_id: int, action) -> RedirectResponse:
    await form_of(request)
    with db.write() as session:
        slot = action(session, slot_id)
        day = slot.starts_at.astimezone(request.app.state.settings.tz).date()
    return RedirectResponse(f"/staff/interviews?day={day.isoformat()}", status_code=303)


@router.post("/interviews/{slot_id}/cancel")
async def cancel(slot_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    return await _act(request, db, slot_id, lambda s, i: interviews.cancel(s, i, staff))


@router.post("/interviews/{slot_id}/no-show")
async def no_show(slot_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    return await _act(request, db, slot_id, lambda s, i: interviews.mark_no_show(s, i, staff))
