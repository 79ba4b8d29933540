"""招聘会 in the console: hold a fair with its booths (every error of the form at once, each booth's
beside its row), the fairs of the caller's stations, and each fair's booths with their queues, the
links that call their numbers (for the fair's own staff), stopping numbers and cancelling."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from hub.deps import DbDep, KeysDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.errors import Forbidden
from hub.fairs import links
from hub.fairs import service as fairs
from hub.fairs.models import Fair, FairStatus
from hub.fairs.schemas import BoothIn, FairIn
from hub.fields import EARLIEST_YEAR, LATEST_YEAR, IdPath
from hub.keys import HubKeys
from hub.seats import offers
from hub.settings import Settings
from hub.staff.service import Principal
from hub.web.pages import render

from .device_schedule import clock
from .forms import console_router, validate_all, values_of, whole
from .offering import blank, employers, list_page, status_of, step, submit
from .posters import qr_svg, unreachable
from .postings import chosen_stations

router = console_router()
ROWS = 12  # blank booth rows on the form (no script adds more); a larger hall is held through the API
BOOTH = {"number": "展位号", "employer_id": "用工单位", "jobs": "招聘岗位", "places": "招几人"}
FIGURES = ("waiting", "called", "served", "skipped", "hired")
TIMES = ("opens_at", "closes_at")
SHOWN_FOR = dt.timedelta(days=7)  # the list keeps a fair a week after it closed, for its results
TARGETS = {
    "title": ("title", "招聘会名称"),
    "hall": ("hall", "地点"),
    "day": ("day", "日期"),
    "opens_at": ("opens_at", "开始时间"),
    "closes_at": ("closes_at", "结束时间"),
    "skip_after_min": ("skip_after_min", "过号时间"),
    "station_ids": ("stations", "在哪些驿站取号"),
} | {f"booth-{i}-{k}": (f"booth-{i}-{k}", f"第{i + 1}个展位的{word}") for i in range(ROWS) for k, word in BOOTH.items()}


def stage(fair: Fair, now: dt.datetime) -> str:
    """The fair's state in a word, from its status and the clock."""
    if fair.status is FairStatus.CANCELLED:
        return "已取消"
    if now >= fair.closes_at:
        return "已结束"
    if fair.status is FairStatus.CLOSED:
        return "已停止取号"
    return "报名中" if now < fair.opens_at else "进行中"


def _text(form: dict, key: str) -> str:
    value = form.get(key, "")
    return value if isinstance(value, str) else ""  # (a file where text belongs: nothing typed)


def _times(form: dict, tz: dt.tzinfo, errors: dict) -> dict:
    """opens_at and closes_at: the day and each clock time (as staff type it, 8:30 or 0830) in the
    hub's zone. A wrong day or time is worded here, so the model's own word for it is not shown too."""
    try:
        day = dt.date.fromisoformat(_text(form, "day"))
    except ValueError:
        day, errors["day"] = None, "请写日期，如 2026-11-25"
    if day is not None and not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        day, errors["day"] = None, f"年份不对：请写 {EARLIEST_YEAR} 年到 {LATEST_YEAR} 年之间的日期"
    times = {}
    for key in TIMES:
        try:
            at = dt.time.fromisoformat(clock(_text(form, key)))
        except ValueError:
            errors[key] = "请写时间，如 08:30"
            continue
        if day is not None:
            times[key] = dt.datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz)
    return times


def _booths(form: dict, usable: set[int], errors: dict) -> list[dict]:
    """The booth rows filled in, each checked on its own, its problems beside its fields; rows left
    blank are dropped. A booth number twice is told on the later row (the hall has one of each)."""
    booths: list[dict] = []
    seen: dict[str, int] = {}
    for i in range(ROWS):
        row = {k: form.get(f"booth-{i}-{k}", "") for k in BOOTH}
        if not any(row.values()):
            continue
        made, wrong = validate_all(BoothIn, row)  # (a field left empty: "必填", not the model's word)
        wrong |= {k: "必填" for k, v in row.items() if v == ""}
        if whole(row["employer_id"]) not in usable:
            wrong["employer_id"] = "请选择用工单位" if row["employer_id"] == "" else "请从列表里选"
        number = row["number"]
        if "number" not in wrong and number in seen:  # (told even when the first row has other errors)
            wrong["number"] = f"和第{seen[number] + 1}个展位的展位号重复"
        seen.setdefault(number, i)
        if wrong:
            errors.update({f"booth-{i}-{k}": message for k, message in wrong.items() if k in BOOTH})
        else:
            booths.append(made.model_dump())
    if not booths and not any(key.startswith("booth-") for key in errors):
        errors["booth-0-number"] = "至少要有一个展位"
    return booths


