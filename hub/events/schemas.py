"""The event batch a device sends, and the hub's answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from hub.fields import Input
from wire.protocol import EVENT_KINDS, MAX_EVENTS_PER_BATCH

EventKind = Literal[EVENT_KINDS]  # type: ignore[valid-type]
MAX_N = 2**62  # fits the database's 64-bit integers with room to spare
LATEST_AT = 4_102_444_800.0  # 2100-01-01: a later device clock is broken, not early


class EventIn(Input):
    n: int = Field(ge=1, le=MAX_N, description="the device's own number for this event, strictly increasing")
    uid: str = Field(pattern=r"^[0-9a-f]{32}$", description="the event's identity, for audits")
    kind: EventKind
    at: float = Field(ge=0, le=LATEST_AT, description="when it happened, device clock, epoch seconds")
    body: dict


class EventBatch(Input):
    events: list[EventIn] = Field(min_length=1, max_length=MAX_EVENTS_PER_BATCH)
    acked_through: int | None = Field(
        None, ge=0, le=MAX_N, description="the highest number this hub acknowledged to the device before"
    )


class EventResult(BaseModel):
    n: int
    status: Literal["applied", "rejected", "duplicate"]
    reason: str = ""
    ref: str = ""


class BatchResult(BaseModel):
    applied_through: int = Field(description="every event up to this number is taken in; drop them")
    results: list[EventResult]
    resend_from: int | None = Field(
        None,
        description="this hub lacks events it once acknowledged (restored from a backup): none of the batch "
        "was taken; send the device's kept events from this number first",
    )
