"""Exactly-once intake: each (device, number) is applied once, a whole batch in one transaction."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from hub.devices.models import Device
from hub.errors import Forbidden, NotFound
from hub.keys import HubKeys
from hub.stations import figures
from sync.protocol import ALLOWED_EVENTS

from .handlers import HANDLERS, EventContext, Rejected
from .models import DeviceEvent
from .schemas import BatchResult, EventBatch, EventResult


def apply_batch(session: Session, keys: HubKeys, device_id: int, batch: EventBatch,
                tz: dt.tzinfo = dt.UTC) -> BatchResult:
    # Lock the device row: two deliveries of one batch through two hub processes queue here,
    # and the second finds every number already applied.
    device = session.scalar(select(Device).where(Device.id == device_id)
                            .options(lazyload(Device.station)).with_for_update())
    if device is None:
        raise NotFound("device gone")
    allowed = ALLOWED_EVENTS[device.kind.value]
    refused = sorted({e.kind for e in batch.events} - allowed)
    if refused:
        raise Forbidden(f"a {device.kind.value} may not send {', '.join(refused)} events")
    last = device.last_event_n
    results: list[EventResult] = []
    placed_applications = 0
    for event in sorted(batch.events, key=lambda e: e.n):
        if event.n <= last:
            results.append(EventResult(n=event.n, status="duplicate"))
            continue
        at = dt.datetime.fromtimestamp(event.at, dt.UTC)
        ctx = EventContext(session, keys, device, event.n, at, tz)
        status, reason, ref = "applied", "", ""
        try:
            handler = HANDLERS.get(event.kind)
            if handler is None:
                raise Rejected(f"this hub does not take {event.kind} events yet")
            with session.begin_nested():  # a rejected event leaves nothing half-written
                ref = handler(ctx, event.body)
        except Rejected as exc:
            status, reason = "rejected", str(exc)[:200]
        session.add(DeviceEvent(device_id=device.id, n=event.n, uid=event.uid, kind=event.kind,
                                status=status, reason=reason, ref=ref, created_at=at))
        results.append(EventResult(n=event.n, status=status, reason=reason, ref=ref))
        placed_applications += status == "applied" and event.kind == "application"
        last = event.n
    device.last_event_n = last
    device.last_seen_at = dt.datetime.now(dt.UTC)
    if placed_applications:
        figures.publish(session, [device.station_id], tz)  # the station's count of the day moved
    return BatchResult(applied_through=last, results=results)
