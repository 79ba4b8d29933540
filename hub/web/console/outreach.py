"""岗位找人 in the console: a posting's call list (masked names, reasons, the phone only with the
worker's contact consent) with each call marked, text messages to the consenting, and graded help
(困难帮扶) marked on a registered worker after asking them. Staff see only their own stations'."""

from __future__ import annotations

import datetime as dt
import re

import anyio
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.applications.models import Application
from hub.audit.middleware import note
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Invalid, NotFound
from hub.fields import IdPath
from hub.outreach import notify
from hub.outreach import service as outreach
from hub.outreach.models import HelpKind, WorkerHelp
from hub.stations.models import Station
from hub.web.pages import render
from hub.workers.models import Worker

from .forms import console_router, form_of

router = console_router()
SHOWN = 300
REASON_WORDS = {
    "cert": "本工种培训已结业（持证）",
    "trade": "您要的活",
    "category": "差不多的活",
    "daily": "日结",
    "urgent": "急招",
    "pay": "工资够他要的",
    "new": "刚发布",
}


def reason_text(code: str, value) -> str:
    if code == "distance":
        return f"离他登记的驿站{value}公里"
    if code == "starts":
        return "今天开工" if value <= 0 else ("明天开工" if value == 1 else f"{value}天后开工")
    return REASON_WORDS.get(code, "")


def _worker_of_mine(session, worker_id: int, staff) -> Worker:
    """A registered worker of the staff member's stations (administrators: any); else not found."""
    worker = session.get(Worker, worker_id)
    if worker is None or worker.registered_at is None or not staff.may_station(worker.registered_station_id):
        raise NotFound("没有这位登记的人，或不在您的驿站登记", code="outreach.worker_not_found")
    return worker


