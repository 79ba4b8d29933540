"""Trust in the console (/staff/reviews): postings held for review (通过/退回), workers' reports,
suspended employers, which flags hold a posting (administrators), and the station's service rules."""

from __future__ import annotations

from collections import defaultdict

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.audit.middleware import note
from hub.deps import DbDep
from hub.deps import SessionStaffDep as Staff
from hub.employers import service as employers
from hub.employers.models import Employer
from hub.errors import HubError, Invalid
from hub.fields import IdPath
from hub.stations.models import Station
from hub.trust import gate, screening
from hub.trust import service as trust
from hub.web.pages import pay_text, render

from .forms import console_router, form_of, whole

router = console_router()


def _queue_rows(session, staff) -> list[dict]:
    return [
        {
            "id": p.id,
            "title": p.title,
            "employer": p.employer.name,
            "verified": p.employer.verified_at is not None,
            "pay": pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit.value),
            "address": f"{p.district} {p.address}",
            "requirements": p.requirements,
            "benefits": p.benefits,
            "flags": [
                (screening.NAMES.get(code, code), reason, code in c.held_by.split(",")) for code, reason in c.flags
            ],
        }
        for p, c in trust.queue(session, staff)
    ]


def _report_rows(session, staff) -> list[dict]:
    """Reports grouped by posting, most reported first: the count, the reasons, the masked reporters."""
    grouped: dict[int, dict] = {}
    for r, p in trust.reports_for(session, staff):
        row = grouped.setdefault(
            p.id, {"id": p.id, "title": p.title, "employer": p.employer.name, "employer_id": p.employer_id,
                   "count": 0, "reasons": defaultdict(int), "reporters": [], "last": r.created_at}
        )  # fmt: skip
        row["count"] += 1
        row["reasons"][trust.REASON_WORDS[r.reason]] += 1
        if len(row["reporters"]) < 5:
            row["reporters"].append(f"{r.reporter or '未留电话'}（{'驿站机器' if r.via == 'kiosk' else '手机'}）")
    return sorted(grouped.values(), key=lambda row: (-row["count"], -row["id"]))


def _page(
    request, session, staff, errors: dict | None = None, status: int = 200, confirm: dict | None = None
) -> HTMLResponse:
    vouchable = [e for e in session.scalars(select(Employer).order_by(Employer.name)) if employers.vouches(staff, e)]
    stations = [s for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)]
    return render(
        request,
        "staff/reviews.html",
        {
            "staff": staff,
            "queue": _queue_rows(session, staff),
            "reports": _report_rows(session, staff),
            "suspended": [e for e in trust.suspended(session) if employers.vouches(staff, e)],
            "employers": [e for e in vouchable if e.suspended_at is None],
            "names": screening.NAMES,
            "hold": gate.hold_codes(session),
            "stations": stations,
            "errors": errors or {},
            "factor": screening.PAY_HIGH_FACTOR,
            "limit": screening.UNVERIFIED_LIMIT,
            "confirm": confirm,
        },
        status,
    )


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        return _page(request, session, staff)


async def _act(request: Request, staff, db, action, target: str, form: dict | None = None):
    """Runs one trust action from a posted form; a refusal is shown on the page (4xx), nothing kept."""
    form = form if form is not None else await form_of(request)
    with db.write() as session:
        try:
            detail = action(session, form)
        except HubError as exc:
            session.rollback()
            return _page(request, session, staff, {exc.field or "form": exc.message}, exc.status)
    note(request, target=target, detail=detail)
    return RedirectResponse("/staff/reviews", status_code=303)


@router.post("/reviews/{posting_id}/approve")
async def approve(posting_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, _form):
        trust.approve(session, posting_id, staff)
        return {}

    return await _act(request, staff, db, act, f"posting={posting_id}")


@router.post("/reviews/{posting_id}/reject")
async def reject(posting_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, form):
        trust.reject(session, posting_id, str(form.get("reason", "")), staff)
        return {"reason": str(form.get("reason", ""))[:200]}

    return await _act(request, staff, db, act, f"posting={posting_id}")


@router.post("/reviews/hold")
async def set_hold(request: Request, staff: Staff, db: DbDep):
    def act(session, form):
        codes = [c for c in screening.CODES if form.get(f"hold_{c}") == "yes"]
        return {"hold": sorted(trust.set_hold(session, codes, staff))}

    return await _act(request, staff, db, act, "trust.hold")


@router.post("/reviews/suspend")
async def suspend(request: Request, staff: Staff, db: DbDep):
    """Takes every posting of an employer off every screen: asked once more, by name, before it is done."""
    form = await form_of(request)
    employer_id, reason = whole(form.get("employer_id")), str(form.get("reason", "")).strip()
    if form.get("confirmed") != "yes":
        with db.read() as session:
            errors = {"employer_id": "请选择要暂停的单位"} if employer_id is None else {}
            if not reason:
                errors["reason"] = "请写暂停原因"
            try:
                employer = employers.get(session, employer_id) if employer_id is not None else None
            except HubError as exc:
                errors["employer_id"] = exc.message
            if not errors and not employers.vouches(staff, employer):
                errors["employer_id"] = "只能暂停您的驿站登记的单位"
            if errors:
                return _page(request, session, staff, errors, 422)
            ask = {"employer_id": employer.id, "name": employer.name, "reason": reason[:200]}
            # (the trail keeps the question too, said as only asked: nothing was suspended yet)
            note(request, target=f"employer_id={employer.id}", detail={"step": "asked, not yet confirmed"})
            return _page(request, session, staff, confirm=ask)

    def act(session, _form):
        if employer_id is None:
            raise Invalid("请选择要暂停的单位", code="trust.employer_needed", field="employer_id")
        withdrawn = trust.suspend(session, employer_id, reason, staff)
        return {"employer_id": employer_id, "reason": reason[:200], "withdrawn": withdrawn}

    return await _act(request, staff, db, act, "employer", form)


@router.post("/reviews/lift/{employer_id}")
async def lift(employer_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _act(
        request, staff, db, lambda s, f: {"back": trust.lift(s, employer_id, staff)}, f"employer_id={employer_id}"
    )


@router.post("/reviews/station/{station_id}")
async def station_rules(station_id: IdPath, request: Request, staff: Staff, db: DbDep):
    def act(session, form):
        trust.set_station_rules(
            session, station_id, str(form.get("rules", "")), str(form.get("hotline", "")),
            str(form.get("complaint", "")), staff,
        )  # fmt: skip
        return {"fields": ["rules", "hotline", "complaint_phone"]}

    return await _act(request, staff, db, act, f"station_id={station_id}")
