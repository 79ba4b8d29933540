"""A team as staff enter it, and as the API gives it back with its completed orders (接单)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from hub.fields import Input, Name, RecordId, ShortText


class TeamIn(Input):
    name: Name = Field(description="the team's name (at most 30 characters)")
    station_id: RecordId
    leader: Name = Field(description="the leader's name; only its masked form is kept (王**)")
    members: int = Field(ge=2, le=500)
    districts: ShortText = Field(description="where it works, in words: 青川区、滨江区")
    trade_ids: list[RecordId] = Field(min_length=1, max_length=12)


class TeamPatch(Input):
    name: Name | None = None
    leader: Name | None = None
    members: int | None = Field(None, ge=2, le=500)
    districts: ShortText | None = None
    trade_ids: list[RecordId] | None = Field(None, min_length=1, max_length=12)
    active: bool | None = None


class TeamOut(BaseModel):
    id: int
    name: str
    station_id: int
    leader: str
    members: int
    districts: str
    trade_ids: list[int]
    active: bool
    orders_done: int
    order_url: str = Field(description="the household order page addressed to this team (its QR on the wall)")
