"""The audit trail, for administrators: search by person, action, record, station and dates."""
from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse

from hub.audit import service as audit
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.web.pages import render

from .forms import console_router, whole

router = console_router()
WORDS = {
    "signin.ok": "登录", "signin.password": "密码正确，待第二重验证", "signin.wrong": "登录失败",
    "signin.locked": "登录被拒（账号锁定）", "signin.throttled": "登录过于频繁", "signin.second_failed": "验证码错误",
    "signin.second_enrolled": "绑定验证器并登录", "signout": "退出",
}




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
    filters = {"actor": q.get("actor", "")[:60].strip(), "action": q.get("action", "")[:40].strip(),
               "target": q.get("target", "")[:80].strip()}
    station, before = whole(q.get("station")), whole(q.get("before"))
    since, until = _day(q.get("since"), settings.tz), _day(q.get("until"), settings.tz)
    with db.read() as session:
        rows = audit.search(session, **filters, station_id=station, since=since,
                            until=until + dt.timedelta(days=1) if until else None, before_id=before)
    return render(request, "staff/audit.html", {
        "staff": staff, "rows": rows, "words": WORDS, "q": {**filters, "station": q.get("station", ""),
                                                             "since": q.get("since", ""), "until": q.get("until", "")},
        "next_before": rows[-1].id if len(rows) == audit.PAGE else None, "days": settings.audit_retention_days})
