"""The audit trail, for administrators: search by person, action, record, station and dates."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from hub.audit import service as audit
from hub.audit.actions import VIA, WORDS, outcome_words
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.stations.models import Station
from hub.web.pages import render

from .forms import console_router, whole

router = console_router()
GROUPS = {
    "": "全部",
    "signin": "登录",
    "posting.": "岗位",
    "employer.": "用工单位",
    "application": "报名",
    "order": "居民订单",
    "interview": "视频面试",
    "device.": "设备",
    "announcement.": "公告",
    "user.": "工作人员账号",
    "audit.": "查看操作记录",
    "retention.": "到期清除",
    "worker.": "删除零工信息",
}

# The record an entry is about, as the trail keeps it (posting_id=12) and as staff say it (岗位 12).
RECORDS = {
    "posting_id": "岗位",
    "employer_id": "用工单位",
    "application_id": "报名",
    "order_id": "居民订单",
    "slot_id": "面试时段",
    "device_id": "设备",
    "station_id": "驿站",
    "announcement_id": "公告",
    "user_id": "工作人员",
    "trade_id": "工种",
}
KEYS = {word: key for key, word in RECORDS.items()}


def target_words(target: str) -> str:
    """ "posting_id=12" → "岗位 12" (several: "、" between); a key not listed stays as it was kept."""
    said = []
    for part in (target or "").split():
        key, _, value = part.partition("=")
        said.append(f"{RECORDS[key]} {value}" if key in RECORDS and value else part)
    return "、".join(said)


def target_query(typed: str) -> str:
    """What staff type in the search ("岗位 12", "岗位12") as the trail keeps it; anything else as typed."""
    found = re.fullmatch(r"(\D+?)\s*(\d+)", typed)
    return f"{KEYS[found[1]]}={found[2]}" if found and found[1] in KEYS else typed


def _day(value: str | None, tz) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), tz) if 2000 <= day.year <= 2199 else None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    staff.require_admin()
    q = request.query_params
    filters = {
        "actor": q.get("actor", "")[:60].strip(),
        "action": q.get("action", "")[:40].strip(),
        "target": q.get("target", "")[:80].strip(),
    }
    station, before = whole(q.get("station")), whole(q.get("before"))
    since, until = _day(q.get("since"), settings.tz), _day(q.get("until"), settings.tz)
    problems = [
        word
        for word, given, value in (
            ("驿站", q.get("station"), station),
            ("从", q.get("since"), since),
            ("到", q.get("until"), until),
        )
        if given and value is None
    ]
    if since and until and since > until:
        problems.append("“从”在“到”之后")
    with db.read() as session:
        rows = audit.search(
            session,
            **{**filters, "target": target_query(filters["target"])},
            station_id=station,
            since=since,
            until=until + dt.timedelta(days=1) if until else None,
            before_id=before,
        )
        stations = {st.id: st.name for st in session.scalars(select(Station).order_by(Station.id))}
    return render(
        request,
        "staff/audit.html",
        {
            "staff": staff,
            "rows": rows,
            "words": WORDS,
            "via": VIA,
            "outcome": outcome_words,
            "record": target_words,
            "groups": GROUPS,
            "stations": stations,
            "problems": problems,
            "q": {**filters, "station": q.get("station", ""), "since": q.get("since", ""), "until": q.get("until", "")},
            "next_before": rows[-1].id if len(rows) == audit.PAGE else None,
            "days": settings.audit_retention_days,
        },
    )
