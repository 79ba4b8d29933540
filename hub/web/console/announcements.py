"""Announcements in the console: policy, training, job fairs, services, notices, and the emergency
override for walls, each for some stations (or all) and a time window."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.announcements import service as announcements
from hub.announcements.models import Announcement
from hub.announcements.schemas import AnnouncementIn
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.fields import IdPath
from hub.stations.models import Station
from hub.web.pages import render

from .forms import attempt, console_router, form_of, local_datetime, validate_all
from .postings import chosen_stations

router = console_router()
KINDS = {
    "notice": "通知（滚动条）",
    "policy": "政策",
    "training": "培训",
    "jobfair": "招聘会",
    "services": "服务",
    "emergency": "紧急通知（大屏全屏）",
}


def _page(request, session, staff, tz, form, errors, status=200) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    rows = []
    for a in session.scalars(select(Announcement).order_by(Announcement.valid_to.desc()).limit(100)):
        mine = staff.is_admin or (not a.all_stations and all(staff.may_station(s.id) for s in a.stations))
        if not (mine or a.all_stations or any(staff.may_station(s.id) for s in a.stations)):
            continue
        start, end = a.valid_from, a.valid_to
        rows.append(
            {
                "id": a.id,
                "kind": a.kind.value,
                "title": a.title,
                "body": a.body,
                "mine": mine,
                "where": "全部驿站" if a.all_stations else "、".join(s.name for s in a.stations),
                "from": start.astimezone(tz),
                "to": end.astimezone(tz),
                "state": "进行中" if start <= now < end else "未开始" if now < start else "已结束",
            }
        )
    stations = [s for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)]
    return render(
        request,
        "staff/announcements.html",
        {"staff": staff, "rows": rows, "kinds": KINDS, "form": form, "errors": errors, "stations": stations},
        status,
    )


@router.get("/announcements", response_class=HTMLResponse)
def announcement_page(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    now = dt.datetime.now(settings.tz).replace(second=0, microsecond=0, tzinfo=None)
    form = {
        "kind": "notice",
        "valid_from": now.isoformat(timespec="minutes"),
        "priority": "0",
        "valid_to": (now + dt.timedelta(days=7)).isoformat(timespec="minutes"),
        "all_stations": "yes" if staff.is_admin else "",
        "station_ids": [str(s) for s in staff.station_ids],
    }
    with db.read() as session:
        return _page(request, session, staff, settings.tz, form, {})


@router.post("/announcements", response_class=HTMLResponse)
async def create(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        data, errors = validate_all(
            AnnouncementIn,
            {
                "kind": form.get("kind"),
                "title": form.get("title", ""),
                "body": form.get("body", ""),
                "priority": form.get("priority") or 0,
                "station_ids": chosen_stations(form, staff),
                "valid_from": local_datetime(form.get("valid_from", ""), settings.tz),
                "valid_to": local_datetime(form.get("valid_to", ""), settings.tz),
            },
            announcements.problems,
        )
        if data is not None:
            _, errors = attempt(lambda: announcements.create(session, data, staff))
        if not errors:
            return RedirectResponse("/staff/announcements?published=1", status_code=303)
        session.rollback()
        return _page(request, session, staff, settings.tz, form, errors, 422)


@router.post("/announcements/{announcement_id}/withdraw")
async def withdraw(announcement_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    await form_of(request)
    with db.write() as session:
        announcements.withdraw(session, announcement_id, staff)
    return RedirectResponse("/staff/announcements", status_code=303)
