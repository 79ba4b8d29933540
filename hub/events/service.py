"""Exactly-once intake: each (device, number) is applied once, a whole batch in one transaction."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import insert, select
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm import Session, lazyload

from hub.devices.models import Device
from hub.errors import Forbidden, Invalid, NotFound
from hub.figures import service as figures
from hub.keys import HubKeys
from wire.protocol import ALLOWED_EVENTS

from .handlers import FEED_WRITERS, HANDLERS, EventContext, Rejected
from .models import DeviceEvent
from .schemas import BatchResult, EventBatch, EventIn, EventResult

log = logging.getLogger(__name__)
# A device numbers its events one after another; a batch holds at most a few hundred. A number
# further ahead than this cannot come from a device's outbox: taking it would make every real
# event after it look like a duplicate, so it is refused and the device's count stays as it was.
MAX_AHEAD = 100_000


def _apply(session: Session, handler, ctx: EventContext, body: dict) -> str:
    """One event in a savepoint of its own (a rejected event leaves nothing half-written). A unique
    row another hub process wrote a moment before (the same worker found new by two kiosks at once)
    conflicts once and is found at the second try; an event that conflicts again conflicts for good —
    its values clash with what the hub holds — and is refused alone: failing the batch would send it
    back for ever and hold every event behind it (the fault bench saw a device's outbox wedged so)."""
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                return handler(ctx, body)
        except IntegrityError as exc:
            if attempt == 2:
                log.warning("event %s/%d conflicts with what the hub holds: refused", ctx.kind, ctx.n)
                raise Rejected("与驿站系统里已有的记录冲突，没有收下") from exc
    raise AssertionError("unreachable")


def apply_batch(
    session: Session, keys: HubKeys, device_id: int, batch: EventBatch, tz: dt.tzinfo = dt.UTC
) -> BatchResult:
    # Lock the device row: two deliveries of one batch through two hub processes queue here,
    # and the second finds every number already applied.
    device = session.scalar(
        select(Device).where(Device.id == device_id).options(lazyload(Device.station)).with_for_update()
    )
    if device is None:
        raise NotFound("这台设备已不存在", code="device.gone")
    allowed = ALLOWED_EVENTS[device.kind.value]
    refused = sorted({e.kind for e in batch.events} - allowed)
    if refused:
        raise Forbidden(
            f"{device.kind.value} 类设备不能发送这些事件：{', '.join(refused)}", code="event.kind_forbidden"
        )
    last = device.last_event_n
    if batch.acked_through is not None and batch.acked_through > last:
        # This hub once acknowledged more of this device's events than it holds: it was restored
        # from an older backup. Taking this batch would make those numbers look like duplicates
        # for ever; the device sends what it kept of them first, in order.
        log.warning(
            "device %d: events %d–%d were lost with a restore; asking for them again",
            device.id,
            last + 1,
            batch.acked_through,
        )
        return BatchResult(applied_through=last, results=[], resend_from=last + 1)
    beyond = [e.n for e in batch.events if e.n > last + MAX_AHEAD]
    if beyond:
        raise Invalid(
            f"事件编号 {min(beyond)} 远超这台设备的下一个编号（{last + 1}），这一批都没有收下",
            code="event.number_beyond",
            field="events.n",
        )
    results: dict[int, EventResult] = {}
    placed_applications = 0
    taken: list[dict] = []  # the batch's event rows, written in one statement after it
    fresh: dict[int, EventIn] = {}
    for event in batch.events:
        if event.n <= last:
            results[event.n] = EventResult(n=event.n, status="duplicate")
        else:
            fresh.setdefault(event.n, event)
    # Events that write the feed go after the batch's others (by number among themselves): its lock,
    # which serialises every hub process, is then held for the batch's tail, not the whole of it
    # (handlers.FEED_WRITERS). Each event is judged by the rules as of its tap, so the order decides
    # nothing else, with one exception: a seat on a course for registered workers, asked for before
    # registering, offline, in the same batch, is given.
    for event in sorted(fresh.values(), key=lambda e: (e.kind in FEED_WRITERS, e.n)):
        at = dt.datetime.fromtimestamp(event.at, dt.UTC)
        ctx = EventContext(session, keys, device, event.kind, event.n, at, tz)
        status, reason, ref = "applied", "", ""
        try:
            handler = HANDLERS.get(event.kind)
            if handler is None:
                raise Rejected(f"this hub does not take {event.kind} events yet")
            ref = _apply(session, handler, ctx, event.body)
            reason = ctx.note
        except Rejected as exc:
            status, reason = "rejected", str(exc)[:200]
        except StatementError as exc:
            # The database (or its driver) refused this event's values, in a way the checks above
            # did not foresee: refusing this event alone keeps the device sending the rest, where a
            # retry would fail the same way for ever. A database that is down, busy or in conflict
            # is another matter: that fails the batch, which the device sends again.
            if not (isinstance(exc, DataError) or isinstance(exc.orig, (ValueError, TypeError))):
                raise
            log.warning("event %s/%d refused by the database: %s", event.kind, event.n, type(exc.orig).__name__)
            status, reason = "rejected", "the hub could not store this event's values"
        taken.append(
            {
                "device_id": device.id,
                "n": event.n,
                "uid": event.uid,
                "kind": event.kind,
                "status": status,
                "reason": reason,
                "ref": ref,
                "created_at": at,
            }
        )
        results[event.n] = EventResult(n=event.n, status=status, reason=reason, ref=ref)
        placed_applications += status == "applied" and event.kind == "application"
    if taken:
        session.execute(insert(DeviceEvent), taken)
    last = max([last, *fresh])
    device.last_event_n = last
    device.last_seen_at = dt.datetime.now(dt.UTC)
    if placed_applications:
        figures.publish(session, [device.station_id], tz)  # the station's count of the day moved
    return BatchResult(applied_through=last, results=[results[n] for n in sorted(results)])
