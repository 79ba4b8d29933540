"""The kiosk's question "do you know this worker?", asked with the ID number sealed to the hub."""
from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from cardreader.names import mask_phone
from hub.applications.models import Application
from hub.deps import DbDep, KeysDep, device_of_kind
from hub.devices.models import DeviceKind
from hub.errors import Invalid
from hub.workers.schemas import Person
from sync.errors import SealError
from sync.protocol import WORKER_LOOKUP_PATH

from . import service

router = APIRouter(tags=["workers"])
KioskDep = device_of_kind(DeviceKind.KIOSK, DeviceKind.BOOTH)


class LookupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: str = Field(description="a sealed Person; only id_number is used")


class LookupAnswer(BaseModel):
    known: bool
    intention: dict = Field(default_factory=dict)
    phone_masked: str = ""
    applied: list[int] = Field(default_factory=list)


@router.post(WORKER_LOOKUP_PATH, response_model=LookupAnswer, dependencies=[KioskDep])
def lookup(body: LookupRequest, db: DbDep, keys: KeysDep) -> LookupAnswer:
    try:
        person = Person.model_validate(keys.open(body.person))
    except (SealError, ValueError) as exc:
        raise Invalid(f"person: {exc}".split("\n")[0], field="person") from None
    with db.read() as session:
        worker = service.find(session, keys, person.id_number)
        if worker is None:
            return LookupAnswer(known=False)
        applied = session.scalars(select(Application.posting_id).where(Application.worker_id == worker.id))
        return LookupAnswer(known=worker.registered_at is not None, intention=worker.intention or {},
                            phone_masked=mask_phone(worker.phone) if worker.phone else "", applied=sorted(applied))
