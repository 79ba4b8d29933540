"""The phone pages of a course (`/c/<id>`) and a bus (`/d/<id>`), behind the QR on a sign-up's receipt:
when and where, what to bring, seats left, and whether it is still on — nothing of the worker who
scanned it. Most who scan it hold a place already, so a course or bus that is off (取消, 已发车) says
so before anything else, while one merely closed to new sign-ups says, calmly, that those on it go
as planned. Signing up stays at the kiosk, with the card."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.buses import service as buses
from hub.buses.models import Departure, DepartureStatus
from hub.deps import DbDep, SettingsDep
from hub.training import service as training
from hub.training.models import Course, CourseStatus

from . import phone_place as place
from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
WEEKDAYS = "一二三四五六日"
OFF = frozenset({"已取消", "已结束", "已发车"})  # the stages (hub.training, hub.buses) when nobody goes
NO_COURSE = {
    "title": "没有这期培训",
    "message": "没有找到这期培训，二维码可能已经过期。",
    "hint": "有疑问请打驿站电话问。",
}
NO_BUS = {"title": "没有这趟车", "message": "没有找到这趟车，二维码可能已经过期。", "hint": "有疑问请打驿站电话问。"}
HELD_BUS = {
    "title": "这趟车暂停了",
    "message": "这趟车暂停报名和发车。请先不要去上车地点。",
    "hint": "请打驿站电话问清楚。",
}


def day_text(day: dt.date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def deadline_text(at: dt.datetime) -> str:
    """报名截止 in the words people use: midnight is the night before (00:00 on the first day reads,
    to many, as "sign up on the day")."""
    if at.time() == dt.time():
        return f"{day_text(at.date() - dt.timedelta(days=1))}晚上12点前"
    return f"{day_text(at.date())} {at:%H:%M}前"


def age_text(low: int | None, high: int | None) -> str:
    if low and high:
        return f"{low}–{high}岁"
    return f"{low}岁以上" if low else (f"{high}岁以下" if high else "")


def _station(stations: list, offer, s: str | None) -> dict | None:
    """The station heading the page (its phone, its hotline): the kiosk's own (`?s=` on the receipt's
    QR), else the offering's first own station, else the district's market (the first)."""
    by_id = {st.id: st for st in stations}
    asked = place.asked_station(s)
    own = [] if offer is None or offer.all_stations else sorted(offer.stations, key=lambda st: st.id)
    chosen = by_id.get(asked) if asked in by_id else (own[0] if own else (stations[0] if stations else None))
    return place.station_view(chosen)


def _where(offer) -> str:
    """Where sign-ups are taken, when only at some stations (the others' kiosks refuse them)."""
    return "" if offer.all_stations else "、".join(st.name for st in sorted(offer.stations, key=lambda st: st.id))


def course_view(c: Course, taken: int, tz: dt.tzinfo) -> dict:
    now = dt.datetime.now(dt.UTC)
    stage = training.stage(c, now.astimezone(tz).date(), now)
    left = max(0, c.seats - taken)
    closed = c.status is not CourseStatus.OPEN or c.signup_until <= now or left == 0
    return {
        "title": c.title,
        "trade": c.trade.name,
        "organiser": c.organiser,
        "first": day_text(c.starts_on),
        "last": "" if c.ends_on == c.starts_on else day_text(c.ends_on),
        "schedule": c.schedule,
        "place": c.place,
        "cost": c.cost,  # "" is free (免费)
        "age": age_text(c.age_min, c.age_max),
        "registered_only": c.registered_only,
        "left": left,
        "seats": c.seats,
        "stage": stage,
        "off": stage in OFF,
        "closed": closed,
        "full": left == 0,
        "until": deadline_text(c.signup_until.astimezone(tz)),
        "where": _where(c),
    }


def bus_view(d: Departure, taken: int, tz: dt.tzinfo) -> dict:
    now = dt.datetime.now(dt.UTC)
    stage = buses.stage(d, now)
    left = max(0, d.seats - taken)
    leaves = d.leaves_at.astimezone(tz)
    return {
        "destination": d.destination,
        "employer": d.employer.name,
        "verified": d.employer.verified_at is not None,
        "work": d.work,
        "day": day_text(leaves.date()),
        "time": f"{leaves:%H:%M}",
        "meeting": d.meeting_point,
        "bring": d.bring,
        "age": age_text(d.age_min, d.age_max),
        "left": left,
        "seats": d.seats,
        "stage": stage,
        "off": stage in OFF,
        "closed": d.status is not DepartureStatus.OPEN or d.signup_until <= now or left == 0,
        "full": left == 0,
        "until": deadline_text(d.signup_until.astimezone(tz)),
        "where": _where(d),
    }


@router.get("/c/{course_id}", response_class=HTMLResponse)
def course_page(course_id: str, request: Request, db: DbDep, settings: SettingsDep, s: str | None = None):
    with db.read() as session:
        course = session.get(Course, number) if (number := place.page_id(course_id)) else None
        station = _station(place.all_stations(session), course, s)
        if course is None:
            return render(request, "gone.html", NO_COURSE | {"station": station}, 404)
        view = course_view(course, training.taken(session, course.id), settings.tz)
    return render(request, "offer_course.html", {"c": view, "station": station})


@router.get("/d/{departure_id}", response_class=HTMLResponse)
def bus_page(departure_id: str, request: Request, db: DbDep, settings: SettingsDep, s: str | None = None):
    with db.read() as session:
        bus = session.get(Departure, number) if (number := place.page_id(departure_id)) else None
        station = _station(place.all_stations(session), bus, s)
        if bus is None:
            return render(request, "gone.html", NO_BUS | {"station": station}, 404)
        if bus.employer.suspended_at is not None:  # (hub.trust) its buses leave every screen, this page says why
            return render(request, "gone.html", HELD_BUS | {"station": station}, 404)
        view = bus_view(bus, buses.taken(session, bus.id), settings.tz)
    return render(request, "offer_bus.html", {"d": view, "station": station})
