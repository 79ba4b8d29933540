"""The kiosk's question "do you know this worker?", asked with the ID number sealed to the hub."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from floor.phone import mask_phone
from hub.applications.models import Application
from hub.deps import DbDep, KeysDep, LimitsDep, device_of_kind
from hub.devices.models import DeviceKind
from hub.devices.service import DeviceIdentity
from hub.errors import Invalid
from hub.fields import Input
from hub.outreach import service as outreach
from hub.training import signups as training
from hub.workers.schemas import Person
from wire import sealed
from wire.errors import SealError
from wire.protocol import WORKER_LOOKUP_PATH

from . import service

router = APIRouter(tags=["workers"])
KioskDevice = Annotated[DeviceIdentity, device_of_kind(DeviceKind.KIOSK, DeviceKind.BOOTH)]


class LookupRequest(Input):
    person: str = Field(description="a sealed Person; only id_number is used")


class LookupAnswer(BaseModel):
    known: bool
    intention: dict = Field(default_factory=dict)
    phone_masked: str = ""
    applied: list[int] = Field(default_factory=list)
    new: list[int] = Field(default_factory=list, description="postings found for them since their last card (新)")
    certified: list[int] = Field(
        default_factory=list, description="trades of courses they completed (结业): 持证 postings of these rank first"
    )


@router.post(WORKER_LOOKUP_PATH, response_model=LookupAnswer)
def lookup(body: LookupRequest, device: KioskDevice, db: DbDep, keys: KeysDep, limits: LimitsDep) -> LookupAnswer:
    """What the hub knows of the worker at this kiosk's reader. Sealed for this kiosk (a lookup
    sealed elsewhere does not open here) and limited per kiosk: a visit a minute and then some."""
    limits.hit(limits.worker_lookup, f"device:{device.id}")
    try:
        person = Person.model_validate(keys.open(body.person, sealed.lookup_context(device.id)))
    except (SealError, ValueError):
        raise Invalid("person: 身份信息无效", code="person.invalid", field="person") from None
    with db.read() as session:
        worker = service.find(session, keys, person.id_number)
        if worker is None:
            return LookupAnswer(known=False)
        applied = session.scalars(select(Application.posting_id).where(Application.worker_id == worker.id))
        worker_id = worker.id
        answer = LookupAnswer(
            known=worker.registered_at is not None,
            intention=worker.intention or {},
            phone_masked=mask_phone(worker.phone) if worker.phone else "",
            applied=sorted(applied),
            certified=sorted(training.completed_trades(session, worker.id)),
        )
    if answer.known:  # the postings that found them since their last card, marked seen as they are sent
        with db.write() as session:
            answer.new = outreach.new_for_kiosk(session, worker_id, dt.datetime.now(dt.UTC))
    return answer
