"""One handler per event kind: validate the body, do the work, or reject with a reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, Field, ValidationError, field_validator
from sqlalchemy.orm import Session

from hub.applications import service as applications
from hub.buses import seats as buses
from hub.devices.models import Device
from hub.errors import HubError
from hub.events.schemas import LATEST_AT
from hub.fairs import queue as fairs
from hub.fields import MAX_ID, Input, RecordId
from hub.interviews import service as interviews
from hub.interviews.models import InterviewSlot
from hub.keys import HubKeys
from hub.metrics.instruments import SEALED_OPEN_FAILURES
from hub.outcomes import service as outcomes
from hub.outcomes.schemas import VisitsBody
from hub.plays import service as plays
from hub.training import signups as training
from hub.trust import service as trust
from hub.trust.schemas import ReportBody
from hub.workers import service as workers
from hub.workers.schemas import Intention, Person
from wire import sealed as sealing
from wire.errors import SealError
from wire.protocol import POSTING_ENDED, application_code, booking_code, bus_code, signup_code

MAX_CURSOR = 2**62
MAX_PLAY_SPAN_S = 7 * 86400  # a wall offline for a week flushes its showings in one record


class Rejected(Exception):
    """The event is taken in (it will not be sent again) but does nothing; the reason says why."""


@dataclass
class EventContext:
    session: Session
    keys: HubKeys
    device: Device
    kind: str
    n: int
    at: dt.datetime
    tz: dt.tzinfo = dt.UTC  # the hub's local time zone, for what counts per day
    note: str = ""  # what an applied event's result says besides its ref (wire.protocol.POSTING_ENDED)


Handler = Callable[[EventContext, dict], str]
HANDLERS: dict[str, Handler] = {}
# The kinds whose handlers may write the change feed (a seat or number left, a slot booked, a posting
# held after reports), taking its lock (hub.feed.service) until the batch commits. A batch applies
# them after its other events, so that lock is held for the batch's tail, not the whole of it.
FEED_WRITERS = frozenset({"booking", "course_signup", "bus_signup", "fair_ticket", "report"})


def handles(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def _parse(model: type[BaseModel], data: dict) -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise Rejected(f"malformed {where}: {first['msg']}") from None


def _person(ctx: EventContext, sealed: str) -> Person:
    """The sealed person, opened only as this device's event of this kind and number."""
    try:
        opened = ctx.keys.open(sealed, sealing.event_context(ctx.device.id, ctx.kind, ctx.n))
    except SealError as exc:
        SEALED_OPEN_FAILURES.inc()
        raise Rejected(str(exc)) from None
    return _parse(Person, opened)


class ApplicationBody(Input):
    posting: RecordId
    person: str = Field(max_length=4000, description="sealed Person")
    cursor: int | None = Field(None, ge=0, le=MAX_CURSOR, description="the device's feed cursor when it applied")


