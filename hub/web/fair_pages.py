"""The fair's phone pages: the booth's own (`/b/<signed link>`, 叫号 from the employer's phone) and the
worker's number (`/q/<secret>`, where it stands, refreshed every few seconds; the kiosk made the
secret and put it in the receipt's QR, and the hub keeps only its hash)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.deps import DbDep, KeysDep, SettingsDep
from hub.errors import Gone, HubError, NotFound
from hub.fairs import queue, service
from hub.fairs.models import Booth

from . import csrf
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
PLACE_WORDS = {
    "called": "轮到您了！请马上到展位",
    "served": "已经到过展位了",
    "skipped": "已过号：叫号时没到，请重新取号",
}
GONE = {"title": "没有这个号", "message": "这个号不存在，或招聘会已结束很久了"}


def _booth_view(request: Request, session, booth: Booth, token: str, tz, message: str = "", status: int = 200):
    figures = service.booth_figures(session, booth.fair)[booth.id]
    return render(
        request,
        "fair_booth.html",
        {
            "b": {
                "fair": booth.fair.title,
                "number": booth.number,
                "employer": booth.employer.name,
                "jobs": booth.jobs,
                "serving": figures["serving"],
                "waiting": figures.get("waiting", 0),
                "called": figures.get("called", 0),
                "served": figures.get("served", 0),
                "skipped": figures.get("skipped", 0),
                "hired": figures.get("hired", 0),
                "skip_min": booth.fair.skip_after_s // 60,
                "closes": f"{booth.fair.closes_at.astimezone(tz):%H:%M}",
                "cancelled": booth.fair.status.value == "cancelled",
            },
            "token": token,
            "message": message,
        },
        status,
    )


@router.get("/b/{booth_token}", response_class=HTMLResponse)
def booth_page(booth_token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        try:
            return _booth_view(
                request, session, queue.booth_of_link(session, keys, booth_token), booth_token, settings.tz
            )
        except (Gone, NotFound) as exc:
            return render(request, "gone.html", {"title": "叫号链接已失效", "message": exc.message}, 410)


async def _booth_step(booth_token: str, request: Request, db, keys, tz, step) -> HTMLResponse:
    raw = await request.form()
    csrf.check(request, str(raw.get("csrf_token", "")))
    with db.write() as session:
        try:
            booth = queue.booth_of_link(session, keys, booth_token)
        except (Gone, NotFound) as exc:
            return render(request, "gone.html", {"title": "叫号链接已失效", "message": exc.message}, 410)
        try:
            step(session, booth.id)
        except HubError as exc:
            session.rollback()
            booth = queue.booth_of_link(session, keys, booth_token)
            return _booth_view(request, session, booth, booth_token, tz, exc.message, exc.status)
        return _booth_view(request, session, booth, booth_token, tz)


@router.post("/b/{booth_token}/next", response_class=HTMLResponse)
async def call_next(booth_token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep):
    return await _booth_step(booth_token, request, db, keys, settings.tz, queue.call_next)


@router.post("/b/{booth_token}/came", response_class=HTMLResponse)
async def came(booth_token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep):
    return await _booth_step(booth_token, request, db, keys, settings.tz, queue.came)


@router.post("/b/{booth_token}/hired", response_class=HTMLResponse)
async def hired(booth_token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep):
    return await _booth_step(booth_token, request, db, keys, settings.tz, lambda s, b: queue.came(s, b, hired=True))


@router.get("/q/{secret}", response_class=HTMLResponse)
def number_page(secret: str, request: Request, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        try:
            ticket = queue.by_secret(session, secret)
        except NotFound:
            return render(request, "gone.html", GONE, 404)
        where = queue.place(session, ticket)
        booth = ticket.booth
        view = {
            "code": ticket.code,
            "fair": booth.fair.title,
            "hall": booth.fair.hall,
            "booth": booth.number,
            "employer": booth.employer.name,
            "state": where.state,
            "ahead": where.ahead,
            "minutes": where.minutes,
            "word": PLACE_WORDS.get(where.state, ""),
        }
    return render(request, "fair_ticket.html", {"t": view})
