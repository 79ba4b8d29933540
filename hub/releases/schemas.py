"""Release input and output: the rollout staff set, a release as the API shows it, the offer a device receives."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hub.fields import Input, RecordId

MAX_STATIONS = 1000


class RolloutIn(Input):
    station_ids: list[RecordId] = Field(
        default_factory=list, max_length=MAX_STATIONS, description="every device of these stations"
    )
    percent: int = Field(0, ge=0, le=100, description="and this share of all devices (a stable choice per device)")
    pinned: bool = Field(
        False, description="devices may go back to this version though they run a newer one (one pinned at a time)"
    )


class ReleaseCounts(BaseModel):
    """targeted = running_targeted + updating + failed + not_started: each device it is rolled out
    to is in exactly one of these. `running` also counts devices that run it but were since given
    another release."""

    targeted: int = Field(description="devices it is rolled out to now")
    running: int = Field(description="devices that said they run it")
    running_targeted: int = Field(0, description="of the devices it is rolled out to, those that run it")
    updating: int = Field(description="of those, devices downloading, installing or trying it")
    failed: int = Field(description="of those, devices that refused it or rolled back from it")
    not_started: int = Field(0, description="of those, devices that have not begun (offline, not managed …)")


class ReleaseOut(BaseModel):
    id: int
    version: str
    sha256: str
    size: int
    station_ids: list[int]
    percent: int
    pinned: bool
    published_by: str
    created_at: dt.datetime
    counts: ReleaseCounts | None = None


class ReleaseOffer(BaseModel):
    """The release a device should run, in a heartbeat's answer: what the update key signed (the
    device checks it all), the id for the download path, and whether an administrator pinned it."""

    id: int
    version: str
    sha256: str
    size: int
    signature: str
    pinned: bool
