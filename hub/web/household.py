"""Household orders on the phone: a resident posts a need (`/o/new`); the dispatched worker opens
their signed link (`/o/w/<token>`) to accept the job and to say it is done."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlalchemy import select

from hub.deps import DbDep, KeysDep, LimitsDep, SettingsDep
from hub.errors import Conflict, Gone, HubError, TooMany
from hub.orders import links
from hub.orders import service as orders
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.orders.schemas import OrderIn
from hub.stations.models import Station
from hub.teams import service as teams

from . import csrf
from . import phone_place as place
from .console.forms import field_errors, yuan_to_fen
from .pages import render, yuan

router = APIRouter(tags=["phone pages"], include_in_schema=False)
# Said in the words a resident understands, next to the field.
MESSAGES = {
    "need": "请写要做什么，例如“修灯”“陪老人看病”（40字以内）",
    "district": "请写所在的区县",
    "address": "请写地址，例如“滨江路8号3栋2单元”",
    "when_text": "请写什么时候，例如“周六上午”",
    "pay_fen": "请写愿意出多少钱（元），至少1元",
    "resident_phone": "请写11位手机号",
    "station_id": "请选择离您近的驿站",
    "details": "补充说明太长了（500字以内）",
    "consent": "需要您同意驿站和接单师傅给您打电话",
}


LIVE_FOR_WORKER = (OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)


def _stations(session) -> list[Station]:
    return list(session.scalars(select(Station).order_by(Station.id)))


def _chosen(stations: list[Station], value: str | None) -> Station | None:
    """The station a poster's QR code names (`?station=ID`) or the form chose; anything else: none."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return next((s for s in stations if s.id == int(value)), None)


def _team_view(session, value: str | None) -> dict | None:
    """The team a wall's QR names (`?team=ID`), as the page says it; None for anything else."""
    team = teams.active_at(session, value)
    if team is None:
        return None
    return {
        "id": team.id,
        "name": team.name,
        "station_id": team.station_id,
        "trades": "、".join(t.name for t in team.trades),
    }


@router.get("/o/new", response_class=HTMLResponse)
def order_form(request: Request, db: DbDep, station: str | None = None, team: str | None = None) -> HTMLResponse:
    with db.read() as session:
        stations = _stations(session)
        for_team = _team_view(session, team)
        chosen = _chosen(stations, str(for_team["station_id"]) if for_team else station)
        form = {"station_id": str(chosen.id), "district": chosen.district} if chosen else {}
        if for_team:
            form["team_id"] = str(for_team["id"])
        return render(
            request,
            "order_new.html",
            {
                "stations": stations,
                "form": form,
                "errors": {},
                "station": place.station_view(chosen),
                "team": for_team,
            },
        )


@router.post("/o/new", response_class=HTMLResponse)
async def post_order(request: Request, db: DbDep, limits: LimitsDep):
    raw = await request.form()
    form = {k: v.strip() for k, v in raw.items() if isinstance(v, str)}
    csrf.check(request, form.pop("csrf_token", ""))
    form["resident_phone"] = re.sub(r"[\s-]", "", form.get("resident_phone", ""))

    def again(errors: dict, status: int, headers: dict | None = None) -> HTMLResponse:
        with db.read() as session:
            stations = _stations(session)
            context = {
                "stations": stations,
                "form": form,
                "errors": errors,
                "station": place.station_view(_chosen(stations, form.get("station_id"))),
                "team": _team_view(session, form.get("team_id")),
            }
            response = render(request, "order_new.html", context, status)
        response.headers.update(headers or {})
        return response

    try:
        data = OrderIn.model_validate(
            {
                "need": form.get("need", ""),
                "details": form.get("details", ""),
                "district": form.get("district", ""),
                "address": form.get("address", ""),
                "when_text": form.get("when_text", ""),
                "pay_fen": yuan_to_fen(form.get("pay", "")),
                "resident_phone": form["resident_phone"],
                "station_id": form.get("station_id") or 0,
                "team_id": form.get("team_id") or None,
                "consent": form.get("consent") == "yes",
            }
        )
    except ValidationError as exc:  # every problem in one pass, the consent's too
        errors = {k: MESSAGES.get(k, v) for k, v in field_errors(exc).items()}
        if form.get("consent") != "yes":
            errors["consent"] = MESSAGES["consent"]
        return again(errors, 422)
    if not data.consent:
        return again({"consent": MESSAGES["consent"]}, 422)
    try:  # counted before the order's own transaction (the limiter writes in one of its own)
        limits.hit(limits.order_post, request.client.host if request.client else "?")
        limits.hit(limits.order_post_number, data.resident_phone)
        with db.write() as session:
            order = orders.submit(session, data)
            done = {"code": order.code, "station": place.station_view(order.station)}
    except TooMany as exc:
        return again({"form": exc.message}, 429, exc.headers())
    except HubError as exc:
        return again({exc.field or "form": exc.message}, exc.status)
    return render(request, "order_posted.html", done)


def _worker_order(session, keys, token: str) -> HouseholdOrder:
    order_id, worker_id = links.read(keys, token)
    order = session.get(HouseholdOrder, order_id)
    if order is None or order.worker_id != worker_id:
        raise Gone("这张单已经改派给别人或已取消，请联系驿站", code="order.reassigned")
    return order


def _worker_view(request: Request, order: HouseholdOrder, token: str, message: str = "", status: int = 200):
    # The resident's phone and address are the worker's only while the job is theirs to do.
    live = order.status in LIVE_FOR_WORKER
    return render(
        request,
        "order_worker.html",
        {
            "o": {
                "need": order.need,
                "details": order.details if live else "",
                "where": f"{order.district} {order.address}" if live else "",
                "when": order.when_text,
                "pay": yuan(order.pay_fen),
                "phone": order.resident_phone if live else "",
                "status": order.status.value,
                "word": orders.WORDS[order.status],
                "station": order.station.name,
            },
            "token": token,
            "message": message,
            "station": place.station_view(order.station),
        },
        status,
    )


@router.get("/o/w/{token}", response_class=HTMLResponse)
def worker_page(token: str, request: Request, db: DbDep, keys: KeysDep) -> HTMLResponse:
    with db.read() as session:
        try:
            return _worker_view(request, _worker_order(session, keys, token), token)
        except Gone as exc:
            return render(request, "gone.html", {"title": "接单链接已失效", "message": exc.message}, 410)


async def _worker_step(token: str, request: Request, db, keys, step) -> HTMLResponse:
    raw = await request.form()
    csrf.check(request, str(raw.get("csrf_token", "")))
    with db.write() as session:
        try:
            order = _worker_order(session, keys, token)
        except Gone as exc:
            return render(request, "gone.html", {"title": "接单链接已失效", "message": exc.message}, 410)
        try:
            step(session, order)
        except Conflict as exc:
            session.rollback()
            return _worker_view(request, _worker_order(session, keys, token), token, exc.message, 409)
        return _worker_view(request, order, token)


@router.post("/o/w/{token}/accept", response_class=HTMLResponse)
async def worker_accepts(token: str, request: Request, db: DbDep, keys: KeysDep):
    return await _worker_step(token, request, db, keys, orders.accept)


@router.post("/o/w/{token}/complete", response_class=HTMLResponse)
async def worker_completes(token: str, request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep):
    return await _worker_step(token, request, db, keys, lambda s, o: orders.complete(s, o, settings.tz))
