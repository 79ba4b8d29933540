"""The route devices push their numbered events to."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request

from hub.deps import DbDep, DeviceDep, KeysDep, SettingsDep
from hub.errors import HubError
from hub.metrics.instruments import EVENT_BATCHES_REFUSED, EVENTS
from wire.protocol import EVENTS_PATH

from . import service
from .schemas import BatchResult, EventBatch

router = APIRouter(tags=["sync"])

# How many batches one hub process applies at a time; the others wait their turn in the event loop,
# holding no thread and no connection. A process runs Python in one thread at a time: more at once
# only overlap the database's round trips, and a batch that holds the feed's lock (every process
# waits on it) must not wait for the interpreter behind a dozen others. Sampled in a healing
# backlog on PostgreSQL with the thread pool's 40 at once: up to 28 transactions of the two
# processes queued on that lock (1.5 with two at a time).
AT_ONCE = 2


def intake_limiter() -> anyio.CapacityLimiter:
    """One per hub process (the app's lifespan makes it: a limiter belongs to an event loop)."""
    return anyio.CapacityLimiter(AT_ONCE)


@router.post(EVENTS_PATH, response_model=BatchResult)
async def post_events(
    batch: EventBatch, device: DeviceDep, db: DbDep, keys: KeysDep, settings: SettingsDep, request: Request
) -> BatchResult:
    """Applies each event not applied before, in order, in one transaction; safe to retry."""
    try:
        result = await anyio.to_thread.run_sync(
            _apply, db, keys, device.id, batch, settings.tz, limiter=request.app.state.intake
        )
    except HubError as exc:
        EVENT_BATCHES_REFUSED.labels(exc.code).inc()
        raise
    # Counted once committed (a batch that fails to commit is sent again). Kinds reaching here are
    # the wire contract's (any other refuses the batch above), so the label stays bounded.
    kinds = {e.n: e.kind for e in batch.events}
    for r in result.results:
        EVENTS.labels(kinds[r.n], r.status).inc()
    return result


def _apply(db, keys, device_id: int, batch: EventBatch, tz) -> BatchResult:
    with db.write() as session:
        return service.apply_batch(session, keys, device_id, batch, tz=tz)
