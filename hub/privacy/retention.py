"""Personal data has a lifetime: what the hub erases, when, and the sweep that does it (every hour in
each hub process — each step is an idempotent UPDATE or DELETE, so processes may overlap — and on
demand with `lingong admin retention`)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from hub.applications.models import Application
from hub.audit import service as audit
from hub.buses.models import BusSeat, Departure
from hub.fairs.models import Booth, Fair, Ticket
from hub.interviews.models import InterviewSlot
from hub.orders.models import HouseholdOrder, OrderStatus
from hub.postings.models import Posting
from hub.ratelimit import rate_hits
from hub.settings import Settings
from hub.staff.models import StaffSession
from hub.training.models import Course, Signup
from hub.trust.models import Report
from hub.workers.models import Worker

log = logging.getLogger(__name__)
EVERY_S = 3600
ENDED_ORDERS = (OrderStatus.REJECTED, OrderStatus.COMPLETED, OrderStatus.CANCELLED)
OPEN_ORDERS = (OrderStatus.PENDING, OrderStatus.DISPATCHED, OrderStatus.ACCEPTED)
STALE_ORDER_DAYS = 90
REGISTRATION_DAYS = 365  # a registration (wishes, phone), from the last one at a kiosk
# A bus's manifest: the station calls its workers until they have arrived and settled in, not longer.
BUS_PHONE_DAYS = 30
# A fair's numbers: the queue's figures stay; who held a number (a masked name) goes a week after.
FAIR_NAMES_DAYS = 7
OLD_SESSIONS_DAYS = 30  # ended console sessions (their rows hold no personal data, only clutter)


def _ended_before(cutoff: dt.datetime):
    """Postings that ended (filled, closed or out of their window) before `cutoff`."""
    return select(Posting.id).where(or_(Posting.ended_at < cutoff, Posting.valid_to < cutoff))


def _courses_ended_before(cutoff: dt.datetime):
    return select(Course.id).where(Course.ends_on < cutoff.date())


def _buses_left_before(cutoff: dt.datetime):
    return select(Departure.id).where(Departure.leaves_at < cutoff)


def _fairs_closed_before(cutoff: dt.datetime):
    return select(Booth.id).join(Fair, Fair.id == Booth.fair_id).where(Fair.closes_at < cutoff)


def sweep(session: Session, settings: Settings, now: dt.datetime | None = None) -> dict[str, int]:
    """Erases what has outlived its purpose; returns how many records each step touched."""
    now = now or dt.datetime.now(dt.UTC)
    days = dt.timedelta(days=1)
    applicants = now - settings.retain_applicants_days * days
    orders = now - settings.retain_order_contact_days * days
    # (never later than the applicants' period, after which the worker is no longer recognised)
    bus_phones = max(now - BUS_PHONE_DAYS * days, applicants)
    done = {
        # The employer had the applicant's name and phone while the posting lived, and some months after.
        "applicants": session.execute(
            update(Application)
            .where(
                or_(Application.name != "", Application.phone != ""),
                Application.posting_id.in_(_ended_before(applicants)),
            )
            .values(name="", phone="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        # A course's roster called its workers while the course ran, and some months after (结业 papers).
        "course_phones": session.execute(
            update(Signup)
            .where(Signup.phone != "", Signup.course_id.in_(_courses_ended_before(applicants)))
            .values(phone="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        "bus_phones": session.execute(
            update(BusSeat)
            .where(BusSeat.phone != "", BusSeat.departure_id.in_(_buses_left_before(bus_phones)))
            .values(phone="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        "fair_names": session.execute(
            update(Ticket)
            .where(Ticket.masked_name != "", Ticket.booth_id.in_(_fairs_closed_before(now - FAIR_NAMES_DAYS * days)))
            .values(masked_name="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        # A household order's phone and address: for the staff and the worker until the order is over.
        "order_contacts": session.execute(
            update(HouseholdOrder)
            .where(
                HouseholdOrder.resident_phone != "",
                or_(
                    and_(HouseholdOrder.status.in_(ENDED_ORDERS), HouseholdOrder.updated_at < orders),
                    and_(
                        HouseholdOrder.status == OrderStatus.PUBLISHED,
                        HouseholdOrder.posting_id.in_(_ended_before(orders)),
                    ),
                ),
            )
            .values(resident_phone="", address="", details="")
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        # A household order nobody finished in three months is over (修灯 this Saturday means nothing
        # by then); its contact then goes like any ended order's.
        "stale_orders": session.execute(
            update(HouseholdOrder)
            .where(HouseholdOrder.status.in_(OPEN_ORDERS), HouseholdOrder.created_at < now - STALE_ORDER_DAYS * days)
            .values(status=OrderStatus.CANCELLED, note="超过90天未完成，自动关闭", updated_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        # A registration (wishes, and the phone left for jobs found for them) lasts a year unless the
        # worker registers again.
        "lapsed_registrations": session.execute(
            update(Worker)
            .where(Worker.registered_at < now - REGISTRATION_DAYS * days)
            .values(phone=None, phone_consent_at=None, intention={}, registered_at=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        # Who reported a posting (a masked number, the worker it was): for counting reports once per
        # person while the posting lives, and as long as its applicants' names after. The report stays.
        "reporters": session.execute(
            update(Report)
            .where(
                or_(Report.reporter != "", Report.worker_id.is_not(None)),
                Report.posting_id.in_(_ended_before(applicants)),
            )
            .values(reporter="", worker_id=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0,
        "audit_entries": audit.purge(session, settings.audit_retention_days, now),
        "rate_windows": session.execute(
            delete(rate_hits).where(rate_hits.c.window < int(now.timestamp()) - 86400)
        ).rowcount
        or 0,
        "staff_sessions": session.execute(
            delete(StaffSession).where(
                or_(
                    StaffSession.ended_at < now - OLD_SESSIONS_DAYS * days,
                    StaffSession.expires_at < now - OLD_SESSIONS_DAYS * days,
                )
            )
        ).rowcount
        or 0,
    }
    done["forgotten_workers"] = _forget_workers(session, now, applicants)
    if any(v for k, v in done.items() if k not in ("rate_windows", "staff_sessions")):
        audit.record(
            session, "retention.sweep", actor="system", via="system", detail={k: v for k, v in done.items() if v}
        )
    return done


def _forget_workers(session: Session, now: dt.datetime, applicants: dt.datetime) -> int:
    """A worker the hub no longer needs to recognise — no registration, every posting they applied
    to ended before the applicants' period, no interview or order still theirs — keeps their records
    for the statistics but loses the keyed hash that tied them to an ID number or a phone: a random
    value replaces it (marked "x", which no HMAC's hex begins with), and the masked number goes."""
    live = or_(
        select(Application.id)
        .where(Application.worker_id == Worker.id, Application.posting_id.not_in(_ended_before(applicants)))
        .exists(),
        select(InterviewSlot.id).where(InterviewSlot.worker_id == Worker.id, InterviewSlot.ends_at > now).exists(),
        select(HouseholdOrder.id)
        .where(HouseholdOrder.worker_id == Worker.id, HouseholdOrder.status.in_(OPEN_ORDERS))
        .exists(),
        select(Signup.id)
        .where(Signup.worker_id == Worker.id, Signup.course_id.not_in(_courses_ended_before(applicants)))
        .exists(),
        select(BusSeat.id)
        .where(BusSeat.worker_id == Worker.id, BusSeat.departure_id.not_in(_buses_left_before(applicants)))
        .exists(),
        select(Ticket.id)
        .where(Ticket.worker_id == Worker.id, Ticket.booth_id.not_in(_fairs_closed_before(applicants)))
        .exists(),
    )
    rows = session.scalars(
        select(Worker).where(Worker.registered_at.is_(None), ~Worker.id_hash.startswith("x"), ~live)
    ).all()
    for worker in rows:
        worker.id_hash, worker.id_masked = "x" + secrets.token_hex(32)[:63], ""
    return len(rows)


async def run_forever(db, settings: Settings, stop, first_after_s: float = 60) -> None:
    """The hub's own sweeper: a minute after start, then every hour, until `stop` (an anyio.Event) is set."""
    import anyio

    delay = first_after_s
    while True:
        with anyio.move_on_after(delay):
            await stop.wait()
        if stop.is_set():
            return
        try:
            await anyio.to_thread.run_sync(_sweep_once, db, settings)
        except Exception as exc:  # a failed sweep is retried in an hour; the hub goes on serving
            log.error("retention sweep failed: %s", type(exc).__name__)
        delay = EVERY_S


def _sweep_once(db, settings: Settings) -> dict[str, int]:
    with db.write() as session:
        return sweep(session, settings)
