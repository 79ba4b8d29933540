"""What a worker registers (job intention), and what devices send sealed about a person."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from floor import idnumber
from hub.fields import Input, Phone
from hub.postings.models import PayUnit, Settlement

Availability = Literal["today", "week", "weekends", "long_term"]


class Intention(Input):
    trades: list[int] = Field(default_factory=list, max_length=12)
    districts: list[str] = Field(default_factory=list, max_length=12)
    pay_unit: PayUnit | None = None
    pay_min_fen: int | None = Field(None, ge=0, le=100_000_000)
    settlement: Settlement | None = None
    availability: list[Availability] = Field(default_factory=list, max_length=4)


class Person(Input):
    """Opened from a sealed payload on the hub only; never stored as a whole."""

    id_number: str
    name: str = Field("", max_length=30)
    phone: Phone | None = None
    consent: bool = False  # to share name and phone (with the employer / for registration)
    contact: bool = False  # registration only: the station may call about a suitable job (岗位找人)

    @field_validator("id_number")
    @classmethod
    def _valid(cls, value: str) -> str:
        value = idnumber.normalize(value)
        if not idnumber.is_valid(value):
            # The message never repeats the number.
            raise ValueError("ID number fails its check digit")
        return value