def _checked(form: dict, staff: Principal, tz: dt.tzinfo, usable: set[int]) -> tuple[FairIn | None, dict]:
    """The fair the form asks for, or every problem with it: the fields', the booths', and the
    service's rules between fields (a hall closing before it opens, a fair already over)."""
    own: dict[str, str] = {}
    fields = values_of(form, text=("title", "hall")) | {
        "skip_after_min": form.get("skip_after_min") or 3,  # (left empty: the usual 3 minutes)
        "station_ids": chosen_stations(form, staff),
        "booths": _booths(form, usable, own),
    }
    fields |= _times(form, tz, own)
    now = dt.datetime.now(dt.UTC)
    # (the booths' rule, a number twice, is the rows' own: the service reads booths as models)
    data, errors = validate_all(FairIn, fields, lambda v: fairs.problems({**v, "booths": ()}, now))
    # A time that could not be read (or a wrong day) was worded by _times: the model's "必填" goes.
    errors = {k: v for k, v in errors.items() if k != "booths" and (k not in TIMES or k in fields)} | own
    return (data if not errors else None), errors


def _list_page(request, session, staff, form: dict, errors: dict, status=200) -> HTMLResponse:
    now = dt.datetime.now(dt.UTC)
    held = fairs.listing(session, staff, closed_after=now - SHOWN_FOR)
    return list_page(
        request,
        session,
        staff,
        "staff/fairs.html",
        form,
        errors,
        status,
        fairs=[(f, fairs.numbers_taken(session, f.id), offers.may_edit(f, staff), stage(f, now)) for f in held],
        employers=employers(session),
        rows=ROWS,
        targets=TARGETS,
    )


@router.get("/fairs", response_class=HTMLResponse)
def fair_list(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    tomorrow = dt.datetime.now(settings.tz).date() + dt.timedelta(days=1)
    form = blank(staff, day=tomorrow.isoformat(), opens_at="09:00", closes_at="15:00", skip_after_min="3")
    with db.read() as session:
        return _list_page(request, session, staff, form, {})


@router.post("/fairs", response_class=HTMLResponse)
async def hold(request: Request, staff: Staff, db: DbDep, settings: SettingsDep):
    def check(session, form):
        return _checked(form, staff, settings.tz, {e.id for e in employers(session)})

    def page(session, form, errors, status):
        return _list_page(request, session, staff, form, errors, status)

    return await submit(
        request,
        db,
        check,
        lambda session, data: fairs.create(session, data, staff),
        lambda f: f"/staff/fairs/{f.id}",
        page,
    )


def _booth_rows(session: Session, fair: Fair, keys: HubKeys, public_url: str, handing: bool) -> list[dict]:
    """Each booth with its figures; and, when its link is handed out here, the link and its QR code."""
    figures = fairs.booth_figures(session, fair)
    rows = []
    for b in fair.booths:
        row = {"b": b, "serving": figures[b.id]["serving"], **{k: figures[b.id].get(k, 0) for k in FIGURES}}
        if handing:
            row["link"] = f"{public_url}/b/{links.make(keys, b.id)}"
            row["qr"] = qr_svg(row["link"], box_size=6)
        rows.append(row)
    return rows


def _fair_page(
    request, session: Session, staff: Principal, keys: HubKeys, settings: Settings, fair_id: int, error="", status=200
) -> HTMLResponse:
    fair = fairs.get(session, fair_id)
    if not offers.may_see(fair, staff):
        raise Forbidden("这场招聘会不在您的驿站", code="fair.not_yours")
    now = dt.datetime.now(dt.UTC)
    mine = offers.may_edit(fair, staff)
    over = now >= fair.closes_at
    # The links call numbers: only the fair's own staff get them, and only while they can be used.
    handing = mine and not over and fair.status is not FairStatus.CANCELLED
    return render(
        request,
        "staff/fair.html",
        {
            "staff": staff,
            "fair": fair,
            "booths": _booth_rows(session, fair, keys, settings.public_url, handing),
            "taken": fairs.numbers_taken(session, fair.id),
            "stage": stage(fair, now),
            "may_edit": mine,
            "over": over,
            "handing": handing,
            "link_days": links.MAX_AGE_S // 86400,
            "unreachable": handing and unreachable(settings.public_url),
            "public_url": settings.public_url,
            "error": error,
        },
        status,
    )


@router.get("/fairs/{fair_id}", response_class=HTMLResponse)
def fair_page(
    fair_id: IdPath, request: Request, staff: Staff, db: DbDep, keys: KeysDep, settings: SettingsDep
) -> HTMLResponse:
    with db.read() as session:
        return _fair_page(request, session, staff, keys, settings, fair_id)


@router.post("/fairs/{fair_id}/status")
async def set_status(fair_id: IdPath, request: Request, staff: Staff, db: DbDep, keys: KeysDep, settings: SettingsDep):
    def act(session, form):
        fairs.set_status(session, fair_id, status_of(form, FairStatus), staff)

    def page(session, message, status):
        return _fair_page(request, session, staff, keys, settings, fair_id, message, status)

    return await step(request, db, act, page, f"/staff/fairs/{fair_id}")
