"""Offering, booking and checking in to interview slots; each booth holds one interview at a time."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from floor.names import mask_name
from hub.devices.models import Device, DeviceKind
from hub.errors import Conflict, Forbidden, Invalid, NotFound
from hub.feed import service as feed
from hub.postings import service as postings
from hub.staff.service import Principal

from .models import InterviewSlot, SlotStatus
from .schemas import SlotsIn

CHECK_IN_EARLY = dt.timedelta(minutes=15)  # a worker may check in this long before the slot


def slot_doc(s: InterviewSlot) -> dict:
    """What a kiosk needs to offer the slot: when, where, for which posting."""
    return {
        "id": s.id,
        "posting": s.posting_id,
        "booth": s.booth_id,
        "station": s.booth.station_id,
        "place": f"{s.booth.station.name} {s.booth.name}",
        "start": feed.epoch(s.starts_at),
        "end": feed.epoch(s.ends_at),
        "to": feed.epoch(s.starts_at),
    }  # offered until it starts: the feed drops it then


def slot_change(s: InterviewSlot) -> feed.Change:
    """Open slots are offered where the posting is shown; booked or cancelled ones are withdrawn."""
    live = s.status is SlotStatus.OPEN
    return feed.Change(
        "slot", s.id, postings.posting_scope(s.posting), slot_doc(s) if live else None, reason=s.status.value
    )


def _booth(session: Session, booth_id: int, by: Principal) -> Device:
    booth = session.get(Device, booth_id)
    if booth is None or booth.kind is not DeviceKind.BOOTH:
        raise Invalid("请选择一个面试间（类型为“面试间”的设备）", code="interview.booth_needed", field="booth_id")
    if booth.revoked_at is not None:
        raise Invalid("这个面试间已停用", code="interview.booth_revoked", field="booth_id")
    by.require_station(booth.station_id)
    return booth


def _clash(session: Session, booth_id: int, start: dt.datetime, end: dt.datetime) -> InterviewSlot | None:
    return session.scalar(
        select(InterviewSlot)
        .where(
            InterviewSlot.booth_id == booth_id,
            InterviewSlot.status != SlotStatus.CANCELLED,
            InterviewSlot.starts_at < end,
            InterviewSlot.ends_at > start,
        )
        .limit(1)
    )


def problems(values: Mapping[str, Any], now: dt.datetime | None = None) -> list[Invalid]:
    """What is wrong with slots' fields beyond each field's own shape (any may be left out)."""
    start = values.get("starts_at")
    if start is not None and start <= (now or dt.datetime.now(dt.UTC)):
        return [Invalid("面试时间必须在将来", code="interview.in_past", field="starts_at")]
    return []


def create(
    session: Session, data: SlotsIn, by: Principal, tz: dt.tzinfo, now: dt.datetime | None = None
) -> list[InterviewSlot]:
    """Consecutive slots at one booth. A booth hosts one interview at a time: a slot overlapping
    another (of any posting) is refused, and so the whole request is."""
    now = now or dt.datetime.now(dt.UTC)
    posting = postings.get(session, data.posting_id)
    booth = _booth(session, data.booth_id, by)
    found = problems(data.model_dump(), now)
    if found:
        raise found[0]
    length = dt.timedelta(minutes=data.minutes)
    made = []
    for i in range(data.count):
        start = data.starts_at + i * length
        clash = _clash(session, booth.id, start, start + length)
        if clash is not None:
            when = f"{clash.starts_at.astimezone(tz):%m-%d %H:%M}–{clash.ends_at.astimezone(tz):%H:%M}"
            raise Conflict(
                f"{booth.name}在 {when} 已有安排（一个面试间同一时间只能面试一场）",
                code="interview.booth_busy",
                field="starts_at",
            )
        slot = InterviewSlot(
            posting=posting,
            booth=booth,
            starts_at=start,
            ends_at=start + length,
            room="lg-" + secrets.token_urlsafe(16),
            status=SlotStatus.OPEN,
        )
        session.add(slot)
        session.flush()
        made.append(slot)
    feed.record(session, [slot_change(s) for s in made])
    return made


def get(session: Session, slot_id: int, by: Principal | None = None) -> InterviewSlot:
    slot = session.get(InterviewSlot, slot_id)
    if slot is None:
        raise NotFound(f"没有编号为 {slot_id} 的面试时间", code="interview.not_found")
    if by is not None:
        by.require_station(slot.booth.station_id)
    return slot


def check_not_lost(session: Session, slot: InterviewSlot, cursor: int | None) -> None:
    """A kiosk booked from what a hub showed before it was restored from an older backup: a slot
    made after the restore has the id of one the restore lost, and is not the one the worker chose."""
    restored = feed.restored_after(session, cursor) if cursor is not None else None
    if restored is not None and slot.created_at >= restored:
        raise Conflict("预约的面试时段已不在了（系统从备份恢复过）", code="booking.lost_in_restore", field="slot")


def book(
    session: Session,
    slot_id: int,
    *,
    worker_id: int,
    name: str,
    device_id: int | None,
    code: str,
    station_id: int | None = None,
    now: dt.datetime | None = None,
) -> InterviewSlot:
    """Holds the slot (and so its booth) for one worker; a second booking of it is refused, and so
    is one from a kiosk at a station where the slot's posting is not shown."""
    now = now or dt.datetime.now(dt.UTC)
    slot = session.get(InterviewSlot, slot_id)
    if slot is None or slot.status is SlotStatus.CANCELLED:
        raise Conflict("这个面试时间已取消，请另选时间", code="interview.cancelled")
    if station_id is not None and not postings.shown_at(slot.posting, station_id):
        raise Forbidden("这个面试不在本驿站预约", code="interview.other_station")
    if slot.worker_id == worker_id:
        return slot  # the same booking again (sent twice from two kiosks): nothing changes
    if slot.status is not SlotStatus.OPEN:
        raise Conflict("这个面试时间已经被别人约了，请另选时间", code="interview.taken")
    if slot.starts_at <= now:
        raise Conflict("这个面试时间已经过了，请另选时间", code="interview.past")
    overlapping = session.scalar(
        select(InterviewSlot.id)
        .where(
            InterviewSlot.worker_id == worker_id,
            InterviewSlot.status == SlotStatus.BOOKED,
            InterviewSlot.starts_at < slot.ends_at,
            InterviewSlot.ends_at > slot.starts_at,
        )
        .limit(1)
    )
    if overlapping is not None:
        raise Conflict("您在这个时间已经约了别的面试", code="interview.double_booked")
    slot.status, slot.worker_id, slot.booked_at = SlotStatus.BOOKED, worker_id, now
    slot.masked_name, slot.booked_device_id, slot.booking_code = mask_name(name) if name else "", device_id, code
    session.flush()
    feed.record(session, [slot_change(slot)])
    return slot


