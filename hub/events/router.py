"""The route devices push their numbered events to."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, DeviceDep, KeysDep, SettingsDep
from wire.protocol import EVENTS_PATH

from . import service
from .schemas import BatchResult, EventBatch

router = APIRouter(tags=["sync"])


@router.post(EVENTS_PATH, response_model=BatchResult)
def post_events(batch: EventBatch, device: DeviceDep, db: DbDep, keys: KeysDep, settings: SettingsDep) -> BatchResult:
    """Applies each event not applied before, in order, in one transaction; safe to retry."""
    with db.write() as session:
        return service.apply_batch(session, keys, device.id, batch, tz=settings.tz)
