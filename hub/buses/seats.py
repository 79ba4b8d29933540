"""Taking a seat on a bus with the card (a seat is a row, never more rows than seats), the manifest,
and boarding. An offline kiosk's sign-up is a request: the seat is the hub's to give, in the order
sign-ups reach it, and the kiosk says 已确认 only once the hub has said so (kiosk.buses)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor import idnumber
from floor.names import mask_name
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.seats import offers
from hub.staff.service import Principal
from hub.workers.models import Worker

from . import service
from .models import BusSeat, Departure, DepartureStatus

KIND = offers.Kind(Departure, BusSeat, BusSeat.departure_id, noun="包车", this="这趟包车")


def check_eligible(
    departure: Departure, id_number: str, station_id: int | None, at: dt.datetime, tz: dt.tzinfo = dt.UTC
) -> None:
    """Whether this worker may take a seat, as of `at` (when they tapped, an offline kiosk's time);
    a bus that has left takes nobody, whenever they tapped. Ages count on the day it leaves, in the
    hub's time (a 07:00 bus is the day before in UTC)."""
    if departure.status is DepartureStatus.CANCELLED:
        raise Conflict("这趟包车已取消", code="bus.cancelled")
    if departure.status is not DepartureStatus.OPEN or departure.employer.suspended_at is not None:
        raise Conflict("这趟包车已停止报名", code="bus.closed")
    if departure.leaves_at <= dt.datetime.now(dt.UTC):
        raise Conflict("这趟包车已经发车了", code="bus.left")
    if station_id is not None and not offers.shown_at(departure, station_id):
        raise Forbidden("这趟包车不在本驿站报名", code="bus.other_station")
    if at > departure.signup_until:
        raise Conflict("这趟包车的报名已经截止", code="bus.signup_over")
    age = idnumber.age_on(id_number, departure.leaves_at.astimezone(tz).date())
    if age is not None and departure.age_min is not None and age < departure.age_min:
        raise Conflict(f"这趟包车的活要求 {departure.age_min} 岁以上", code="bus.too_young")
    if age is not None and departure.age_max is not None and age > departure.age_max:
        raise Conflict(f"这趟包车的活要求 {departure.age_max} 岁以下", code="bus.too_old")


def sign_up(
    session: Session,
    departure_id: int,
    *,
    worker: Worker,
    id_number: str,
    name: str,
    phone: str,
    code: str,
    device_id: int | None,
    station_id: int | None,
    at: dt.datetime,
    cursor: int | None = None,
    tz: dt.tzinfo = dt.UTC,
) -> BusSeat:
    """Takes a seat on the bus (hub.seats.offers.take), by the departure's rules as of the tap."""
    return offers.take(
        session,
        KIND,
        departure_id,
        worker_id=worker.id,
        station_id=station_id,
        at=at,
        cursor=cursor,
        eligible=lambda departure, when: check_eligible(departure, id_number, station_id, when, tz),
        new_seat=lambda departure, when: BusSeat(
            departure=departure,
            worker_id=worker.id,
            code=code,
            device_id=device_id,
            station_id=station_id,
            signed_at=when,
            masked_name=mask_name(name) if name else "",
            phone=phone,
        ),
        publish=lambda departure: service.publish(session, departure),
    )


def manifest(session: Session, departure_id: int, by: Principal) -> tuple[Departure, list[BusSeat]]:
    """The seats the caller may see: all of a departure they run, else those of their stations."""
    departure = service.get(session, departure_id)
    if not offers.may_see(departure, by):
        raise Forbidden("这趟包车不在您的驿站", code="bus.not_yours")
    rows = session.scalars(
        select(BusSeat).where(BusSeat.departure_id == departure.id).order_by(BusSeat.signed_at, BusSeat.id)
    ).all()
    return departure, offers.visible(departure, rows, by)


def board(
    session: Session,
    departure_id: int,
    seat_id: int,
    by: Principal,
    *,
    boarded: bool,
    now: dt.datetime | None = None,
) -> BusSeat:
    """Boarding, marked at the bus by the departure's own staff, from BOARDING_FROM before it leaves."""
    now = now or dt.datetime.now(dt.UTC)
    departure = service.get(session, departure_id)
    if not offers.may_edit(departure, by):
        raise Forbidden("只有发这趟包车的驿站可以记上车", code="bus.edit_forbidden")
    seat = session.get(BusSeat, seat_id)
    if seat is None or seat.departure_id != departure.id:
        raise NotFound(f"这趟包车没有编号为 {seat_id} 的座位", code="bus.seat_not_found")
    if departure.status is DepartureStatus.CANCELLED:
        raise Conflict("这趟包车已取消，不能记上车", code="bus.cancelled")
    if boarded and now < departure.leaves_at - service.BOARDING_FROM:
        raise Invalid("还没到上车的时候（发车前6小时起可以记）", code="bus.not_yet", field="boarded")
    seat.boarded_at = (seat.boarded_at or now) if boarded else None
    session.flush()
    return seat
