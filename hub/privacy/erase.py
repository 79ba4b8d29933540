"""Erasing everything the hub holds about one worker, on their request (PIPL art. 47): found by the
keyed hash of their ID number, or by the phone they applied or registered with; the report says
what was removed, and neither the number nor the phone is written anywhere."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from hub.applications.models import Application
from hub.audit import service as audit
from hub.feed import service as feed
from hub.interviews import service as interviews
from hub.interviews.models import InterviewSlot, SlotStatus
from hub.keys import HubKeys
from hub.orders.models import HouseholdOrder
from hub.stations import figures
from hub.workers.models import Worker


def erase_worker(session: Session, keys: HubKeys, *, id_number: str | None = None, phone: str | None = None,
                 tz: dt.tzinfo = dt.UTC) -> dict[str, int]:
    """Deletes the worker records (registration, phone, wishes), their applications, their interview
    bookings (future ones cancelled, past ones unlinked) and their link to household orders."""
    hashes = [keys.id_hash(id_number)] if id_number else []
    conditions = [Worker.id_hash.in_(hashes)] if hashes else []
    if phone:
        conditions += [Worker.id_hash == keys.id_hash("tel:" + phone), Worker.phone == phone]
    if not conditions:
        raise ValueError("an ID number or a phone is needed")
    workers = list(session.scalars(select(Worker).where(or_(*conditions))))
    ids = [w.id for w in workers]
    report = {"workers": len(ids), "applications": 0, "bookings": 0, "orders": 0}
    if not ids:
        return report
    stations = set(session.scalars(select(Application.station_id).where(Application.worker_id.in_(ids))))
    report["applications"] = session.execute(
        delete(Application).where(Application.worker_id.in_(ids))).rowcount or 0
    now = dt.datetime.now(dt.UTC)
    for slot in session.scalars(select(InterviewSlot).where(InterviewSlot.worker_id.in_(ids))):
        if slot.status is SlotStatus.BOOKED and slot.starts_at > now:
            slot.status = SlotStatus.CANCELLED
            session.flush()
            feed.record(session, [interviews.slot_change(slot)])
        slot.worker_id, slot.masked_name, slot.booking_code = None, "", None
        report["bookings"] += 1
    for order in session.scalars(select(HouseholdOrder).where(HouseholdOrder.worker_id.in_(ids))):
        order.worker_id = None
        report["orders"] += 1
    session.flush()
    session.execute(delete(Worker).where(Worker.id.in_(ids)))
    figures.publish(session, [s for s in stations if s is not None], tz)
    audit.record_cli(session, "worker.erase", detail=report)
    return report
