"""Validated field types shared by the hub's request schemas (phones, coordinates, names), and the
base every input model stands on: no control characters, no infinities, no unknown fields."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from floor import hostnames
from floor.phone import PHONE_PATTERN

# C0 controls but tab and line breaks, DEL, C1 controls, and the bidirectional overrides that make
# text display in another order than it is stored ("trojan source").
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def hostile(value: Any, path: str = "") -> str | None:
    """Where in a decoded input a string carries a control character or a number is not finite
    (`path`, e.g. "config.filters"), or None. JSON's NaN and Infinity are Python's too."""
    if isinstance(value, str):
        return path or "body" if CONTROL.search(value) else None
    if isinstance(value, float):
        return path or "body" if not math.isfinite(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and CONTROL.search(key):
            return path or "body"
        found = hostile(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


class Input(BaseModel):
    """What callers send: refused whole (422) for a control character anywhere, a NaN or an
    infinity anywhere (inside free-form parts too), or a field the model does not know."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def _no_hostile_values(cls, data: Any) -> Any:
        where = hostile(data)
        if where:
            raise ValueError(f"{where}: 含有不允许的字符或数值（控制字符、NaN 或无穷大）")
        return data


# Record ids: positive, and inside the 32-bit integers the tables' id columns are on PostgreSQL (a
# larger number in a path, a query or a body is a 422, not an overflow in the driver).
MAX_ID = 2**31 - 1
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=PHONE_PATTERN),
    Field(description="11-digit mobile or area code + landline", examples=["13812345678"]),
]
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


def _host(value: str) -> str:
    return hostnames.host(value) if value.strip() else ""


# A host name for an https:// origin (a video server): IDNA, no scheme, path or user; empty: none.
HostName = Annotated[str, Field(max_length=253), AfterValidator(_host)]
# A name a device defines for one of its own things (a card reader, a browser): never a path,
# a command or a URL — the device maps it to what it has.
ChoiceName = Annotated[str, StringConstraints(pattern=r"^([a-z][a-z0-9_-]{0,31})?$")]
