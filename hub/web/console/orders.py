"""Household orders in the console: the review queue, publish as a posting or dispatch to a worker
(网格员派单), record acceptance and completion."""

from __future__ import annotations

from urllib.parse import urlencode

import qrcode
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from hub.deps import DbDep, KeysDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import HubError
from hub.fields import IdPath
from hub.orders import links
from hub.orders import service as orders
from hub.orders.models import OrderStatus
from hub.teams import service as teams
from hub.trades.models import Trade
from hub.web.pages import render, yuan

from .forms import QueryId, console_router, form_of, whole

router = console_router()
S = OrderStatus
TABS = {
    "queue": ("待审核", {S.PENDING}),
    "active": ("进行中", {S.DISPATCHED, S.ACCEPTED, S.PUBLISHED}),
    "done": ("已结束", {S.COMPLETED, S.REJECTED, S.CANCELLED}),
}


@router.get("/orders", response_class=HTMLResponse)
def order_page(
    request: Request,
    staff: Staff,
    db: DbDep,
    keys: KeysDep,
    settings: SettingsDep,
    tab: str = "queue",
    error: str = "",
    order: QueryId = 0,
    team: QueryId = 0,
) -> HTMLResponse:
    tab = tab if tab in TABS else "queue"
    with db.read() as session:
        # The caller's teams name the orders placed through their QR (the filter offers them too).
        own_teams = {t.id: t.name for t in teams.listing(session, staff)}
        team = team if team in own_teams else 0
        rows = []
        for o in orders.queue(session, staff):
            if o.status not in TABS[tab][1] or (team and o.team_id != team):
                continue
            row = {
                "id": o.id,
                "code": o.code,
                "need": o.need,
                "details": o.details,
                "where": f"{o.district} {o.address}",
                "when": o.when_text,
                "pay": yuan(o.pay_fen),
                "phone": o.resident_phone,
                "station": o.station.name,
                "status": o.status.value,
                "word": orders.WORDS[o.status],
                "note": o.note,
                "posting": o.posting_id,
                "team": own_teams.get(o.team_id, ""),
                "created": o.created_at,
            }
            if o.status in (S.DISPATCHED, S.ACCEPTED) and o.worker_id:
                url = f"{settings.public_url}/o/w/{links.make(keys, o.id, o.worker_id)}"
                row["link"] = url
                row["qr"] = qrcode.make(url, image_factory=SvgPathImage, box_size=6).to_string(encoding="unicode")
            rows.append(row)
        trades = session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all()
    return render(
        request,
        "staff/orders.html",
        {
            "staff": staff,
            "rows": rows,
            "tab": tab,
            "tabs": TABS,
            "teams": own_teams,
            "team": team,
            "trades": trades,
            "error": error,
            "error_order": order,
        },
    )


def _back(tab: str, order_id: int | None = None, error: str = "") -> RedirectResponse:
    query = {"tab": tab if tab in TABS else "queue", **({"order": order_id, "error": error} if error else {})}
    return RedirectResponse(f"/staff/orders?{urlencode(query)}", status_code=303)


async def _step(request: Request, db, order_id: int, action, tab_after: str) -> RedirectResponse:
    """Runs one step on the order; a refused step comes back as a message beside that order."""
    form = await form_of(request)
    try:
        with db.write() as session:
            action(session, form)
    except HubError as exc:
        if exc.status in (401, 403):
            raise
        return _back(form.get("tab", "queue"), order_id, exc.message)
    return _back(tab_after)


@router.post("/orders/{order_id}/publish")
async def publish(order_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    def act(session, form):
        trade = whole(form.get("trade_id")) or 0
        orders.publish(session, order_id, trade, staff, settings.tz)

    return await _step(request, db, order_id, act, "active")


@router.post("/orders/{order_id}/dispatch")
async def dispatch(order_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _step(
        request, db, order_id, lambda s, f: orders.dispatch(s, order_id, f.get("phone", ""), staff), "active"
    )


@router.post("/orders/{order_id}/reject")
async def reject(order_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _step(request, db, order_id, lambda s, f: orders.reject(s, order_id, f.get("note", ""), staff), "done")


@router.post("/orders/{order_id}/accept")
async def accept(order_id: IdPath, request: Request, staff: Staff, db: DbDep):
    """The worker said yes on the phone to the staff member (the worker's own link does the same)."""
    return await _step(request, db, order_id, lambda s, f: orders.accept(s, orders.get(s, order_id, staff)), "active")


@router.post("/orders/{order_id}/complete")
async def complete(order_id: IdPath, request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    return await _step(
        request, db, order_id, lambda s, f: orders.complete(s, orders.get(s, order_id, staff), settings.tz), "done"
    )


@router.post("/orders/{order_id}/cancel")
async def cancel(order_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _step(request, db, order_id, lambda s, f: orders.cancel(s, order_id, staff), "done")
