"""What a resident gives when posting an order, with the rules the public page enforces."""

from __future__ import annotations

from pydantic import Field

from floor.phone import MOBILE_PATTERN
from hub.fields import Address, District, Input, LongText, RecordId, ShortText


class OrderIn(Input):
    need: ShortText = Field(description="what needs doing")
    details: LongText = ""
    district: District
    address: Address
    when_text: str = Field(min_length=2, max_length=40, description="when, in the resident's words")
    pay_fen: int = Field(ge=100, le=10_000_000, description="offered pay for the whole job, in fen")
    resident_phone: str = Field(pattern=MOBILE_PATTERN, description="the resident's mobile")
    station_id: RecordId
    team_id: RecordId | None = Field(None, description="the team the order is for (its QR on the wall)")
    consent: bool = Field(description="the resident agrees to staff and one worker calling them")