class PlayBody(Input):
    start: float = Field(alias="from", ge=0, le=LATEST_AT, description="epoch seconds")
    to: float = Field(ge=0, le=LATEST_AT)
    shown: list[tuple[int, int, float]] = Field(max_length=5000, description="[posting, showings, seconds]")

    @field_validator("shown")
    @classmethod
    def _sane(cls, rows: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        if any(not (0 < pid <= MAX_ID and 0 <= n < 2**31 and 0 <= s <= MAX_PLAY_SPAN_S) for pid, n, s in rows):
            raise ValueError("a posting id, count or duration out of range")
        if len({pid for pid, _n, _s in rows}) != len(rows):
            raise ValueError("a posting listed twice in one record")
        return rows

    def absurd(self) -> str:
        """What cannot have happened on one wall in this span, or "": a posting on screen longer
        than the span, more showings than page turns (at most one a second), a span over a week."""
        span = self.to - self.start
        if span > MAX_PLAY_SPAN_S:
            return "a play record spans more than a week"
        if any(seconds > span + 60 or shows > span + 1 for _pid, shows, seconds in self.shown):
            return "a posting shown longer or more often than the record's span allows"
        return ""


class BookingBody(Input):
    slot: RecordId
    person: str = Field(max_length=4000, description="sealed Person")
    cursor: int | None = Field(None, ge=0, le=MAX_CURSOR)


class SignupBody(Input):
    course: RecordId
    person: str = Field(max_length=4000, description="sealed Person")
    cursor: int | None = Field(None, ge=0, le=MAX_CURSOR, description="the device's feed cursor when it signed up")


class BusBody(Input):
    departure: RecordId
    person: str = Field(max_length=4000, description="sealed Person")
    cursor: int | None = Field(None, ge=0, le=MAX_CURSOR, description="the device's feed cursor when it signed up")


class FairTicketBody(Input):
    booth: RecordId
    secret: str = Field(min_length=32, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="the phone page's key")
    person: str = Field(max_length=4000, description="sealed Person")
    cursor: int | None = Field(None, ge=0, le=MAX_CURSOR, description="the device's feed cursor when it took it")


class RegistrationBody(Input):
    person: str = Field(max_length=4000, description="sealed Person")
    intention: Intention


@handles("application")
def application(ctx: EventContext, data: dict) -> str:
    body = _parse(ApplicationBody, data)
    person = _person(ctx, body.person)
    try:
        made = applications.submit(
            ctx.session,
            ctx.keys,
            posting_id=body.posting,
            person=person,
            code=application_code(ctx.device.id, ctx.n),
            applied_at=ctx.at,
            device_id=ctx.device.id,
            device_n=ctx.n,
            station_id=ctx.device.station_id,
            cursor=body.cursor,
        )
    except HubError as exc:
        raise Rejected(exc.message) from None
    if made.posting_ended:
        ctx.note = POSTING_ENDED
    return made.code


@handles("booking")
def booking(ctx: EventContext, data: dict) -> str:
    """An interview slot booked at a kiosk; a slot taken meanwhile is a rejection the kiosk reports."""
    body = _parse(BookingBody, data)
    person = _person(ctx, body.person)
    worker = workers.find_or_create(ctx.session, ctx.keys, person.id_number)
    try:
        slot = ctx.session.get(InterviewSlot, body.slot)
        if slot is not None:  # an interview for a job the kiosk knew had closed is no booking
            judged = applications.Judged.of(slot.posting, ctx.device.station_id)
            applications.check_open_to(ctx.session, judged, at=ctx.at, cursor=body.cursor)
            interviews.check_not_lost(ctx.session, slot, body.cursor)
        slot = interviews.book(
            ctx.session,
            body.slot,
            worker_id=worker.id,
            name=person.name or "",
            device_id=ctx.device.id,
            code=booking_code(ctx.device.id, ctx.n),
            station_id=ctx.device.station_id,
        )
    except HubError as exc:
        raise Rejected(exc.message) from None
    return slot.booking_code or ""


def _take_seat(ctx: EventContext, person: Person, take: Callable, offer_id: int, code: str, cursor, **extra) -> str:
    """A seat taken with the card through `take` (hub.seats.offers.take behind a course's or a bus's
    rules): the worker known by their card, the phone kept only with consent; a refusal (full, closed
    meanwhile) is the event's rejection, which the kiosk tells the worker."""
    worker = workers.find_or_create(ctx.session, ctx.keys, person.id_number)
    try:
        seat = take(
            ctx.session,
            offer_id,
            worker=worker,
            id_number=person.id_number,
            name=person.name or "",
            phone=(person.phone or "") if person.consent else "",
            code=code,
            device_id=ctx.device.id,
            station_id=ctx.device.station_id,
            at=ctx.at,
            cursor=cursor,
            **extra,
        )
    except HubError as exc:
        raise Rejected(exc.message) from None
    return seat.code


@handles("course_signup")
def course_signup(ctx: EventContext, data: dict) -> str:
    """A seat on a course (hub.training); one not had is told at the worker's next visit, as a booking's."""
    body = _parse(SignupBody, data)
    code = signup_code(ctx.device.id, ctx.n)
    return _take_seat(ctx, _person(ctx, body.person), training.sign_up, body.course, code, body.cursor)


@handles("bus_signup")
def bus_signup(ctx: EventContext, data: dict) -> str:
    """A seat on a chartered bus (hub.buses), its riders' ages counted on the day it leaves in hub time;
    one not had is shown on the kiosk's receipt if still up, else at the worker's next card."""
    body = _parse(BusBody, data)
    code = bus_code(ctx.device.id, ctx.n)
    return _take_seat(ctx, _person(ctx, body.person), buses.sign_up, body.departure, code, body.cursor, tz=ctx.tz)


@handles("fair_ticket")
def fair_ticket(ctx: EventContext, data: dict) -> str:
    """A number at a fair's booth (hub.fairs), taken with the card; the answer is the number itself
    (A023), which the kiosk's receipt shows as soon as it comes."""
    body = _parse(FairTicketBody, data)
    person = _person(ctx, body.person)
    worker = workers.find_or_create(ctx.session, ctx.keys, person.id_number)
    try:
        ticket = fairs.take(
            ctx.session,
            body.booth,
            worker=worker,
            name=person.name or "",
            secret=body.secret,
            device_id=ctx.device.id,
            station_id=ctx.device.station_id,
            at=ctx.at,
            cursor=body.cursor,
        )
    except HubError as exc:
        raise Rejected(exc.message) from None
    return ticket.code


@handles("registration")
def registration(ctx: EventContext, data: dict) -> str:
    body = _parse(RegistrationBody, data)
    person = _person(ctx, body.person)
    workers.register(ctx.session, ctx.keys, person, body.intention, ctx.device.station_id, ctx.at)
    return "registered"  # (not the masked number: a receipt needs no part of it, and events are kept)


@handles("play")
def play(ctx: EventContext, data: dict) -> str:
    body = _parse(PlayBody, data)
    if body.to < body.start:
        raise Rejected("malformed play record: it ends before it starts")
    if body.absurd():
        raise Rejected(body.absurd())
    day = dt.datetime.fromtimestamp(body.to, ctx.tz).date()
    counted = plays.record(ctx.session, ctx.device.id, ctx.device.station_id, day, body.shown)
    return f"{counted} postings"


@handles("report")
def report(ctx: EventContext, data: dict) -> str:
    """举报 at a kiosk (hub.trust): to the posting's station, with the reporter's masked number."""
    body = _parse(ReportBody, data)
    person = _person(ctx, body.person)
    try:
        station = ctx.device.station_id
        row = trust.report_from_kiosk(
            ctx.session, ctx.keys, body.posting, body.reason, person.id_number, station_id=station, at=ctx.at
        )
    except HubError as exc:
        raise Rejected(exc.message) from None
    return f"report {row.id}"


@handles("visits")
def visits(ctx: EventContext, data: dict) -> str:
    """A kiosk's card visits per its local day (hub/outcomes): counts only, no person."""
    body = _parse(VisitsBody, data)
    days = body.dated(ctx.at.astimezone(ctx.tz).date())
    if isinstance(days, str):
        raise Rejected(days)
    return f"{outcomes.record_visits(ctx.session, ctx.device.id, days)} visits"
