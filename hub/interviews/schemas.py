"""Interview slot input and output, the booth's check-in question and answer."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hub.fields import AwareDatetime, Input, RecordId


class SlotsIn(Input):
    """Consecutive slots of `minutes` each, from `starts_at`, at one booth, for one posting."""

    posting_id: RecordId
    booth_id: RecordId
    starts_at: AwareDatetime
    minutes: int = Field(20, ge=5, le=120)
    count: int = Field(1, ge=1, le=24)


class SlotOut(BaseModel):
    id: int
    posting_id: int
    posting_title: str
    booth_id: int
    booth_name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    booked: bool
    masked_name: str
    booking_code: str | None
    checked_in: bool
    no_show: bool

    @classmethod
    def of(cls, s) -> SlotOut:
        return cls(
            id=s.id,
            posting_id=s.posting_id,
            posting_title=s.posting.title,
            booth_id=s.booth_id,
            booth_name=s.booth.name,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            status=s.status.value,
            booked=s.worker_id is not None,
            masked_name=s.masked_name,
            booking_code=s.booking_code,
            checked_in=s.checked_in_at is not None,
            no_show=s.no_show_at is not None,
        )


class CheckIn(Input):
    person: str = Field(min_length=1, max_length=4000, description="sealed Person (the ID number)")


class CheckInAnswer(BaseModel):
    """`found`: the room to open now; otherwise the booth's next free slots."""

    found: bool
    room: str = ""
    display_name: str = ""
    posting_title: str = ""
    employer: str = ""
    starts_at: float = 0
    ends_at: float = 0
    next_free: list[dict] = Field(default_factory=list, description="[{start, end, posting_title}]")
    message: str = ""
