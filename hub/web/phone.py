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
from hub.fields import IdPath
from hub.postings.models import Posting, PostingStatus

from . import csrf
from .pages import SETTLEMENTS, pay_text, render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
NAME = re.compile(r"^[\u4e00-\u9fff·A-Za-z ]{2,30}$")


def _open(p: Posting, now: dt.datetime) -> bool:
    return p.status is PostingStatus.OPEN and p.filled < p.headcount and p.valid_from <= now < p.valid_to


def _view(p: Posting, tz: dt.tzinfo) -> dict:
    today = dt.datetime.now(tz).date()
    days = (p.work_start - today).days
    start = "今天" if days <= 0 else "明天" if days == 1 else f"{p.work_start.month}月{p.work_start.day}日"
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
        "district": p.district,
        "address": p.address,
        "employer": p.employer.name,
        "verified": p.employer.verified_at is not None,
        "contact": p.contact_person,
        "phone": p.contact_phone,
        "requirements": p.requirements,
        "benefits": p.benefits,
        "trade": p.trade.name,
        "age": f"{p.age_min or ''}–{p.age_max or ''}岁" if (p.age_min or p.age_max) else "",
    }


@router.get("/p/{posting_id}", response_class=HTMLResponse)
def posting_page(posting_id: IdPath, request: Request, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    with db.read() as session:
        p = session.get(Posting, posting_id)
        if p is None:
            return render(request, "gone.html", {"title": "没有这个岗位"}, 404)
        if not _open(p, dt.datetime.now(dt.UTC)):
            return render(request, "gone.html", {"title": p.title, "closed": True}, 410)
        return render(request, "posting.html", {"p": _view(p, settings.tz), "form": {}, "errors": {}})


@router.post("/p/{posting_id}/apply", response_class=HTMLResponse)
def apply(
    posting_id: IdPath,
    request: Request,
    db: DbDep,
    keys: KeysDep,
    limits: LimitsDep,
    settings: SettingsDep,
    name: str = Form(""),
    phone: str = Form(""),
    consent: str = Form(""),
    csrf_token: str = Form(""),
):
    csrf.check(request, csrf_token)
    form = {"name": name.strip(), "phone": re.sub(r"[\s-]", "", phone), "consent": consent == "yes"}
    errors = {}
    if not NAME.match(form["name"]):
        errors["name"] = "请写您的姓名（2到30个字）"
    if not is_mobile(form["phone"]):
        errors["phone"] = "请写11位手机号，例如 139 1234 5678"
    if not form["consent"]:
        errors["consent"] = "报名需要您同意把姓名和电话交给这家单位"
    with db.read() as session:
        p = session.get(Posting, posting_id)
        if p is None or not _open(p, dt.datetime.now(dt.UTC)):
            return _gone(request, p)
        view = _view(p, settings.tz)
    if errors:
        return render(request, "posting.html", {"p": view, "form": form, "errors": errors}, 422)
    try:  # a market hall shares one address: counted per address generously, per phone tightly
        limits.hit(limits.phone_apply, request.client.host if request.client else "?")
        limits.hit(limits.phone_apply_number, form["phone"])
    except TooMany as exc:
        response = render(request, "posting.html", {"p": view, "form": form, "errors": {"form": exc.message}}, 429)
        response.headers.update(exc.headers())
        return response
    with db.write() as session:
        p = session.get(Posting, posting_id)
        if p is None or not _open(p, dt.datetime.now(dt.UTC)):
            return _gone(request, p)
        # Applied before with this phone, or now: the same answer, so that typing in someone
        # else's number tells nothing about them.
        applications.submit_from_phone(session, keys, posting_id=posting_id, name=form["name"], phone=form["phone"])
    return render(request, "applied.html", {"p": view, "phone_masked": mask_phone(form["phone"])})


def _gone(request: Request, p: Posting | None) -> HTMLResponse:
    return render(
        request, "gone.html", {"title": p.title if p else "没有这个岗位", "closed": p is not None}, 410 if p else 404
    )
