"""Fair input (a fair with its booths), its output with each booth's queue figures, and status."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hub.fields import Address, AwareDatetime, Input, RecordId, ShortText

from .models import FairStatus


class BoothIn(Input):
    number: str = Field(min_length=1, max_length=8, pattern=r"^[0-9A-Za-z-]+$", description="as the hall map says")
    employer_id: RecordId
    jobs: str = Field(min_length=2, max_length=120, description="the jobs in words: 普工、叉车司机")
    places: int = Field(ge=1, le=2000)


class FairIn(Input):
    """Field shapes; the rules between fields are checked in hub.fairs.service.problems."""

    title: ShortText
    hall: Address
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    skip_after_min: int = Field(3, ge=1, le=30, description="a number called and not come this long is skipped")
    booths: list[BoothIn] = Field(min_length=1, max_length=200)
    station_ids: list[RecordId] | None = Field(None, max_length=1000, description="null: every station")


class StatusIn(Input):
    status: FairStatus


class BoothOut(BaseModel):
    id: int
    number: str
    letter: str
    employer_id: int
    employer_name: str
    jobs: str
    places: int
    waiting: int
    serving: str  # the number called now, "" when none
    called: int
    served: int
    skipped: int
    hired: int
    link: str = Field(
        description="the booth's own page (叫号) for the employer there; only the fair's own staff get it"
    )


class FairOut(BaseModel):
    id: int
    title: str
    hall: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    skip_after_min: int
    station_ids: list[int] | None
    status: FairStatus
    booths: list[BoothOut]
