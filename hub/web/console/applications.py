"""Applications in the console, per posting and per station, with the consented name and phone."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.applications import service as applications
from hub.applications.models import Application, ApplicationStatus
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Forbidden, Invalid
from hub.fields import IdPath
from hub.stations.models import Station
from hub.web.pages import render

from .forms import QueryId, console_router, form_of, whole

router = console_router()
STATUS_WORDS = {"new": "新报名", "contacted": "已联系", "hired": "已上岗", "no_show": "未到岗", "withdrawn": "已撤回"}


@router.get("/applications", response_class=HTMLResponse)
def application_page(
    request: Request, staff: Staff, db: DbDep, posting: QueryId = 0, station: QueryId = 0
) -> HTMLResponse:
    """The latest applications at the staff member's stations (administrators: all), optionally of
    one posting or one station. Names and phones are shown here because the employer's contact
    needs them, and only staff see this page."""
    with db.read() as session:
        query = select(Application).order_by(Application.id.desc()).limit(300)
        if not staff.is_admin:
            query = query.where(Application.station_id.in_(staff.station_ids))
        if posting > 0:
            query = query.where(Application.posting_id == posting)
        if station > 0:
            query = query.where(Application.station_id == station)
        stations = {s.id: s.name for s in session.scalars(select(Station)) if staff.may_station(s.id)}
        rows = [
            {
                "id": a.id,
                "code": a.code,
                "posting": a.posting.title,
                "posting_id": a.posting_id,
                "employer": a.posting.employer.name,
                "name": a.name or "（未同意留名）",
                "phone": a.phone,
                "status": a.status.value,
                "station": stations.get(a.station_id, "手机报名"),
            }
            for a in session.scalars(query)
        ]
    return render(
        request,
        "staff/applications.html",
        {
            "staff": staff,
            "applications": rows,
            "words": STATUS_WORDS,
            "stations": stations,
            "posting": posting,
            "station": station,
        },
    )


@router.post("/applications/{application_id}/status")
async def application_status(
    application_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep
) -> RedirectResponse:
    form = await form_of(request)
    with db.write() as session:
        found = session.get(Application, application_id)
        if found is None or not staff.may_station(found.station_id):
            raise Forbidden("这份报名不在您的驿站", code="application.not_yours")
        try:
            status = ApplicationStatus(form.get("status", ""))
        except ValueError:
            raise Invalid("没有这个状态", code="application.status_unknown", field="status") from None
        applications.set_status(session, application_id, status, settings.tz)
    back = {k: n for k in ("posting", "station") if (n := whole(form.get(k)))}
    query = "&".join(f"{k}={v}" for k, v in back.items())
    return RedirectResponse("/staff/applications" + (f"?{query}" if query else ""), status_code=303)
