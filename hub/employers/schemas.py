"""Employer input and output; the credit code is checked on entry."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hub.fields import Input, Name, Phone

from . import creditcode


class EmployerIn(Input):
    name: str = Field(min_length=2, max_length=80)
    credit_code: str | None = Field(None, description="统一社会信用代码; empty for a household")
    contact_person: Name
    contact_phone: Phone
    district: str = Field("", max_length=30)
    address: str = Field("", max_length=120)

    @field_validator("credit_code")
    @classmethod
    def _credit_code(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return creditcode.validate(value)
        except creditcode.CreditCodeError as exc:
            raise ValueError(str(exc)) from None


class EmployerOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    credit_code: str | None
    contact_person: str
    contact_phone: str
    district: str
    address: str
    verified_at: dt.datetime | None
