"""举报 from a posting's phone page (`POST /p/<id>/report`): a reason from four, a phone if they like,
no ID needed; limited per address like applying from a phone."""

from __future__ import annotations

import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from floor.phone import is_mobile, mask_phone
from hub.deps import DbDep, LimitsDep
from hub.errors import TooMany
from hub.postings.models import Posting
from hub.trust import service as trust
from hub.trust.models import ReportReason

from . import csrf
from . import phone_place as place
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
REASONS = [(r.value, trust.REASON_WORDS[r]) for r in ReportReason]


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 and int(text) >= 1 else None


@router.post("/p/{posting_id}/report", response_class=HTMLResponse)
def report(
    posting_id: str,
    request: Request,
    db: DbDep,
    limits: LimitsDep,
    reason: str = Form(""),
    phone: str = Form(""),
    station: str = Form(""),
    csrf_token: str = Form(""),
):
    csrf.check(request, csrf_token)
    wanted = _number(posting_id)
    asked = _number(station) if station else None
    phone = re.sub(r"[\s-]", "", phone)[:20]
    with db.read() as session:
        p = session.get(Posting, wanted) if wanted and wanted < 2**31 else None
        title = p.title if p is not None else ""
    if p is None:
        return render(request, "reported.html", {"error": "没有这个岗位", "station": None}, 404)
    back = {"id": wanted, "title": title, "reasons": REASONS, "station": None}
    if reason not in ReportReason.__members__.values():
        return render(request, "reported.html", {**back, "error": "请选一个举报原因"}, 422)
    if phone and not is_mobile(phone):
        return render(request, "reported.html", {**back, "error": "手机号要写11位，也可以不写"}, 422)
    try:
        limits.hit(limits.phone_apply, request.client.host if request.client else "?")
    except TooMany as exc:
        response = render(request, "reported.html", {**back, "error": exc.message}, 429)
        response.headers.update(exc.headers())
        return response
    with db.write() as session:
        trust.report(
            session, wanted, ReportReason(reason), via="phone", reporter=mask_phone(phone) if phone else "",
            station_id=asked if asked and asked < 2**31 else None,
        )  # fmt: skip
        station_shown = place.station_view(
            place.station_for(session.get(Posting, wanted), place.all_stations(session), asked)
        )
    return render(request, "reported.html", {**back, "done": True, "station": station_shown})
