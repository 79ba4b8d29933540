"""Postings in the console: publish, edit, copy (the list, full and close: posting_list.py)."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.employers.models import Employer
from hub.fields import IdPath
from hub.postings import service as postings
from hub.postings.models import Posting
from hub.postings.schemas import PostingIn, PostingPatch
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.trust import gate as trust
from hub.web.pages import SETTLEMENTS, UNITS, render

from . import map_point, posting_place
from .forms import attempt, console_router, form_of, many, validate_all, whole, yuan_to_fen

router = console_router()
MAX_VALID_DAYS = 366  # on screens for a year at most (a longer number is a typing slip)


def _choices(session, staff: Principal) -> dict:
    return {
        "trades": session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all(),
        "employers": session.scalars(select(Employer).order_by(Employer.name)).all(),
        "stations": own_stations(session, staff),
        "units": UNITS,
        "settlements": SETTLEMENTS,
        **posting_place.choices(session),
    }


def _form_page(request, session, staff, form, errors, action, heading, status=200) -> HTMLResponse:
    return render(
        request,
        "staff/posting_form.html",
        {
            "staff": staff,
            "form": form,
            "errors": errors,
            "action": action,
            "heading": heading,
            **_choices(session, staff),
        },
        status,
    )


def posting_form(p: Posting, tz: dt.tzinfo) -> dict:
    """A posting as the form's fields (pay in yuan, days left on screens)."""
    left = (p.valid_to - dt.datetime.now(dt.UTC)).days + 1
    return {
        "title": p.title,
        "trade_id": p.trade_id,
        "employer_id": p.employer_id,
        "headcount": p.headcount,
        "filled": p.filled,
        "pay_min": f"{p.pay_min_fen / 100:g}",
        "pay_max": f"{p.pay_max_fen / 100:g}",
        "pay_unit": p.pay_unit.value,
        "settlement": p.settlement.value,
        "work_start": p.work_start.isoformat(),
        "work_end": p.work_end.isoformat() if p.work_end else "",
        "daily_hours": p.daily_hours,
        "valid_days": str(max(1, left)),
        "address": p.address,
        "district": p.district,
        "contact_person": p.contact_person,
        "contact_phone": p.contact_phone,
        "requirements": p.requirements,
        "benefits": p.benefits,
        "urgent": "yes" if p.urgent else "",
        "certificate": "yes" if p.certificate else "",
        "age_min": p.age_min or "",
        "age_max": p.age_max or "",
        "all_stations": "yes" if p.all_stations else "",
        "station_ids": [str(s.id) for s in p.stations],
    }


def own_stations(session, staff: Principal) -> list[Station]:
    """The stations a form offers to tick: the ones the caller works for (all, for administrators)."""
    return [s for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)]


def chosen_stations(form: dict, staff: Principal) -> list[int] | None:
    """None means every station (administrators only); staff who tick nothing get their own."""
    if form.get("all_stations") == "yes" and staff.is_admin:
        return None
    ids = sorted({n for v in many(form, "station_ids") if (n := whole(v)) is not None})
    if not ids:
        return None if staff.is_admin else sorted(staff.station_ids)
    return ids


def posting_fields(
    form: dict,
    tz: dt.tzinfo,
    station: Station | None,
    station_ids: list[int] | None,
    valid_from: dt.datetime | None = None,
    picked: tuple[float, float] | None = None,
) -> tuple[dict, dict[str, str]]:
    """The form's fields as the API model's (pay typed in yuan; on screens from now, or from
    `valid_from` when editing, until N days from now; at the point pasted, else the kept place
    `picked`, else the station's), and the errors only the form can have."""
    now = dt.datetime.now(tz)
    errors = {}
    days = whole(form.get("valid_days"), 1, MAX_VALID_DAYS) if form.get("valid_days") else 14
    if days is None:
        errors["valid_days"] = f"请写 1 到 {MAX_VALID_DAYS} 之间的天数"
    point = map_point.parse(form["coordinates"]) if form.get("coordinates") else None
    if form.get("coordinates") and point is None:
        errors["coordinates"] = "不是国内地图上的坐标：请粘贴两个数字，如 112.938814,28.228209"
    lat, lon = point or picked or ((station.lat, station.lon) if station else (0.0, 0.0))
    data = {
        "title": form.get("title", ""),
        "trade_id": form.get("trade_id") or 0,
        "employer_id": form.get("employer_id") or 0,
        "headcount": form.get("headcount") or 0,
        "filled": form.get("filled") or 0,
        "pay_min_fen": yuan_to_fen(form.get("pay_min", "")),
        "pay_max_fen": yuan_to_fen(form.get("pay_max", "")),
        "pay_unit": form.get("pay_unit"),
        "settlement": form.get("settlement"),
        "work_start": form.get("work_start") or None,
        "work_end": form.get("work_end") or None,
        "daily_hours": form.get("daily_hours", ""),
        "district": form.get("district") or (station.district if station else ""),
        "address": form.get("address", ""),
        "lat": lat,
        "lon": lon,
        "contact_person": form.get("contact_person", ""),
        "contact_phone": form.get("contact_phone", ""),
        "requirements": form.get("requirements", ""),
        "benefits": form.get("benefits", ""),
        "age_min": form.get("age_min") or None,
        "age_max": form.get("age_max") or None,
        "urgent": form.get("urgent") == "yes",
        "certificate": form.get("certificate") == "yes",
        "valid_from": valid_from or now,
        "valid_to": now + dt.timedelta(days=days or 14),
        "station_ids": station_ids,
    }
    return data, errors


