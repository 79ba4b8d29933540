"""The phone pages of a course (`/c/<id>`) and a bus (`/d/<id>`), behind the QR on a sign-up's receipt:
when and where, what to bring, seats left, and whether it is still on (取消, 已发车) — nothing of
the worker who scanned it. Signing up stays at the kiosk, with the card."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.buses import service as buses
from hub.buses.models import Departure
from hub.deps import DbDep, SettingsDep
from hub.training import service as training
from hub.training.models import Course

from . import phone_place as place
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
WEEKDAYS = "一二三四五六日"
# Stages (the staff words of hub.training/hub.buses) a worker must not miss, shown as a warning.
STOPPED = frozenset({"已取消", "已发车", "已结束", "报名已截止", "已停止报名"})
NO_COURSE = {"title": "没有这期培训", "message": "没有找到这期培训，二维码可能已经过期。"}
NO_BUS = {"title": "没有这趟车", "message": "没有找到这趟车，二维码可能已经过期。"}


def day_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def age_text(low: int | None, high: int | None) -> str:
    if low and high:
        return f"{low}–{high}岁"
    return f"{low}岁以上" if low else (f"{high}岁以下" if high else "")


def _station(session, s: str | None) -> dict | None:
    """The station heading the page: the kiosk's own (`?s=` on the receipt's QR), else none."""
    asked = place.asked_station(s)
    stations = {st.id: st for st in place.all_stations(session)}
    return place.station_view(stations.get(asked)) if asked is not None else None


def course_view(c: Course, taken: int, tz: dt.tzinfo) -> dict:
    now = dt.datetime.now(dt.UTC)
    stage = training.stage(c, now.astimezone(tz).date(), now)
    who = [age_text(c.age_min, c.age_max), "已登记求职的零工" if c.registered_only else ""]
    return {
        "title": c.title,
        "trade": c.trade.name,
        "organiser": c.organiser,
        "dates": day_text(c.starts_on) + ("" if c.ends_on == c.starts_on else f" 到 {day_text(c.ends_on)}"),
        "schedule": c.schedule,
        "place": c.place,
        "cost": c.cost or "免费",
        "who": "，".join(w for w in who if w),
        "left": max(0, c.seats - taken),
        "seats": c.seats,
        "stage": stage,
        "stopped": stage in STOPPED,
        "until": f"{c.signup_until.astimezone(tz):%m月%d日 %H:%M}".lstrip("0"),
    }


def bus_view(d: Departure, taken: int, tz: dt.tzinfo) -> dict:
    now = dt.datetime.now(dt.UTC)
    stage = buses.stage(d, now)
    leaves = d.leaves_at.astimezone(tz)
    return {
        "destination": d.destination,
        "employer": d.employer.name,
        "verified": d.employer.verified_at is not None,
        "work": d.work,
        "leaves": f"{day_text(leaves.date())} {leaves:%H:%M}",
        "meeting": d.meeting_point,
        "bring": d.bring,
        "who": age_text(d.age_min, d.age_max),
        "left": max(0, d.seats - taken),
        "seats": d.seats,
        "stage": stage,
        "stopped": stage in STOPPED,
    }


@router.get("/c/{course_id}", response_class=HTMLResponse)
def course_page(course_id: str, request: Request, db: DbDep, settings: SettingsDep, s: str | None = None):
    with db.read() as session:
        course = session.get(Course, number) if (number := place.page_id(course_id)) else None
        if course is None:
            return render(request, "gone.html", NO_COURSE, 404)
        view = course_view(course, training.taken(session, course.id), settings.tz)
        station = _station(session, s)
    return render(request, "offer_course.html", {"c": view, "station": station})


@router.get("/d/{departure_id}", response_class=HTMLResponse)
def bus_page(departure_id: str, request: Request, db: DbDep, settings: SettingsDep, s: str | None = None):
    with db.read() as session:
        bus = session.get(Departure, number) if (number := place.page_id(departure_id)) else None
        # An employer suspended (hub.trust): its buses leave every screen, and this page too.
        if bus is None or bus.employer.suspended_at is not None:
            return render(request, "gone.html", NO_BUS, 404)
        view = bus_view(bus, buses.taken(session, bus.id), settings.tz)
        station = _station(session, s)
    return render(request, "offer_bus.html", {"d": view, "station": station})
