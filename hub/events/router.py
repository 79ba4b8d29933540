"""The route devices push their numbered events to."""

from __future__ import annotations

from fastapi import APIRouter

from hub.deps import DbDep, DeviceDep, KeysDep, SettingsDep
from hub.errors import HubError
from hub.metrics.instruments import EVENT_BATCHES_REFUSED, EVENTS
from wire.protocol import EVENTS_PATH

from . import service
from .schemas import BatchResult, EventBatch

router = APIRouter(tags=["sync"])


@router.post(EVENTS_PATH, response_model=BatchResult)
def post_events(batch: EventBatch, device: DeviceDep, db: DbDep, keys: KeysDep, settings: SettingsDep) -> BatchResult:
    """Applies each event not applied before, in order, in one transaction; safe to retry."""
    try:
        with db.write() as session:
            result = service.apply_batch(session, keys, device.id, batch, tz=settings.tz)
    except HubError as exc:
        EVENT_BATCHES_REFUSED.labels(exc.code).inc()
        raise
    # Counted once committed (a batch that fails to commit is sent again). Kinds reaching here are
    # the wire contract's (any other refuses the batch above), so the label stays bounded.
    kinds = {e.n: e.kind for e in batch.events}
    for r in result.results:
        EVENTS.labels(kinds[r.n], r.status).inc()
    return result
