"""Interview routes: staff offer slots and follow the day's schedule; a booth checks a worker in."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from hub.deps import DbDep, KeysDep, LimitsDep, SettingsDep, StaffDep, device_of_kind
from hub.devices.models import DeviceKind
from hub.devices.service import DeviceIdentity
from hub.errors import Invalid
from hub.fields import Day, IdPath
from hub.workers import service as workers
from hub.workers.schemas import Person
from wire import sealed
from wire.errors import SealError
from wire.protocol import INTERVIEW_CHECKIN_PATH

from . import links, service
from .schemas import CheckIn, CheckInAnswer, SlotOut, SlotsIn

router = APIRouter(tags=["interviews"])
BoothDep = Annotated[DeviceIdentity, device_of_kind(DeviceKind.BOOTH)]


@router.post("/api/v1/interviews/slots", response_model=list[SlotOut], status_code=201)
def offer_slots(body: SlotsIn, staff: StaffDep, db: DbDep, settings: SettingsDep) -> list[SlotOut]:
    with db.write() as session:
        return [SlotOut.of(s) for s in service.create(session, body, staff, settings.tz)]


@router.get("/api/v1/interviews/slots", response_model=list[SlotOut])
def schedule(
    staff: StaffDep,
    db: DbDep,
    settings: SettingsDep,
    day: Annotated[Day | None, Query(description="local date; default today")] = None,
) -> list[SlotOut]:
    """The day's interviews at the booths of the caller's stations (no-shows recorded first)."""
    with db.write() as session:
        service.record_no_shows(session)
        day = day or dt.datetime.now(settings.tz).date()
        return [SlotOut.of(s) for s in service.day_schedule(session, day, settings.tz, staff)]


@router.post("/api/v1/interviews/slots/{slot_id}/cancel", response_model=SlotOut)
def cancel_slot(slot_id: IdPath, staff: StaffDep, db: DbDep) -> SlotOut:
    with db.write() as session:
        return SlotOut.of(service.cancel(session, slot_id, staff))


@router.post("/api/v1/interviews/slots/{slot_id}/no-show", response_model=SlotOut)
def no_show(slot_id: IdPath, staff: StaffDep, db: DbDep) -> SlotOut:
    with db.write() as session:
        return SlotOut.of(service.mark_no_show(session, slot_id, staff))


@router.get("/api/v1/interviews/slots/{slot_id}/link")
def employer_link(slot_id: IdPath, staff: StaffDep, db: DbDep, keys: KeysDep, settings: SettingsDep) -> dict:
    """The link to send the employer: it opens the room in a browser, until the slot ends."""
    with db.read() as session:
        slot = service.get(session, slot_id, staff)
        return {"url": f"{settings.public_url}/i/{links.make(keys, slot.id)}"}


@router.post(INTERVIEW_CHECKIN_PATH, response_model=CheckInAnswer)
def check_in(
    body: CheckIn, booth: BoothDep, db: DbDep, keys: KeysDep, settings: SettingsDep, limits: LimitsDep
) -> CheckInAnswer:
    """A card at the booth: the worker's interview whose window is open now, or the next free slots."""
    limits.hit(limits.checkin, f"device:{booth.id}")
    try:
        person = Person.model_validate(keys.open(body.person, sealed.checkin_context(booth.id)))
    except (SealError, ValueError):
        raise Invalid("person: 身份信息无效", code="person.invalid", field="person") from None
    now = dt.datetime.now(dt.UTC)
    with db.write() as session:
        worker = workers.find(session, keys, person.id_number)
        slot = service.check_in(session, booth.id, worker.id, now) if worker is not None else None
        if slot is not None:
            return CheckInAnswer(
                found=True,
                room=slot.room,
                display_name=slot.masked_name or "求职者",
                posting_title=slot.posting.title,
                employer=slot.posting.employer.name,
                starts_at=slot.starts_at.timestamp(),
                ends_at=slot.ends_at.timestamp(),
            )
        free = [
            {"start": s.starts_at.timestamp(), "end": s.ends_at.timestamp(), "posting_title": s.posting.title}
            for s in service.next_free(session, booth.id, now)
        ]
        return CheckInAnswer(found=False, next_free=free, message="没有找到您现在的面试预约")
