"""Erasing everything the hub holds about one worker, on their request (PIPL art. 47): found by the
keyed hash of their ID number, and by the phone they applied, registered or ordered with; the report
says what was removed, and neither the number nor the phone is written anywhere."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from hub.applications.models import Application
from hub.audit import service as audit
from hub.buses import service as buses
from hub.buses.models import BusSeat, Departure
from hub.events.models import DeviceEvent
from hub.fairs import service as fairs
from hub.fairs.models import Booth, Fair, Ticket
from hub.feed import service as feed
from hub.figures import service as figures
from hub.interviews import service as interviews
from hub.interviews.models import InterviewSlot, SlotStatus
from hub.keys import HubKeys
from hub.orders.models import HouseholdOrder
from hub.training import service as training
from hub.training.models import Course, Signup
from hub.trust.models import Report
from hub.workers.models import Worker


def erase_worker(
    session: Session, keys: HubKeys, *, id_number: str | None = None, phone: str | None = None, tz: dt.tzinfo = dt.UTC
) -> dict[str, int]:
    """Deletes the worker records (registration, phone, wishes) — the card's and the phone's, which
    are one person — their applications (by worker, and any carrying their phone), their interview
    bookings (future ones cancelled and offered again, past ones unlinked), their seats on courses and
    buses, their numbers at fairs, their link to household orders dispatched to them, and the phone,
    address and words of orders they placed themselves."""
    conditions = []
    if id_number:
        conditions.append(Worker.id_hash == keys.id_hash(id_number))
    if phone:
        conditions += [Worker.id_hash == keys.id_hash("tel:" + phone), Worker.phone == phone]
    if not conditions:
        raise ValueError("an ID number or a phone is needed")
    workers = list(session.scalars(select(Worker).where(or_(*conditions))))
    # The phones this person used: the one given, and the one a registration kept. Their phone-page
    # worker (a keyed hash of the phone) is the same person too.
    phones = {p for p in [phone, *(w.phone for w in workers)] if p}
    if phones:
        more = session.scalars(select(Worker).where(Worker.id_hash.in_([keys.id_hash("tel:" + p) for p in phones])))
        workers += [w for w in more if w not in workers]
    ids = [w.id for w in workers]
    masked = {w.id_masked for w in workers if w.id_masked}
    # As every seat taker does (hub.seats.offers.locked): a sign-up for this worker committing between
    # the seats' deletion and the worker's would otherwise fail the erasure on its foreign key.
    feed.lock(session)
    report = {
        "workers": len(ids),
        "applications": 0,
        "bookings": 0,
        "course_signups": 0,
        "bus_seats": 0,
        "fair_tickets": 0,
        "orders_unlinked": 0,
        "orders_erased": 0,
    }
    if not ids and not phones:
        return report
    applied = or_(Application.worker_id.in_(ids), Application.phone.in_(phones))
    stations = set(session.scalars(select(Application.station_id).where(applied)))
    report["applications"] = session.execute(delete(Application).where(applied)).rowcount or 0
    now = dt.datetime.now(dt.UTC)
    for slot in session.scalars(select(InterviewSlot).where(InterviewSlot.worker_id.in_(ids))):
        if slot.status is SlotStatus.BOOKED and slot.starts_at > now:
            slot.status = SlotStatus.CANCELLED
            session.flush()
            feed.record(session, [interviews.slot_change(slot)])
        slot.worker_id, slot.masked_name, slot.booking_code = None, "", None
        report["bookings"] += 1
    # Their seats on courses (hub.training), completed ones too: the seat goes back to the course.
    seated = or_(Signup.worker_id.in_(ids), Signup.phone.in_(phones))  # (a card's seat may carry the phone)
    courses = set(session.scalars(select(Signup.course_id).where(seated)))
    report["course_signups"] = session.execute(delete(Signup).where(seated)).rowcount or 0
    for course in session.scalars(select(Course).where(Course.id.in_(courses))):
        training.publish(session, course)
    # Their seats on buses (hub.buses), boarded ones too: a bus yet to leave has the seat again.
    seated = or_(BusSeat.worker_id.in_(ids), BusSeat.phone.in_(phones))
    departures = set(session.scalars(select(BusSeat.departure_id).where(seated)))
    report["bus_seats"] = session.execute(delete(BusSeat).where(seated)).rowcount or 0
    for departure in session.scalars(select(Departure).where(Departure.id.in_(departures))):
        buses.publish(session, departure)
    # Their numbers at fairs (hub.fairs): a queue moves up by them; the booth's figures lose them.
    fair_ids = set(
        session.scalars(
            select(Booth.fair_id).join(Ticket, Ticket.booth_id == Booth.id).where(Ticket.worker_id.in_(ids))
        )
    )
    report["fair_tickets"] = session.execute(delete(Ticket).where(Ticket.worker_id.in_(ids))).rowcount or 0
    for fair in session.scalars(select(Fair).where(Fair.id.in_(fair_ids))):
        fairs.publish(session, fair)
    report["orders_unlinked"] = (
        session.execute(
            update(HouseholdOrder)
            .where(HouseholdOrder.worker_id.in_(ids))
            .values(worker_id=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    report["orders_erased"] = (
        session.execute(
            update(HouseholdOrder)
            .where(HouseholdOrder.resident_phone.in_(phones))
            .values(resident_phone="", address="", details="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )
    if masked:  # a registration's receipt named the masked number
        session.execute(
            update(DeviceEvent)
            .where(DeviceEvent.kind == "registration", DeviceEvent.ref.in_(masked))
            .values(ref="")
            .execution_options(synchronize_session=False)
        )
    # Their 举报 stay with the postings they were about (hub.trust), without who made them.
    session.execute(
        update(Report)
        .where(Report.worker_id.in_(ids))
        .values(worker_id=None, reporter="")
        .execution_options(synchronize_session=False)
    )
    session.execute(delete(Worker).where(Worker.id.in_(ids)))
    figures.publish(session, [s for s in stations if s is not None], tz)
    audit.record_cli(session, "worker.erase", detail=report)
    return report
