"""举报 from a posting's phone page (`POST /p/<id>/report`): a reason from four, a phone if they like,
no ID needed; limited per address like applying from a phone, and counted a few times a day at most
per address and once per phone number for one posting."""

from __future__ import annotations

import re

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from floor.phone import is_mobile, mask_phone
from hub.deps import DbDep, LimitsDep
from hub.errors import TooMany
from hub.postings.models import Posting
from hub.ratelimit import RateLimit
from hub.trust import gate
from hub.trust import service as trust
from hub.trust.models import ReportReason

from . import csrf
from . import phone_place as place
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
REASONS = [(r.value, trust.REASON_WORDS[r]) for r in ReportReason]
# One posting's reports from one address (a market hall's Wi-Fi: a few people) or one phone number, a
# day: past these, the same thanks and nothing kept — the count staff read is not a script's to move.
ONCE_PER_ADDRESS = RateLimit("phone-report-address", 3, 86400)
ONCE_PER_PHONE = RateLimit("phone-report-phone", 1, 86400)


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
        # (held for review, sent back, a suspended employer's: reportable, but its title is not shown)
        title = (p.title if gate.shown(p) else f"编号 {wanted}") if p is not None else ""
    if p is None:
        return render(request, "reported.html", {"error": "没有这个岗位", "station": None}, 404)
    back = {"id": wanted, "title": title, "reasons": REASONS, "station": None}
    if reason not in ReportReason.__members__.values():
        return render(request, "reported.html", {**back, "error": "请选一个举报原因"}, 422)
    if phone and not is_mobile(phone):
        # (the reason chosen and the number typed come back, to correct rather than start again)
        again = {"chosen": reason, "typed": phone}
        return render(request, "reported.html", {**back, **again, "error": "手机号要写11位，也可以不写"}, 422)
    address = request.client.host if request.client else "?"
    try:
        limits.hit(limits.phone_apply, address)
    except TooMany as exc:
        response = render(request, "reported.html", {**back, "error": exc.message}, 429)
        response.headers.update(exc.headers())
        return response
    kept = _first_reports(limits, wanted, address, phone)
    with db.write() as session:
        posting = session.get(Posting, wanted)
        if posting is None:  # (removed since it was read)
            return render(request, "reported.html", {"error": "没有这个岗位", "station": None}, 404)
        # The station the page was opened for, only where the posting is shown: else any caller
        # could hand any station's staff reports (with the posting) that are not theirs.
        shows = asked and asked < 2**31 and (posting.all_stations or asked in {s.id for s in posting.stations})
        if kept:
            trust.report(
                session, wanted, ReportReason(reason), via="phone", reporter=mask_phone(phone) if phone else "",
                station_id=asked if shows else None,
            )  # fmt: skip
        station_shown = place.station_view(place.station_for(posting, place.all_stations(session), asked))
    return render(request, "reported.html", {**back, "done": True, "station": station_shown})


def _first_reports(limits, posting_id: int, address: str, phone: str) -> bool:
    """Whether this report of the posting is kept: not once its address or phone reported it enough today."""
    try:
        limits.hit(ONCE_PER_ADDRESS, f"{address}\x00{posting_id}")
        if phone:
            limits.hit(ONCE_PER_PHONE, f"{phone}\x00{posting_id}")
    except TooMany:
        return False
    return True
