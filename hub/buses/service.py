"""Offering a chartered bus: the rules of a departure's fields, who may change it, what devices are sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.employers.models import Employer
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.postings.models import Posting
from hub.seats import offers
from hub.staff.service import Principal
from hub.trust import screening

from .models import BusSeat, Departure, DepartureStatus
from .schemas import DepartureIn, DeparturePatch

# Sign-ups close this long before the bus leaves by default: staff print the manifest and call
# whoever has not confirmed, and a worker signing up at 6:55 for the 7:00 bus would miss it anyway.
CLOSE_BEFORE = dt.timedelta(hours=2)
MAX_AHEAD = dt.timedelta(days=180)  # a bus half a year away is a typing mistake
# Boarding is marked at the bus: from a few hours before it leaves (not the day before).
BOARDING_FROM = dt.timedelta(hours=6)


def problems(values: Mapping[str, Any], now: dt.datetime | None = None) -> list[Invalid]:
    """Every rule between fields that `values` break (a field left out is not checked)."""
    found = []
    leaves, until = values.get("leaves_at"), values.get("signup_until")
    if leaves is not None and now is not None and leaves - now > MAX_AHEAD:
        found.append(Invalid("发车时间不能在半年以后", code="bus.too_far", field="leaves_at"))
    if leaves is not None and now is not None and leaves <= now:
        found.append(Invalid("发车时间已经过了", code="bus.left", field="leaves_at"))
    if leaves is not None and until is not None and until > leaves:
        found.append(Invalid("报名截止不能晚于发车时间", code="bus.signup_after_leaving", field="signup_until"))
    elif until is not None and now is not None and until <= now and values.get("new"):
        found.append(Invalid("报名截止时间已经过了", code="bus.signup_over", field="signup_until"))
    for key in ("work", "bring"):  # what postings may not ask of a worker, a bus may not either
        fees = screening.fee_words(values.get(key) or "")
        if fees:
            found.append(Invalid(f"不能向零工收取费用（{'、'.join(fees)}）", code="bus.fees", field=key))
    low, high = values.get("age_min"), values.get("age_max")
    if low is not None and high is not None and high < low:
        found.append(Invalid("年龄上限不能小于下限", code="bus.age_range", field="age_max"))
    return found


def taken(session: Session, departure_id: int) -> int:
    return offers.count(session, BusSeat.departure_id, departure_id)


def taken_by_departure(session: Session, departure_ids: Iterable[int]) -> dict[int, int]:
    return offers.count_by(session, BusSeat.departure_id, departure_ids)


def departure_doc(d: Departure, taken_now: int) -> dict:
    """What a kiosk needs to offer the seat and a wall to count down to the bus, seats left included."""
    return {
        "id": d.id,
        "destination": d.destination,
        "employer": d.employer_id,
        "employer_name": d.employer.name,
        "work": d.work,
        "postings": sorted(p.id for p in d.postings),
        "meeting": d.meeting_point,
        "leaves_at": feed.epoch(d.leaves_at),
        "seats": d.seats,
        "left": max(0, d.seats - taken_now),
        "bring": d.bring,
        "age_min": d.age_min,
        "age_max": d.age_max,
        "to": feed.epoch(d.signup_until),  # offered until sign-ups close: the feed drops it then
    }


def publish(session: Session, departure: Departure) -> None:
    """Open departures are offered where they are shown; closed or cancelled ones, and those of an
    employer suspended (hub.trust), are withdrawn."""
    live = departure.status is DepartureStatus.OPEN and departure.employer.suspended_at is None
    doc = departure_doc(departure, taken(session, departure.id)) if live else None
    change = feed.Change("departure", departure.id, offers.scope(departure), doc, reason=departure.status.value)
    feed.record(session, [change])


def republish_employer(session: Session, employer_id: int) -> None:
    """An employer suspended or restored (hub.trust): its open buses leave every screen, or come back."""
    for departure in session.scalars(
        select(Departure).where(Departure.employer_id == employer_id, Departure.status == DepartureStatus.OPEN)
    ):
        publish(session, departure)


def _postings(session: Session, departure: Departure, posting_ids: list[int]) -> None:
    """The employer's own postings that the bus takes workers to (none: the work in words says it)."""
    ids = sorted(set(posting_ids))
    rows = list(session.scalars(select(Posting).where(Posting.id.in_(ids)))) if ids else []
    if len(rows) != len(ids) or any(p.employer_id != departure.employer_id for p in rows):
        raise Invalid("所选岗位里有不存在的，或不是这家用人单位的", code="bus.posting_unknown", field="posting_ids")
    departure.postings = rows