@router.get("/outreach", response_class=HTMLResponse)
def workers_page(request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    """The workers registered at the staff member's stations, the longest waiting first."""
    now = dt.datetime.now(dt.UTC)
    placed = select(Application.worker_id).where(Application.hired_at.is_not(None))
    query = (
        select(Worker, WorkerHelp)
        .outerjoin(WorkerHelp, WorkerHelp.worker_id == Worker.id)
        .where(Worker.registered_at.is_not(None), Worker.id.not_in(placed))
        .order_by(Worker.registered_at, Worker.id)
        .limit(SHOWN)
    )
    if not staff.is_admin:
        query = query.where(Worker.registered_station_id.in_(staff.station_ids or {-1}))
    with db.read() as session:
        rows = [
            {
                "id": w.id,
                "name": w.name_masked or "（未留姓名）",
                "days": (now - w.registered_at).days,
                "help": [word for k, word in outreach.HELP_WORDS.items() if h and k in h.kinds],
                "contact": w.contact_consent_at is not None,
            }
            for w, h in session.execute(query)
        ]
        waiting = outreach.long_waiting(session, now, None if staff.is_admin else set(staff.station_ids))
    return render(
        request,
        "staff/outreach_workers.html",
        {"staff": staff, "workers": rows, "waiting": waiting, "long_days": outreach.LONG_WAIT_DAYS, "shown": SHOWN},
    )


@router.get("/outreach/postings/{posting_id}", response_class=HTMLResponse)
def call_list_page(posting_id: IdPath, request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    with db.read() as session:
        posting = outreach.may_see_posting(session, posting_id, staff)
        calls = outreach.call_list(session, posting_id, staff)
        stations = {s.id: s.name for s in session.scalars(select(Station))}
        title = posting.title
    for c in calls:
        c["why"] = [t for t in (reason_text(code, value) for code, value in c["reasons"]) if t]
        c["station"] = stations.get(c["station_id"], "")
    note(request, target=f"posting:{posting_id}")
    return render(
        request,
        "staff/outreach.html",
        {
            "staff": staff,
            "posting_id": posting_id,
            "title": title,
            "calls": calls,
            "words": outreach.CALL_WORDS,
            # (the redirect's own counts only: any other text in a link would speak in the console's voice)
            "sent": sent if re.fullmatch(r"\d{1,4}-\d{1,4}", sent := request.query_params.get("sent", "")) else "",
        },
    )


@router.post("/outreach/calls/{call_id}")
async def mark_call(call_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    form = await form_of(request)
    with db.write() as session:
        call = outreach.mark_call(session, call_id, str(form.get("status", "")), staff)
        posting_id, station_id = call.posting_id, call.station_id
    note(request, target=f"call:{call_id}", station_id=station_id, detail={"status": str(form.get("status"))[:16]})
    return RedirectResponse(f"/staff/outreach/postings/{posting_id}#call-{call_id}", status_code=303)


@router.post("/outreach/postings/{posting_id}/notify")
async def send_notices(
    posting_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep
) -> RedirectResponse:
    """Texts the consenting workers on this staff member's part of the call list (the gateway the
    city runs; none configured: a clear refusal)."""
    await form_of(request)
    if not settings.sms_webhook_url:
        raise Invalid("还没有配置短信网关，请联系管理员", code="outreach.no_gateway")
    channel = notify.WebhookChannel(settings.sms_webhook_url, settings.sms_webhook_secret)
    with db.read() as session:
        outreach.may_see_posting(session, posting_id, staff)
    # Claimed in one short transaction, sent with none open and off the event loop (a slow gateway
    # holds up this press only), then recorded: a text is sent at most once, whatever else happens.
    with db.write() as session:
        counts, claims = notify.claim(
            session,
            posting_id,
            cap=settings.sms_daily_cap,
            today=dt.datetime.now(settings.tz).date(),
            stations=None if staff.is_admin else set(staff.station_ids),
        )
    results = await anyio.to_thread.run_sync(notify.send, channel, claims)
    with db.write() as session:
        notify.record(session, results, counts)
    note(request, target=f"posting:{posting_id}", detail=counts)
    return RedirectResponse(
        f"/staff/outreach/postings/{posting_id}?sent={counts['sent']}-{counts['failed']}", status_code=303
    )


@router.get("/outreach/workers/{worker_id}", response_class=HTMLResponse)
def worker_page(worker_id: IdPath, request: Request, staff: Staff, db: DbDep) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    with db.read() as session:
        worker = _worker_of_mine(session, worker_id, staff)
        found = session.get(WorkerHelp, worker_id)
        shown = {
            "id": worker.id,
            "name": worker.name_masked or "（未留姓名）",
            "days": (now - worker.registered_at).days,
            "kinds": set(found.kinds) if found else set(),
            "consent_at": found.consent_at.astimezone(request.app.state.settings.tz).strftime("%Y-%m-%d")
            if found
            else "",
        }
    return render(
        request, "staff/outreach_worker.html", {"staff": staff, "worker": shown, "kinds": outreach.HELP_WORDS}
    )


@router.post("/outreach/workers/{worker_id}/help")
async def set_help(worker_id: IdPath, request: Request, staff: Staff, db: DbDep) -> RedirectResponse:
    """Marks the kinds of help ticked (none: unmarked); marking needs 本人同意 ticked."""
    form = await form_of(request)
    kinds = [k.value for k in HelpKind if form.get(f"kind_{k.value}") == "1"]
    unknown = [k for k in form if k.startswith("kind_") and k[5:] not in HelpKind._value2member_map_]
    if unknown:
        raise Invalid("没有这种帮扶类别", code="outreach.help_kind", field="kinds")
    with db.write() as session:
        worker = _worker_of_mine(session, worker_id, staff)
        outreach.set_help(
            session, worker_id, kinds, form.get("consent") == "1", staff, station_id=worker.registered_station_id
        )
        station_id = worker.registered_station_id
    note(request, target=f"worker:{worker_id}", station_id=station_id, detail={"kinds": kinds})
    return RedirectResponse(f"/staff/outreach/workers/{worker_id}", status_code=303)
