"""A kiosk's `visits` event body as the hub checks it: a few local days, each with its count of cards."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, field_validator

from hub.fields import Input

from .service import DAY_MAX

Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Count = Annotated[int, Field(strict=True, ge=1, le=DAY_MAX)]
PAST_DAYS = 366  # a kiosk offline for longer has nothing the month's figures still want


class VisitsBody(Input):
    days: list[tuple[Day, Count]] = Field(min_length=1, max_length=31, description="[YYYY-MM-DD, card visits]")

    @field_validator("days")
    @classmethod
    def _real_days(cls, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
        try:
            [dt.date.fromisoformat(d) for d, _n in rows]
        except ValueError:
            raise ValueError("not a calendar day") from None
        if len({d for d, _n in rows}) != len(rows):
            raise ValueError("a day listed twice in one record")
        return rows

    def dated(self, sent: dt.date) -> list[tuple[dt.date, int]] | str:
        """The days as dates; or why they cannot be the kiosk's (after the day it sent them, or a year before)."""
        days = [(dt.date.fromisoformat(d), n) for d, n in self.days]
        if any(d > sent + dt.timedelta(days=1) or d < sent - dt.timedelta(days=PAST_DAYS) for d, _n in days):
            return "a day after the record was sent, or more than a year before it"
        return days
