"""Applications in the console: found by code or phone, filtered by posting, station and status,
with the consented name and phone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import or_, select

from hub.applications import service as applications
from hub.applications.models import Application, ApplicationStatus
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Forbidden, Invalid
from hub.fields import IdPath
from hub.postings.models import Posting
from hub.stations.models import Station
from hub.web.pages import render

from .forms import QueryId, console_router, form_of
from .posting_list import search_text

router = console_router()
SHOWN = 300  # the newest; a search or filter finds older ones
STATUS_WORDS = {"new": "新报名", "contacted": "已联系", "hired": "已上岗", "no_show": "未到岗", "withdrawn": "已撤回"}
# Not a status but a filter beside them: applications that reached the hub after their posting had
# ended (an offline kiosk's), for staff to call the worker about similar work.
ENDED = "ended"
FILTER_WORDS = {**STATUS_WORDS, ENDED: "岗位已结束后送到"}


def _search(q: str) -> list:
    """An application code (3-0012, W-1A2B3C4D), or a phone or some of its digits (spaces, dashes
    and +86 ignored; stored phones are eleven plain digits)."""
    if not q:
        return []
    digits = re.sub(r"^(\+|00)?86(?=1\d{10}$)", "", re.sub(r"[\s-]", "", q))
    by_code = Application.code == q.upper()
    if digits.isdigit() and len(digits) >= 4:
        return [or_(by_code, Application.phone.contains(digits, autoescape=True))]
    return [or_(by_code, Application.code.contains(q.upper(), autoescape=True))]


def listed(staff, posting: int, station: int, q: str, title: str, state: str):
    """The applications the page lists (and its Excel export holds), newest first: the staff
    member's stations only (administrators: all), narrowed by the page's filters."""
    query = select(Application).order_by(Application.id.desc())
    if not staff.is_admin:
        query = query.where(Application.station_id.in_(staff.station_ids))
    if posting > 0:
        query = query.where(Application.posting_id == posting)
    if station > 0:
        query = query.where(Application.station_id == station)
    if title:
        titled = select(Posting.id).where(Posting.title.contains(title, autoescape=True))
        query = query.where(Application.posting_id.in_(titled))
    if state == ENDED:
        query = query.where(Application.posting_ended.is_(True))
    elif state:
        query = query.where(Application.status == ApplicationStatus(state))
    return query.where(*_search(q))


@router.get("/applications", response_class=HTMLResponse)
def application_page(
    request: Request,
    staff: Staff,
    db: DbDep,
    posting: QueryId = 0,
    station: QueryId = 0,
    q: str = "",
    title: str = "",
    state: str = "",
) -> HTMLResponse:
    """The latest applications at the staff member's stations (administrators: all), optionally of
    one posting, one station, one status, postings of a title, or found by code or phone. Names and
    phones are shown here because the employer's contact needs them, and only staff see this page.
    (A phone searched for sits in the query string: the logs mask it, see floor.logs.)"""
    q, title = search_text(q), search_text(title)
    state = state if state in FILTER_WORDS else ""
    query = listed(staff, posting, station, q, title, state).limit(SHOWN)
    tz = request.app.state.settings.tz
    with db.read() as session:
        stations = {s.id: s.name for s in session.scalars(select(Station)) if staff.may_station(s.id)}
        rows = [
            {
                "id": a.id,
                "code": a.code,
                "when": a.applied_at.astimezone(tz).strftime("%m-%d %H:%M"),
                "posting": a.posting.title,
                "posting_id": a.posting_id,
                "employer": a.posting.employer.name,
                "name": a.name or "（未同意留名）",
                "phone": a.phone,
                "status": a.status.value,
                "ended": a.posting_ended,
                "station": stations.get(a.station_id, "手机报名"),
            }
            for a in session.scalars(query)
        ]
    chosen = {"posting": posting or "", "station": station or "", "q": q, "title": title, "state": state}
    return render(
        request,
        "staff/applications.html",
        {
            "staff": staff,
            "applications": rows,
            "words": STATUS_WORDS,
            "filters": FILTER_WORDS,
            "stations": stations,
            "chosen": chosen,
            "back": urlencode({k: v for k, v in chosen.items() if v}),
            "filtered": any(chosen.values()),
            "shown": SHOWN,
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
    # Back to the same list: the filters travel in one field, as the page's own query string.
    back = parse_qs(str(form.get("back", ""))[:400])
    kept = {k: back[k][0] for k in ("posting", "station", "q", "title", "state") if back.get(k)}
    return RedirectResponse("/staff/applications" + (f"?{urlencode(kept)}" if kept else ""), status_code=303)
