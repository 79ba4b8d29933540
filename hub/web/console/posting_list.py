"""The postings list of the console: search, filters and pages done in SQL, and the confirmation
asked before a posting leaves every screen (marked full or closed)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import func, or_, select

from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.employers.models import Employer
from hub.errors import Forbidden
from hub.fields import CONTROL, IdPath
from hub.postings import fast
from hub.postings import service as postings
from hub.postings.models import Posting, PostingStatus
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.trust import gate as trust
from hub.web.pages import pay_text, render

from .forms import console_router, form_of, whole

router = console_router()
PER_PAGE = 50
MAX_TEXT = 40  # a search word longer than any title or name is a slip, not a search
# 已过期: still "open" in the database, but past its last day, so on no screen.
STATUS_WORDS = {"open": "在招", "expired": "已过期", "full": "已招满", "closed": "已结束", "all": "全部"}
# What each ending does, in the words of the confirmation page.
ENDINGS = {
    "full": ("已招满", PostingStatus.FULL, "人已经招够了"),
    "close": ("结束招聘", PostingStatus.CLOSED, "不再招人了"),
}


def search_text(value: str) -> str:
    """What was typed in a search box, without control characters (PostgreSQL refuses a NUL) and
    no longer than any name it could match."""
    return CONTROL.sub("", value).strip()[:MAX_TEXT]


def _filters(status: str, q: str, employer: str, trade: int, station: int, now: dt.datetime) -> list:
    """The WHERE clauses of the list: each filter one clause, so the count and the page agree."""
    where = []
    if status == "open":
        where += [Posting.status == PostingStatus.OPEN, Posting.valid_to > now]
    elif status == "expired":
        where += [Posting.status == PostingStatus.OPEN, Posting.valid_to <= now]
    elif status != "all":
        where.append(Posting.status == PostingStatus(status))
    if q:
        where.append(Posting.title.contains(q, autoescape=True))
    if employer:
        where.append(
            Posting.employer_id.in_(select(Employer.id).where(Employer.name.contains(employer, autoescape=True)))
        )
    if trade:
        where.append(Posting.trade_id == trade)
    if station:
        where.append(or_(Posting.all_stations.is_(True), Posting.stations.any(Station.id == station)))
    return where


def _pages(page: int, last: int) -> list[int | None]:
    """The page numbers to link: the first, the last and two either side of this one (None: a gap)."""
    shown = sorted({1, last, *range(max(1, page - 2), min(last, page + 2) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


@router.get("", response_class=HTMLResponse)
def home(
    request: Request,
    staff: Staff,
    db: DbDep,
    settings: SettingsDep,
    status: str = "open",
    q: str = "",
    employer: str = "",
    trade: str = "",
    station: str = "",
    page: str = "1",
) -> HTMLResponse:
    """Every staff member sees every posting here (as before: the phone pages show them to anyone);
    only their own can be changed."""
    status = status if status in STATUS_WORDS else "open"
    q, employer = search_text(q), search_text(employer)
    trade_id, station_id = whole(trade) or 0, whole(station) or 0
    now = dt.datetime.now(dt.UTC)
    where = _filters(status, q, employer, trade_id, station_id, now)
    with db.read() as session:
        total = session.scalar(select(func.count(Posting.id)).where(*where)) or 0
        last = max(1, -(-total // PER_PAGE))
        number = min(whole(page) or 1, last)
        query = select(Posting).where(*where).order_by(Posting.id.desc()).offset((number - 1) * PER_PAGE)
        listed = [_row(p, staff, now, settings.tz) for p in session.scalars(query.limit(PER_PAGE))]
        trades = session.scalars(select(Trade).order_by(Trade.category_id, Trade.sort)).all()
        stations = session.scalars(select(Station).order_by(Station.id)).all()
    chosen = {"status": status, "q": q, "employer": employer, "trade": trade_id or "", "station": station_id or ""}
    kept = {k: v for k, v in chosen.items() if v}
    return render(
        request,
        "staff/postings.html",
        {
            "staff": staff,
            "postings": listed,
            "status": status,
            "statuses": STATUS_WORDS,
            "chosen": chosen,
            "filtered": bool(q or employer or trade_id or station_id),
            "trades": trades,
            "stations": stations,
            "total": total,
            "page": number,
            "last": last,
            "pages": _pages(number, last),
            "link": lambda n: "/staff?" + urlencode({**kept, "page": n}),
            "export": "/staff/postings.xlsx?" + urlencode({**kept, "status": status}),
            "tab": lambda s: "/staff?" + urlencode({**kept, "status": s}),
            "here": urlencode({**kept, "page": number}),  # where 已招满/结束招聘 come back to
            "fast_limit": settings.fast_hire_per_station,
            "fast_card_min": round(settings.fast_hire_card_min),
        },
    )


def _row(p: Posting, staff, now: dt.datetime, tz: dt.tzinfo) -> dict:
    return {
        "id": p.id,
        "title": p.title,
        "trade": p.trade.name,
        "employer": p.employer.name,
        "pay": pay_text(p.pay_min_fen, p.pay_max_fen, p.pay_unit.value),
        "places": p.places_left,
        "headcount": p.headcount,
        "stations": "全部驿站" if p.all_stations else "、".join(s.name for s in p.stations),
        "until": p.valid_to.astimezone(tz).strftime("%Y-%m-%d"),
        "expired": p.status is PostingStatus.OPEN and p.valid_to <= now,
        "status": p.status.value,
        "urgent": p.urgent,
        # 即时快招 in force: until when (a time today, else a date and time)
        "fast": _hm(p.fast_to, now, tz) if fast.active(p, now) else "",
        "mine": postings.may_edit(p, staff),
        "trust": trust.marks(p),  # flags, a review, a suspended employer (hub.trust)
    }


def _hm(moment: dt.datetime, now: dt.datetime, tz: dt.tzinfo) -> str:
    local = moment.astimezone(tz)
    return (
        local.strftime("%H:%M")
        if local.date() == now.astimezone(tz).date()
        else f"{local.month}月{local.day}日 {local:%H:%M}"
    )


def _ending(session, staff, posting_id: int) -> Posting:
    posting = postings.get(session, posting_id)
    if not postings.may_edit(posting, staff):
        raise Forbidden("发布到您的驿站以外的岗位只有管理员可以修改", code="posting.edit_forbidden")
    return posting


def list_query(back: str, **extra) -> str:
    """The list's own filters and page out of `back` (a query string the list handed on), with
    `extra`: only known names, each once, re-encoded — nothing else of it reaches a URL."""
    given = parse_qs(str(back)[:600])
    kept = {k: given[k][0][:MAX_TEXT] for k in ("status", "q", "employer", "trade", "station", "page") if given.get(k)}
    return urlencode({**kept, **extra})


def _confirm_page(request: Request, staff, db, posting_id: int, action: str, back: str) -> HTMLResponse:
    with db.read() as session:
        p = _ending(session, staff, posting_id)
        word, _, meaning = ENDINGS[action]
        facts = {"id": p.id, "title": p.title, "employer": p.employer.name, "places": p.places_left}
        return render(
            request,
            "staff/posting_confirm.html",
            {
                "staff": staff,
                "p": facts,
                "action": action,
                "word": word,
                "meaning": meaning,
                "done": p.status.value,
                "back": list_query(back),
            },
        )


async def _end(request: Request, staff, db, posting_id: int, action: str):
    """Only a form that says it was confirmed ends the posting; any other post is shown the question."""
    form = await form_of(request)
    back = list_query(form.get("back", ""))
    if form.get("confirmed") != "yes":
        return RedirectResponse(f"/staff/postings/{posting_id}/{action}?{urlencode({'back': back})}", status_code=303)
    with db.write() as session:
        postings.set_status(session, posting_id, ENDINGS[action][1], staff)
    return RedirectResponse(f"/staff?{list_query(back, ended=posting_id, how=action)}", status_code=303)


@router.get("/postings/{posting_id}/close", response_class=HTMLResponse)
def confirm_close(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, back: str = "") -> HTMLResponse:
    return _confirm_page(request, staff, db, posting_id, "close", back)


@router.get("/postings/{posting_id}/full", response_class=HTMLResponse)
def confirm_full(posting_id: IdPath, request: Request, staff: Staff, db: DbDep, back: str = "") -> HTMLResponse:
    return _confirm_page(request, staff, db, posting_id, "full", back)


@router.post("/postings/{posting_id}/close")
async def close_posting(posting_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _end(request, staff, db, posting_id, "close")


@router.post("/postings/{posting_id}/full")
async def mark_full(posting_id: IdPath, request: Request, staff: Staff, db: DbDep):
    return await _end(request, staff, db, posting_id, "full")
