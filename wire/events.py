"""The events devices send up, as one definition both sides import: each kind's body, and the
person sealed inside it. The hub's own checks (ranges, the sealed person's ID number) are layered
on these in hub.events.handlers; a test holds the two to the same keys."""

from __future__ import annotations

from typing import NotRequired, TypedDict

SEALED = "person"  # the key under which the outbox puts a body's sealed Person (wire.sealed)


class Person(TypedDict):
    """Who did it: sealed to the hub's key on the device, opened only on the hub."""

    id_number: str
    name: str
    phone: str | None
    consent: bool  # to share name and phone (with the employer / for a registration)
    contact: NotRequired[bool]  # registration: 有合适的活，驿站可以打电话告诉我 (a consent of its own)


class Application(TypedDict):
    """A worker applied at a kiosk (+ the sealed person)."""

    posting: int
    cursor: int | None  # the device's feed position: what it knew when the worker applied


class Booking(TypedDict):
    """A worker booked a video interview slot at a kiosk (+ the sealed person)."""

    slot: int
    cursor: int | None


class CourseSignup(TypedDict):
    """A worker took a seat on a course (技能培训) at a kiosk (+ the sealed person)."""

    course: int
    cursor: int | None  # the device's feed position: a course the hub lost in a restore is not this one


class BusSignup(TypedDict):
    """A worker took a seat on a chartered bus (包车) at a kiosk (+ the sealed person)."""

    departure: int
    cursor: int | None  # the device's feed position: a departure the hub lost in a restore is not this one


class FairTicket(TypedDict):
    """A worker took a number at a fair's booth at a kiosk (+ the sealed person). `secret` is the
    kiosk's random key to the number's phone page (its QR): the hub keeps only its hash."""

    booth: int
    secret: str
    cursor: int | None


class Registration(TypedDict):
    """A worker registered what work they want (+ the sealed person)."""

    intention: dict  # trades, availability, pay_unit, pay_min_fen


# A wall's proof of play: what was on screen from `from` to `to` (epoch s), as
# [posting id, times shown, seconds on screen]. ("from" is a Python keyword: functional form.)
Play = TypedDict("Play", {"from": float, "to": float, "shown": list})

BODIES: dict[str, type] = {"application": Application, "booking": Booking, "registration": Registration, "play": Play}
SEALED_KINDS = frozenset({"application", "booking", "registration"})


class Report(TypedDict):
    """A worker reported a posting (举报) at a kiosk (+ the sealed person): fees | pay | address | other."""

    posting: int
    reason: str


BODIES["report"] = Report
SEALED_KINDS |= {"report"}


class Visits(TypedDict):
    """A kiosk's card visits: [local day as YYYY-MM-DD, cards laid on it], no person in it."""

    days: list


BODIES["visits"] = Visits
