"""Validated field types shared by the hub's request schemas (phones, coordinates, names)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, Field, StringConstraints

# Record ids: positive, and inside the 64-bit integers every database here stores (a larger
# number in a path or a body is a 422, not an overflow in the driver).
MAX_ID = 2**62
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]

# Mobile (1[3-9]xxxxxxxxx) or a landline with its area code (0851-12345678, 085112345678).
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$"

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN),
                  Field(description="11-digit mobile or area code + landline", examples=["13812345678"])]
Latitude = Annotated[float, Field(ge=3.0, le=54.0, description="degrees north (inside China)")]
Longitude = Annotated[float, Field(ge=73.0, le=136.0, description="degrees east (inside China)")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
District = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=30)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


# Times and dates a posting, slot or notice can sensibly carry (a year 1 with a +00:09 offset
# cannot even be turned into UTC: found by the API fuzzer).
EARLIEST_YEAR, LATEST_YEAR = 2000, 2199


def _aware(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("give the time with its zone, e.g. 2026-11-22T08:00:00+08:00")
    try:
        year = value.astimezone(dt.UTC).year
    except OverflowError:
        year = value.year
    if not EARLIEST_YEAR <= year <= LATEST_YEAR or not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


def _sane_date(value: dt.date) -> dt.date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]
Day = Annotated[dt.date, AfterValidator(_sane_date)]