def cancel(session: Session, slot_id: int, by: Principal) -> InterviewSlot:
    slot = get(session, slot_id, by)
    if slot.status is not SlotStatus.CANCELLED:
        slot.status = SlotStatus.CANCELLED
        feed.record(session, [slot_change(slot)])
    return slot


def mark_no_show(session: Session, slot_id: int, by: Principal) -> InterviewSlot:
    slot = get(session, slot_id, by)
    if slot.worker_id is None or slot.checked_in_at is not None:
        raise Conflict("只有已预约、未签到的面试能记为未到", code="interview.no_show_invalid", field="status")
    slot.no_show_at = slot.no_show_at or dt.datetime.now(dt.UTC)
    return slot


def record_no_shows(session: Session, now: dt.datetime | None = None) -> int:
    """Booked slots that ended without a check-in are no-shows (recorded at the slot's end)."""
    now = now or dt.datetime.now(dt.UTC)
    missed = session.scalars(
        select(InterviewSlot).where(
            InterviewSlot.status == SlotStatus.BOOKED,
            InterviewSlot.ends_at <= now,
            InterviewSlot.checked_in_at.is_(None),
            InterviewSlot.no_show_at.is_(None),
        )
    ).all()
    for slot in missed:
        slot.no_show_at = slot.ends_at
    return len(missed)


def check_in(session: Session, booth_id: int, worker_id: int, now: dt.datetime | None = None) -> InterviewSlot | None:
    """The worker's booked slot at this booth whose window (15 minutes before to its end) is open now."""
    now = now or dt.datetime.now(dt.UTC)
    slot = session.scalar(
        select(InterviewSlot)
        .where(
            InterviewSlot.booth_id == booth_id,
            InterviewSlot.worker_id == worker_id,
            InterviewSlot.status == SlotStatus.BOOKED,
            InterviewSlot.starts_at <= now + CHECK_IN_EARLY,
            InterviewSlot.ends_at > now,
        )
        .order_by(InterviewSlot.starts_at)
        .limit(1)
    )
    if slot is not None and slot.checked_in_at is None:
        slot.checked_in_at = now
    return slot


def next_free(session: Session, booth_id: int, now: dt.datetime | None = None, limit: int = 3) -> list[InterviewSlot]:
    now = now or dt.datetime.now(dt.UTC)
    return list(
        session.scalars(
            select(InterviewSlot)
            .where(
                InterviewSlot.booth_id == booth_id,
                InterviewSlot.status == SlotStatus.OPEN,
                InterviewSlot.starts_at > now,
            )
            .order_by(InterviewSlot.starts_at)
            .limit(limit)
        )
    )


def day_schedule(session: Session, day: dt.date, tz: dt.tzinfo, by: Principal) -> list[InterviewSlot]:
    start = dt.datetime.combine(day, dt.time(), tz)
    rows = session.scalars(
        select(InterviewSlot)
        .where(InterviewSlot.starts_at >= start, InterviewSlot.starts_at < start + dt.timedelta(days=1))
        .order_by(InterviewSlot.booth_id, InterviewSlot.starts_at)
    ).all()
    return [s for s in rows if by.may_station(s.booth.station_id)]
