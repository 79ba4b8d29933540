"""Departure input (create, edit) and output, a manifest's rows, and boarding as staff mark it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from hub.fields import Address, AwareDatetime, Input, RecordId, ShortText

from .models import DepartureStatus

Words = Field("", max_length=120, description="in words, as the worker will read it")
# The work and pay in words: stripped, so that spaces are not words.
Work = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
Bring = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]


class DepartureIn(Input):
    """Field shapes; the rules between fields are checked in hub.buses.service.problems."""

    destination: ShortText
    employer_id: RecordId
    work: Work = Field(description="the work and pay in words")
    meeting_point: Address
    leaves_at: AwareDatetime
    seats: int = Field(ge=1, le=60, description="one coach: a second bus is a second departure")
    bring: Bring = Words
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    signup_until: AwareDatetime | None = Field(None, description="default: CLOSE_BEFORE the bus leaves")
    posting_ids: list[RecordId] = Field(default_factory=list, max_length=20, description="the employer's postings")
    station_ids: list[RecordId] | None = Field(None, max_length=1000, description="null: every station")


class DeparturePatch(Input):
    """Any subset of the fields; the result must still satisfy DepartureIn."""

    destination: ShortText | None = None
    work: Work | None = None
    meeting_point: Address | None = None
    leaves_at: AwareDatetime | None = None
    seats: int | None = Field(None, ge=1, le=60)
    bring: Bring | None = None
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    signup_until: AwareDatetime | None = None


class StatusIn(Input):
    status: DepartureStatus


class DepartureOut(BaseModel):
    id: int
    destination: str
    employer_id: int
    employer_name: str
    work: str
    meeting_point: str
    leaves_at: dt.datetime
    seats: int
    taken: int
    bring: str
    age_min: int | None
    age_max: int | None
    signup_until: dt.datetime
    posting_ids: list[int]
    station_ids: list[int] | None
    status: DepartureStatus

    @classmethod
    def of(cls, d, taken: int) -> DepartureOut:
        derived = ("employer_name", "taken", "posting_ids", "station_ids")
        return cls(
            **{k: getattr(d, k) for k in cls.model_fields if k not in derived},
            employer_name=d.employer.name,
            taken=taken,
            posting_ids=sorted(p.id for p in d.postings),
            station_ids=None if d.all_stations else sorted(s.id for s in d.stations),
        )


class SeatOut(BaseModel):
    """A manifest row: what the station needs to call a worker and count them aboard, and no more."""

    id: int
    code: str
    masked_name: str
    phone: str = Field(description="only when the worker consented")
    station_id: int | None
    signed_at: dt.datetime
    boarded: bool

    @classmethod
    def of(cls, s) -> SeatOut:
        return cls(
            id=s.id,
            code=s.code,
            masked_name=s.masked_name,
            phone=s.phone,
            station_id=s.station_id,
            signed_at=s.signed_at,
            boarded=s.boarded_at is not None,
        )


class BoardIn(Input):
    boarded: bool


def audited(d: DepartureOut) -> dict:
    """What an audit entry keeps of a bus offered: where to, when, how many seats, shown where."""
    return {
        "destination": d.destination,
        "leaves_at": d.leaves_at.isoformat(),
        "seats": d.seats,
        "stations": d.station_ids,
    }
