"""The employer's side of a remote interview (`/i/<token>`): the room in the browser, nothing to install."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from floor import hostnames
from hub.deps import DbDep, KeysDep, SettingsDep
from hub.errors import Gone
from hub.interviews import links

from .headers import allow_video
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)


@router.get("/i/{link_token}", response_class=HTMLResponse)
def employer_room(link_token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        try:
            slot = links.open_slot(session, keys, link_token)
        except Gone as exc:
            return render(request, "gone.html", {"title": "面试链接已失效", "message": exc.message}, 410)
        tz = settings.tz
        start, end = slot.starts_at, slot.ends_at  # aware UTC, as every time the database gives back
        try:  # checked when set; checked again here, where it becomes a script's origin
            domain = hostnames.host((slot.booth.config or {}).get("jitsi_domain") or "")
        except ValueError:
            domain = ""
        if domain:
            allow_video(request, hostnames.https_origin(domain))
        view = {
            "room": slot.room,
            "domain": domain,
            "title": slot.posting.title,
            "employer": slot.posting.employer.name,
            "worker": slot.masked_name or "求职者",
            "place": f"{slot.booth.station.name} {slot.booth.name}",
            "when": f"{start.astimezone(tz):%m月%d日 %H:%M}–{end.astimezone(tz):%H:%M}",
            "booked": slot.worker_id is not None,
        }
    return render(request, "interview.html", {"i": view})