def checked_posting(data: dict, errors: dict[str, str]) -> tuple[PostingIn | None, dict[str, str]]:
    """The posting, or every error of the form at once: each field's and each rule between them."""
    made, found = validate_all(PostingIn, data, postings.problems)
    if not data["trade_id"]:
        found["trade_id"] = "请选择工种"
    if not data["employer_id"]:
        found["employer_id"] = "请选择用工单位"
    for key in found.keys() & {k for k, v in data.items() if v == ""}:
        found[key] = "必填"  # (not "至少 2 个字" for a field left empty)
    if "valid_to" in found:  # staff set how many days, not the end itself
        found.setdefault("valid_days", found.pop("valid_to"))
    found.update(errors)
    return (made if not found else None), found


def home_station(session, staff: Principal, station_ids: list[int] | None) -> Station | None:
    """Where a new posting is placed on the map, lacking an address lookup: its first station's."""
    first = (station_ids or sorted(staff.station_ids) or [None])[0]
    return session.get(Station, first) if first else session.scalars(select(Station).order_by(Station.id)).first()


@router.get("/postings/new", response_class=HTMLResponse)
def new_posting(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    today = dt.datetime.now(settings.tz).date().isoformat()
    form = {
        "work_start": today,
        "valid_days": "14",
        "headcount": "1",
        "pay_unit": "day",
        "settlement": "daily",
        "all_stations": "yes" if staff.is_admin else "",
        "station_ids": [str(s) for s in staff.station_ids],
    }
    with db.read() as session:
        return _form_page(request, session, staff, form, {}, "/staff/postings/new", "发布岗位")


@router.get("/postings/{posting_id}/copy", response_class=HTMLResponse)
def copy_posting(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    """A new posting filled in from an old one (the same job next week): only the dates are fresh."""
    with db.read() as session:
        p = postings.get(session, posting_id)
        form = posting_form(p, settings.tz) | posting_place.form_values(session, p)
        form.update(
            work_start=dt.datetime.now(settings.tz).date().isoformat(), work_end="", filled="0", valid_days="14"
        )
        return _form_page(request, session, staff, form, {}, "/staff/postings/new", "复制岗位")


@router.post("/postings/new", response_class=HTMLResponse)
async def create_posting(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        station_ids = chosen_stations(form, staff)
        station = home_station(session, staff, station_ids)
        district = form.get("district") or (station.district if station else "")
        point, place_errors = posting_place.picked(session, form, district)
        made, errors = checked_posting(*posting_fields(form, settings.tz, station, station_ids, picked=point))
        errors = {**errors, **place_errors}
        if not errors:
            posting, errors = attempt(lambda: postings.create(session, made, staff))
        if not errors:
            posting_place.keep_pasted(session, form, posting.district)
            return RedirectResponse(f"/staff?published={posting.id}", status_code=303)
        session.rollback()
        return _form_page(request, session, staff, form, errors, "/staff/postings/new", "发布岗位", 422)


@router.get("/postings/{posting_id}/edit", response_class=HTMLResponse)
def edit_page(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        p = postings.get(session, posting_id)
        return _form_page(
            request,
            session,
            staff,
            posting_form(p, settings.tz) | posting_place.form_values(session, p) | {"trust": trust.marks(p)},
            {},
            f"/staff/postings/{posting_id}/edit",
            f"修改岗位（编号 {posting_id}）",
        )


@router.post("/postings/{posting_id}/edit", response_class=HTMLResponse)
async def edit_posting(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    form = await form_of(request)
    with db.write() as session:
        p = postings.get(session, posting_id)
        form["district"] = form.get("district") or p.district

        station_ids = chosen_stations(form, staff)
        station = home_station(session, staff, station_ids)  # (its point when no other is given)
        point, place_errors = posting_place.picked(session, form, form["district"])
        made, errors = checked_posting(
            *posting_fields(form, settings.tz, station, station_ids, valid_from=p.valid_from, picked=point)
        )
        errors = {**errors, **place_errors}
        if not errors:
            patch = PostingPatch.model_validate(made.model_dump())
            _, errors = attempt(lambda: postings.update(session, posting_id, patch, staff))
        if not errors:
            posting_place.keep_pasted(session, form, form["district"])
            return RedirectResponse(f"/staff?saved={posting_id}", status_code=303)
        session.rollback()
        return _form_page(
            request,
            session,
            staff,
            form,
            errors,
            f"/staff/postings/{posting_id}/edit",
            f"修改岗位（编号 {posting_id}）",
            422,
        )
