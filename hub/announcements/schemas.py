"""Announcement input and output."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hub.fields import AwareDatetime, Input, RecordId

from .models import AnnouncementKind


class AnnouncementIn(Input):
    kind: AnnouncementKind
    title: str = Field(min_length=1, max_length=80)
    body: str = Field("", max_length=2000)
    station_ids: list[RecordId] | None = Field(None, description="null: every station")
    priority: int = Field(0, ge=0, le=100)
    valid_from: AwareDatetime
    valid_to: AwareDatetime


class AnnouncementOut(BaseModel):
    id: int
    kind: AnnouncementKind
    title: str
    body: str
    station_ids: list[int] | None
    priority: int
    valid_from: dt.datetime
    valid_to: dt.datetime

    @classmethod
    def of(cls, a) -> AnnouncementOut:
        return cls(
            id=a.id,
            kind=a.kind,
            title=a.title,
            body=a.body,
            priority=a.priority,
            valid_from=a.valid_from,
            valid_to=a.valid_to,
            station_ids=None if a.all_stations else sorted(s.id for s in a.stations),
        )
