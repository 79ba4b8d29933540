"""The dashboard: today and this month at a glance — postings by trade, applications and
placements by day and by station, sync health, the top order-takers — as server-drawn SVG."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from hub.applications.models import Application, ApplicationStatus
from hub.deps import DbDep, SettingsDep
from hub.deps import SessionStaffDep as Staff
from hub.devices.models import Device
from hub.figures.service import top_takers
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.outcomes import service as outcomes
from hub.outreach.service import long_waiting
from hub.postings.models import Posting, PostingStatus
from hub.staff.service import Principal
from hub.stations.models import Station
from hub.trades.models import Trade
from hub.web import charts
from hub.web.pages import render

from .devices import ONLINE_WITHIN
from .forms import console_router

router = console_router()
DAYS = 30


def _scope(column, staff: Principal) -> list:
    return [] if staff.is_admin else [column.in_(sorted(staff.station_ids))]


def _by_day(stamps, tz, days: list[dt.date]) -> list[int]:
    counts = Counter(s.astimezone(tz).date() for s in stamps if s is not None)
    return [counts.get(d, 0) for d in days]


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, staff: Staff, db: DbDep, settings: SettingsDep) -> HTMLResponse:
    tz = settings.tz
    now = dt.datetime.now(tz)
    today = now.date()
    month_start = dt.datetime.combine(today.replace(day=1), dt.time(), tz)
    days = [today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS)]
    since = dt.datetime.combine(days[0], dt.time(), tz)
    with db.read() as session:
        by_trade = session.execute(
            select(Trade.name, func.count(Posting.id))
            .join(Posting, Posting.trade_id == Trade.id)
            .where(Posting.status == PostingStatus.OPEN, Posting.valid_to > now)
            .group_by(Trade.name)
            .order_by(func.count(Posting.id).desc(), Trade.name)
            .limit(12)
        ).all()
        # Postings counted as the kiosks and walls count them (在招岗位), and the people they still need.
        open_postings, open_places = session.execute(
            select(func.count(Posting.id), func.coalesce(func.sum(Posting.headcount - Posting.filled), 0)).where(
                Posting.status == PostingStatus.OPEN, Posting.valid_to > now
            )
        ).one()
        new_month = session.scalar(select(func.count()).where(Posting.created_at >= month_start))
        applied = session.scalars(
            select(Application.received_at).where(
                Application.received_at >= since, *_scope(Application.station_id, staff)
            )
        ).all()
        hired = session.scalars(
            select(Application.hired_at).where(
                Application.status == ApplicationStatus.HIRED,
                Application.hired_at >= since,
                *_scope(Application.station_id, staff),
            )
        ).all()
        completed = session.scalars(
            select(HouseholdOrder.completed_at).where(
                HouseholdOrder.status == OrderStatus.COMPLETED,
                HouseholdOrder.completed_at >= since,
                *_scope(HouseholdOrder.station_id, staff),
            )
        ).all()
        stations = {
            s.id: s.name for s in session.scalars(select(Station).order_by(Station.id)) if staff.may_station(s.id)
        }
        per_station = Counter(
            dict(
                session.execute(
                    select(Application.station_id, func.count())
                    .where(Application.received_at >= month_start, Application.station_id.in_(list(stations)))
                    .group_by(Application.station_id)
                ).all()
            )
        )
        placed_station = Counter(
            dict(
                session.execute(
                    select(Application.station_id, func.count())
                    .where(
                        Application.status == ApplicationStatus.HIRED,
                        Application.hired_at >= month_start,
                        Application.station_id.in_(list(stations)),
                    )
                    .group_by(Application.station_id)
                ).all()
            )
        )
        pending_orders = session.scalar(
            select(func.count()).where(
                HouseholdOrder.status == OrderStatus.PENDING, *_scope(HouseholdOrder.station_id, staff)
            )
        )
        health = _sync_health(session, staff, request.app.state.feed.head)
        waiting = long_waiting(session, now, None if staff.is_admin else set(staff.station_ids))  # 困难帮扶
        takers = top_takers(
            session, None if staff.is_admin else staff.station_ids, month_start, now + dt.timedelta(seconds=1), limit=10
        )
        # the month's outcomes per station, kiosk and wall (hub.outcomes; the same as the workbook's)
        funnel = outcomes.funnel(
            session, tz, *outcomes.month_bounds(today), None if staff.is_admin else staff.station_ids
        )
    labels = [f"{d.month}/{d.day}" for d in days]
    daily = {
        "报名": _by_day(applied, tz, days),
        "上岗": _by_day(hired, tz, days),
        "完成订单": _by_day(completed, tz, days),
    }
    figures = {
        "today_applied": daily["报名"][-1],
        "today_placed": daily["上岗"][-1] + daily["完成订单"][-1],
        "month_applied": sum(1 for s in applied if s >= month_start),
        "open_postings": open_postings or 0,
        "open_places": open_places or 0,
        "new_month": new_month or 0,
        "pending_orders": pending_orders or 0,
        "long_waiting": waiting,
    }
    return render(
        request,
        "staff/dashboard.html",
        {
            "staff": staff,
            "figures": figures,
            "health": health,
            "trade_chart": charts.bars([(n, c) for n, c in by_trade], title="在招岗位（按工种）", unit="个"),
            "daily_chart": charts.columns(labels, daily, title=f"近{DAYS}天 报名、上岗与完成订单"),
            "station_chart": charts.bars(
                sorted(((name, per_station.get(sid, 0)) for sid, name in stations.items()), key=lambda r: -r[1])[:12],
                title="本月报名（按驿站）",
                unit="人",
            ),
            "placed_chart": charts.bars(
                sorted(((name, placed_station.get(sid, 0)) for sid, name in stations.items()), key=lambda r: -r[1])[
                    :12
                ],
                title="本月上岗（按驿站）",
                unit="人",
            ),
            "takers_chart": charts.bars([(t["name"], t["count"]) for t in takers], title="本月接单王", unit="单"),
            "funnel": funnel,
        },
    )


def _sync_health(session, staff: Principal, head: int) -> dict:
    now = dt.datetime.now(dt.UTC)
    out = {"online": 0, "offline": 0, "never": 0, "revoked": 0, "behind": 0, "offline_names": []}
    for d in session.scalars(select(Device).where(*_scope(Device.station_id, staff))):
        if d.revoked_at is not None:
            out["revoked"] += 1
        elif d.last_seen_at is None:
            out["never"] += 1
        elif now - d.last_seen_at < ONLINE_WITHIN:
            out["online"] += 1
            out["behind"] += 1 if head > int((d.state or {}).get("cursor") or 0) else 0  # online, not up to date
        else:
            out["offline"] += 1
            out["offline_names"].append(d.name)
    return out
