"""Course input (create, edit) and output, a roster's rows, and what staff mark on them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hub.fields import Address, AwareDatetime, Day, Input, RecordId, ShortText

from .models import CourseStatus

Words = Field("", max_length=120, description="in words, as the worker will read it")


class CourseIn(Input):
    """Field shapes; the rules between fields are checked in hub.training.service.problems."""

    title: ShortText
    trade_id: RecordId
    organiser: ShortText
    place: Address
    starts_on: Day
    ends_on: Day
    schedule: str = Words
    seats: int = Field(ge=1, le=2000)
    cost: str = Field("", max_length=120, description='the subsidy rule in words; "" means free (免费)')
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    registered_only: bool = False
    signup_until: AwareDatetime | None = Field(None, description="default: the first day's start, hub time")
    station_ids: list[RecordId] | None = Field(None, max_length=1000, description="null: every station")


class CoursePatch(Input):
    """Any subset of the fields; the result must still satisfy CourseIn."""

    title: ShortText | None = None
    organiser: ShortText | None = None
    place: Address | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    schedule: str | None = Field(None, max_length=120)
    seats: int | None = Field(None, ge=1, le=2000)
    cost: str | None = Field(None, max_length=120)
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    registered_only: bool | None = None
    signup_until: AwareDatetime | None = None


class StatusIn(Input):
    status: CourseStatus


class CourseOut(BaseModel):
    id: int
    title: str
    trade_id: int
    trade_name: str
    organiser: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    schedule: str
    seats: int
    taken: int
    cost: str
    age_min: int | None
    age_max: int | None
    registered_only: bool
    signup_until: dt.datetime
    station_ids: list[int] | None
    status: CourseStatus

    @classmethod
    def of(cls, c, taken: int) -> CourseOut:
        return cls(
            **{k: getattr(c, k) for k in cls.model_fields if k not in ("trade_name", "taken", "station_ids")},
            trade_name=c.trade.name,
            taken=taken,
            station_ids=None if c.all_stations else sorted(s.id for s in c.stations),
        )


class SignupOut(BaseModel):
    """A roster row: what the station needs to call and mark a worker, and no more."""

    id: int
    code: str
    masked_name: str
    phone: str = Field(description="only when the worker consented")
    station_id: int | None
    signed_at: dt.datetime
    attended: bool
    completed: bool

    @classmethod
    def of(cls, s) -> SignupOut:
        return cls(
            id=s.id,
            code=s.code,
            masked_name=s.masked_name,
            phone=s.phone,
            station_id=s.station_id,
            signed_at=s.signed_at,
            attended=s.attended_at is not None,
            completed=s.completed_at is not None,
        )


class MarkIn(Input):
    """Attendance and completion (结业); completing a course marks the worker present too."""

    attended: bool | None = None
    completed: bool | None = None
