"""The phone page of a posting (`/p/<id>`, behind every QR code): read it, call, apply from the phone."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from floor.phone import is_mobile, mask_phone
from hub.applications import service as applications
from hub.deps import DbDep, KeysDep, LimitsDep, SettingsDep
from hub.errors import TooMany
from hub.market.published import pay_position
from hub.outcomes import service as outcomes
from hub.postings.models import Posting, PostingStatus
from hub.stations.models import Station
from hub.trust import gate as trust

from . import csrf, wall_scans
from . import phone_place as place
from .pages import SETTLEMENTS, pay_text, render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
NAME = re.compile(r"^[\u4e00-\u9fff·A-Za-z ]{2,30}$")


def _open(p: Posting, now: dt.datetime) -> bool:
    open_now = p.status is PostingStatus.OPEN and p.filled < p.headcount and p.valid_from <= now < p.valid_to
    return open_now and trust.shown(p)  # held for review or its employer suspended: not shown (hub.trust)


def _view(p: Posting, tz: dt.tzinfo, stations: list[Station], station: Station | None) -> dict:
    today = dt.datetime.now(tz).date()
    days = (p.work_start - today).days
    start = "今天" if days <= 0 else "明天" if days == 1 else f"{p.work_start.month}月{p.work_start.day}日"
    own = place.own_place(p, stations)
    return {
        "id": p.id,
        "title": p.title,
        "pay": pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit.value),
        "settle": SETTLEMENTS.get(p.settlement.value, ""),
        "start": start,
        "hours": p.daily_hours,
        "end": f"{p.work_end.month}月{p.work_end.day}日" if p.work_end else "",
        "places": max(0, p.headcount - p.filled),
        "urgent": p.urgent,
        "certificate": p.certificate,
        "place": place.place_text(p.district, p.address),
        "map": place.map_link(p, own),
        "own_place": own,
        "distance": place.distance_text(p, own, station),
        "employer": p.employer.name,
        "verified": p.employer.verified_at is not None,
        "free": trust.free(p),  # 不收费 (hub.trust)
        "contact": p.contact_person,
        "phone": p.contact_phone,
        "requirements": p.requirements,
        "benefits": p.benefits,
        "trade": p.trade.name,
        "age": f"{p.age_min or ''}–{p.age_max or ''}岁" if (p.age_min or p.age_max) else "",
    }


def _page(session, p: Posting, tz: dt.tzinfo, asked: int | None) -> tuple[dict, dict | None]:
    stations = place.all_stations(session)
    station = place.station_for(p, stations, asked)
    return _view(p, tz, stations, station), place.station_view(station)


@router.get("/p/{posting_id}", response_class=HTMLResponse)
def posting_page(
    posting_id: str,
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    s: str | None = None,
    d: str | None = None,
    p: str | None = None,
) -> HTMLResponse:
    wall = wall_scans.asked(db, d, p)  # opened from a wall's QR code: which wall, which page
    with db.read() as session:
        p = session.get(Posting, number) if (number := place.page_id(posting_id)) else None
        if p is None or not _open(p, dt.datetime.now(dt.UTC)):
            return _gone(request, session, p, place.asked_station(s))
        view, station = _page(session, p, settings.tz, place.asked_station(s))
        pay = (p.trade_id, p.pay_unit.value, p.pay_min_fen, p.pay_max_fen)
    view["guide"] = pay_position(db, *pay)  # 这个工资在本区同类活里：偏高/中等/偏低
    applied_at = place.applied_here(request).get(number)
    response = render(
        request,
        "posting.html",
        {
            "p": view,
            "station": station,
            "form": {},
            "errors": {},
            "applied_when": place.when_text(applied_at, settings.tz) if applied_at else "",
            "via": wall_scans.via_field(wall),
        },
    )
    if wall is not None:
        wall_scans.count_scan(request, response, db, settings.tz, number, wall)
    return response


@router.post("/p/{posting_id}/apply", response_class=HTMLResponse)
def apply(
    posting_id: str,
    request: Request,
    db: DbDep,
    keys: KeysDep,
    limits: LimitsDep,
    settings: SettingsDep,
    name: str = Form(""),
    phone: str = Form(""),
    consent: str = Form(""),
    station: str = Form(""),
    via: str = Form(""),
    csrf_token: str = Form(""),
):
    csrf.check(request, csrf_token)
    wanted = place.page_id(posting_id)
    asked = place.asked_station(station)
    form = {"name": name.strip(), "phone": re.sub(r"[\s-]", "", phone), "consent": consent == "yes"}
    errors = {}
    if not NAME.match(form["name"]):
        errors["name"] = "请写您的姓名（2到30个字）"
    if not is_mobile(form["phone"]):
        errors["phone"] = "请写11位手机号，例如 139 1234 5678"
    if not form["consent"]:
        errors["consent"] = "报名需要您同意把姓名和电话交给这家单位"
    with db.read() as session:
        p = session.get(Posting, wanted) if wanted else None
        if p is None or not _open(p, dt.datetime.now(dt.UTC)):
            return _gone(request, session, p, asked)
        view, station_shown = _page(session, p, settings.tz, asked)
    wall = wall_scans.from_via(via)  # the page was opened from this wall's code (else None)
    page = {"p": view, "station": station_shown, "form": form, "via": wall_scans.via_field(wall)}
    if errors:
        return render(request, "posting.html", {**page, "errors": errors}, 422)
    try:  # a market hall shares one address: counted per address generously, per phone tightly
        limits.hit(limits.phone_apply, request.client.host if request.client else "?")
        limits.hit(limits.phone_apply_number, form["phone"])
    except TooMany as exc:
        response = render(request, "posting.html", {**page, "errors": {"form": exc.message}}, 429)
        response.headers.update(exc.headers())
        return response
    earlier = place.applied_here(request).get(wanted)
    if earlier:  # this browser applied here before (counted above like any submit): say so, and when
        return render(request, "applied.html", {**page, "again": place.when_text(earlier, settings.tz)})
    with db.write() as session:
        p = session.get(Posting, wanted) if wanted else None
        if p is None or not _open(p, dt.datetime.now(dt.UTC)):
            return _gone(request, session, p, asked)
        # Applied before with this phone, or now: the same answer, so that typing in someone
        # else's number tells nothing about them.
        made = applications.submit_from_phone(session, keys, posting_id=wanted, name=form["name"], phone=form["phone"])
        if wall is not None:
            outcomes.attribute(session, made, *wall)
    now = dt.datetime.now(dt.UTC)
    response = render(
        request,
        "applied.html",
        {**page, "phone_masked": mask_phone(form["phone"]), "when": place.when_text(int(now.timestamp()), settings.tz)},
    )
    place.remember_applied(request, response, wanted, now)
    return response


def _gone(request: Request, session, p: Posting | None, asked: int | None) -> HTMLResponse:
    """Ended or unknown: said plainly, with a few open jobs of the same trade to go on with."""
    now = dt.datetime.now(dt.UTC)
    stations = place.all_stations(session)
    similar = [
        {
            "id": q.id,
            "title": q.title,
            "pay": pay_text(q.pay_min_fen, q.pay_max_fen, q.pay_unit.value),
            "place": place.place_text(q.district, q.address),
            "employer": q.employer.name,
        }
        for q in (place.similar_open(session, p, now) if p is not None else [])
        if trust.shown(q)  # (not one held for review, nor a suspended employer's)
    ]
    context = {
        # (a posting held for review, sent back or of a suspended employer was never the public's to read)
        "title": (p.title if trust.shown(p) else "这个岗位已下架") if p else "没有这个岗位",
        "closed": p is not None,
        "trade": p.trade.name if p else "",
        "similar": similar,
        "station": place.station_view(place.station_for(p, stations, asked)),
        "s": asked,
    }
    return render(request, "gone.html", context, 410 if p else 404)
