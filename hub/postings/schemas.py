"""Posting input (create, edit) and output, with every rule a staff form needs."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field, model_validator

from hub.fields import (
    Address,
    AwareDatetime,
    Day,
    District,
    Input,
    Latitude,
    Longitude,
    LongText,
    Name,
    Phone,
    RecordId,
    ShortText,
)

from .models import PayUnit, PostingStatus, Settlement


class PostingIn(Input):
    """Field shapes; the rules between fields are checked in hub.postings.service.check."""

    title: ShortText
    trade_id: RecordId
    employer_id: RecordId
    headcount: int = Field(ge=1, le=10_000)
    filled: int = Field(0, ge=0)
    pay_min_fen: int = Field(ge=0, le=100_000_000, description="lowest pay in fen (1 yuan = 100 fen)")
    pay_max_fen: int = Field(ge=0, le=100_000_000)
    pay_unit: PayUnit
    settlement: Settlement
    work_start: Day
    work_end: Day | None = None
    daily_hours: str = Field("", max_length=40)
    district: District
    address: Address
    lat: Latitude
    lon: Longitude
    station_ids: list[RecordId] | None = Field(None, description="stations that show it; null: every station")
    contact_person: Name
    contact_phone: Phone
    requirements: LongText = ""
    benefits: LongText = ""
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    urgent: bool = False
    certificate: bool = Field(False, description="持证上岗: asks for a certificate of its trade")
    valid_from: AwareDatetime
    valid_to: AwareDatetime


class PostingPatch(Input):
    """Any subset of the fields; the result must still satisfy PostingIn."""

    title: ShortText | None = None
    trade_id: RecordId | None = None
    employer_id: RecordId | None = None
    headcount: int | None = Field(None, ge=1, le=10_000)
    filled: int | None = Field(None, ge=0)
    pay_min_fen: int | None = Field(None, ge=0, le=100_000_000)
    pay_max_fen: int | None = Field(None, ge=0, le=100_000_000)
    pay_unit: PayUnit | None = None
    settlement: Settlement | None = None
    work_start: Day | None = None
    work_end: Day | None = None
    daily_hours: str | None = Field(None, max_length=40)
    district: District | None = None
    address: Address | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    station_ids: list[RecordId] | None = None
    contact_person: Name | None = None
    contact_phone: Phone | None = None
    requirements: LongText | None = None
    benefits: LongText | None = None
    age_min: int | None = Field(None, ge=16, le=80)
    age_max: int | None = Field(None, ge=16, le=80)
    urgent: bool | None = None
    certificate: bool | None = None
    valid_from: AwareDatetime | None = None
    valid_to: AwareDatetime | None = None

    @model_validator(mode="after")
    def _no_clearing_required(self) -> PostingPatch:
        """Leaving a field out keeps it; sending null clears it, which only optional fields allow."""
        cleared = [k for k in self.model_fields_set if getattr(self, k) is None and k not in CLEARABLE]
        if cleared:
            raise ValueError(f"{cleared[0]} cannot be cleared (leave it out to keep it)")
        return self


# What a patch may set to null: the fields PostingIn lets be empty (null stations: every station).
CLEARABLE = frozenset({"work_end", "station_ids", "age_min", "age_max"})


class StatusChange(Input):
    status: PostingStatus


class PostingOut(BaseModel):
    id: int
    title: str
    trade_id: RecordId
    employer_id: RecordId
    employer_name: str
    headcount: int
    filled: int
    pay_min_fen: int
    pay_max_fen: int
    pay_unit: PayUnit
    settlement: Settlement
    work_start: dt.date
    work_end: dt.date | None
    daily_hours: str
    district: str
    address: str
    lat: float
    lon: float
    station_ids: list[int] | None
    contact_person: str
    contact_phone: str
    requirements: str
    benefits: str
    age_min: int | None
    age_max: int | None
    urgent: bool
    certificate: bool = False
    status: PostingStatus
    valid_from: dt.datetime
    valid_to: dt.datetime
    version: int
    fast_from: dt.datetime | None = None  # 即时快招 (hub.postings.fast): marked from, card until, until
    fast_card_to: dt.datetime | None = None
    fast_to: dt.datetime | None = None

    @classmethod
    def of(cls, p) -> PostingOut:
        return cls(
            **{k: getattr(p, k) for k in cls.model_fields if k not in ("employer_name", "station_ids")},
            employer_name=p.employer.name,
            station_ids=None if p.all_stations else sorted(s.id for s in p.stations),
        )