def _check(departure: Departure, now: dt.datetime, *, new: bool = False, changed: set[str] | None = None) -> None:
    """The rules between fields; on an edit, the time rules only for the times it changes (a bus
    whose sign-ups closed may still have its meeting point corrected)."""
    keys = {"leaves_at", "signup_until", "age_min", "age_max", "work", "bring"}
    if changed is not None and not changed & {"leaves_at", "signup_until"}:
        keys -= {"leaves_at", "signup_until"}
    found = problems({k: getattr(departure, k) for k in keys} | {"new": new}, now)
    if found:
        raise found[0]


def create(session: Session, data: DepartureIn, by: Principal, now: dt.datetime | None = None) -> Departure:
    now = now or dt.datetime.now(dt.UTC)
    departure = Departure(**data.model_dump(exclude={"station_ids", "posting_ids"}))
    departure.signup_until = data.signup_until or data.leaves_at - CLOSE_BEFORE
    employer = session.get(Employer, data.employer_id)
    if employer is None or employer.suspended_at is not None:
        raise Invalid("没有这家用人单位，或它已被暂停发布", code="bus.employer_unknown", field="employer_id")
    departure.employer = employer
    _postings(session, departure, data.posting_ids)
    offers.choose_stations(session, departure, data.station_ids, by)
    _check(departure, now, new=True)
    session.add(departure)
    session.flush()
    publish(session, departure)
    return departure


def get(session: Session, departure_id: int, *, lock: bool = False) -> Departure:
    query = select(Departure).where(Departure.id == departure_id)
    departure = session.scalar(query.with_for_update(of=Departure) if lock else query)
    if departure is None:
        raise NotFound(f"没有编号为 {departure_id} 的包车", code="bus.not_found")
    return departure


def editable(session: Session, departure_id: int, by: Principal) -> Departure:
    feed.lock(session)  # before the departure's row, as a sign-up takes them (hub.seats.offers.locked)
    departure = get(session, departure_id, lock=True)
    if not offers.may_edit(departure, by):
        raise Forbidden("发布到您的驿站以外的包车只有管理员可以修改", code="bus.edit_forbidden")
    return departure


def update(session: Session, departure_id: int, patch: DeparturePatch, by: Principal) -> Departure:
    departure = editable(session, departure_id, by)
    if departure.status is DepartureStatus.CANCELLED:
        raise Conflict("已取消的包车不能再改，请另发一趟", code="bus.cancelled")
    if departure.employer.suspended_at is not None:
        raise Conflict("这家用人单位已被暂停，它的包车不能再改", code="bus.employer_suspended")
    values = patch.model_dump(exclude_unset=True)
    for key, value in values.items():
        if value is None and key not in ("age_min", "age_max"):  # (only an age limit may be taken off)
            raise Invalid("这一项不能为空", code="bus.field_required", field=key)
    moved = "leaves_at" in values and "signup_until" not in values
    if moved and departure.signup_until == departure.leaves_at - CLOSE_BEFORE:  # the default moves with it
        values["signup_until"] = values["leaves_at"] - CLOSE_BEFORE
    held = taken(session, departure.id)
    if "seats" in values and values["seats"] < held:
        raise Conflict(f"已有 {held} 人报名，座位不能少于报名人数", code="bus.seats_below_taken", field="seats")
    for key, value in values.items():
        setattr(departure, key, value)
    _check(departure, dt.datetime.now(dt.UTC), changed=set(values))
    session.flush()
    publish(session, departure)
    return departure


def set_status(session: Session, departure_id: int, status: DepartureStatus, by: Principal) -> Departure:
    """Close sign-ups, cancel, or reopen (a cancelled departure stays cancelled)."""
    departure = editable(session, departure_id, by)
    if departure.status is DepartureStatus.CANCELLED and status is not DepartureStatus.CANCELLED:
        raise Conflict("已取消的包车不能重新开放，请另发一趟", code="bus.cancelled", field="status")
    departure.status = status
    session.flush()
    publish(session, departure)
    return departure


def stage(departure: Departure, now: dt.datetime) -> str:
    """Where a departure stands, in the words staff use: 已取消, 已发车, 报名已截止, 已停止报名, 报名中."""
    if departure.status is DepartureStatus.CANCELLED:
        return "已取消"
    if departure.leaves_at <= now:
        return "已发车"
    if departure.signup_until <= now:
        return "报名已截止"
    return "已停止报名" if departure.status is DepartureStatus.CLOSED else "报名中"


def listing(session: Session, by: Principal, *, left_after: dt.datetime) -> list[Departure]:
    """The departures the caller may see that leave after `left_after`, soonest first."""
    rows = session.scalars(
        select(Departure).where(Departure.leaves_at >= left_after).order_by(Departure.leaves_at, Departure.id)
    ).all()
    return [d for d in rows if offers.may_see(d, by)]
