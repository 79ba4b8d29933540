"""Device configuration and the enrollment / heartbeat messages."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from hub.devices.models import DeviceKind
from hub.fields import ChoiceName, HostName, Input, RecordId
from hub.releases.schemas import ReleaseOffer

# Settings that decide which server's script a booth and the employer's page run: administrators only.
VIDEO_SETTINGS = ("jitsi_domain", "browser")
LATEST_CLOCK = 4_102_444_800.0  # 2100-01-01
# Where an update stands on a device (device/update: ok, downloading, trial, rolled_back …): a word, not a
# closed list, so that a newer device's word never costs its whole heartbeat (the console words those it knows).
UpdateWord = Annotated[str, StringConstraints(pattern=r"^[a-z_]{0,20}$")]


class Filters(Input):
    trades: list[RecordId] = Field(default_factory=list, description="trade ids to show (empty: all)")
    categories: list[RecordId] = Field(default_factory=list, description="trade category ids to show")
    employer: RecordId | None = Field(None, description="show only this employer's postings (booth screens)")
    urgent_only: bool = False
    today_only: bool = False


Weekday = Annotated[int, Field(ge=1, le=7, description="ISO weekday: 1 Monday … 7 Sunday")]
ClockTime = Annotated[str, Field(pattern=r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$", description="HH:MM, local time")]
WallLayout = Literal["auto", "table", "cards", "ticker", "booth", "market"]


class TimeWindow(Input):
    """A stretch of the week: on these days from `start` to `end` (an end not after the start runs
    past midnight; 24:00 is the day's end). Evaluated on the wall's own clock (display/schedule.py)."""

    days: list[Weekday] = Field(default_factory=lambda: [1, 2, 3, 4, 5, 6, 7], min_length=1, max_length=7)
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _a_stretch(self):
        if self.start == "24:00":
            raise ValueError("start: 24:00 is only an end (use 00:00)")
        if self.start == self.end:
            raise ValueError("start and end are the same: give when it ends")
        return self


class Daypart(TimeWindow):
    """What a wall shows in a stretch of the week, over its own settings."""

    layout: WallLayout | None = None
    filters: Filters | None = None
    dwell_s: float | None = Field(None, ge=3, le=600)
    large_text: bool = Field(False, description="type half as large again (early-morning crowds, far away)")


class Schedule(Input):
    on: list[TimeWindow] = Field(default_factory=list, max_length=14, description="screen on (none: all day)")
    dayparts: list[Daypart] = Field(default_factory=list, max_length=12, description="the first that applies wins")


class DeviceConfig(Input):
    """What staff set per device; devices receive it through the feed."""

    layout: WallLayout = "auto"
    filters: Filters = Field(default_factory=Filters)
    dwell_s: float = Field(12.0, ge=3, le=600, description="seconds a page stays on a wall")
    viewing_distance_m: float | None = Field(
        None, ge=0.5, le=100, description="how far readers stand (default: 8 m from LED walls, 3 m from screens)"
    )
    pixel_pitch_mm: float | None = Field(
        None, ge=0.1, le=40, description="pixel pitch (default: 4 mm for LED walls, 0.63 mm for 1080p screens)"
    )
    rotation: Literal[0, 90, 180, 270] = 0
    show_phone: Literal["full", "masked", "hidden"] = "full"
    stale_after_s: float = Field(
        600, ge=30, le=30 * 86400, description="show a stale banner after this long without sync"
    )
    idle_timeout_s: float = Field(60, ge=15, le=600, description="kiosk session ends after this idle time")
    # Names, never specs or commands: the device's own machine file maps each name to a port or a
    # program (see device.machine); an unknown name leaves the device on its own default.
    reader: ChoiceName = Field(
        "", description="a card reader the device defines (built in: sim, pcsc, wedge); empty: the device's own default"
    )
    jitsi_domain: HostName = Field("", description="the video server (Jitsi) of a booth: a host name only")
    browser: ChoiceName = Field("", description="a browser the booth defines (built in: chromium); empty: its default")
    schedule: Schedule | None = Field(None, description="a wall's week: screen on/off and dayparts")


class DeviceCreate(Input):
    name: str = Field(min_length=1, max_length=60)
    kind: DeviceKind
    station_id: RecordId
    config: DeviceConfig = Field(default_factory=DeviceConfig)


class DeviceUpdate(Input):
    name: str | None = Field(None, min_length=1, max_length=60)
    station_id: RecordId | None = None
    config: DeviceConfig | None = None


class DeviceCreated(BaseModel):
    id: int
    name: str
    kind: DeviceKind
    station_id: int
    enroll_code: str
    enroll_expires_at: str


class EnrollRequest(Input):
    code: str = Field(min_length=4, max_length=20)
    app_version: str = Field("", max_length=40)


class EnrollResponse(BaseModel):
    device_id: int
    kind: DeviceKind
    name: str
    station_id: int
    token: str
    hub_public_key: str
    public_url: str = Field(description="the address QR codes and phone pages use")
    event_base: int = Field(description="the device numbers its next event above this")
    device: dict
    update_public_key: str = Field("", description="the key releases must be signed with (empty: no updates)")


class Heartbeat(Input):
    """Live state a device reports; free-form details stay small."""

    app_version: str = Field("", max_length=40)
    cursor: int = Field(0, ge=0)
    outbox: int = Field(0, ge=0, description="events waiting to be sent")
    last_sync_ok: float | None = Field(
        None, ge=0, le=LATEST_CLOCK, description="epoch seconds of the last successful sync"
    )
    clock: float | None = Field(None, ge=0, le=LATEST_CLOCK, description="the device's clock, epoch seconds")
    self_check: str = Field("", max_length=40)
    showing: str = Field("", max_length=200)
    reader: str = Field("", max_length=60)
    readers: list[ChoiceName] = Field(default_factory=list, max_length=16, description="reader names it defines")
    browsers: list[ChoiceName] = Field(default_factory=list, max_length=16, description="browser names it defines")
    capture_png_b64: str | None = Field(None, max_length=200_000)
    restarts: int = Field(0, ge=0, le=10_000_000, description="times the app had to start again")
    last_restart: str = Field("", max_length=120, description="why and when, in words")
    # Signed updates (device/update): the last version proved healthy, and where an update stands.
    good_version: str = Field("", max_length=20, description="the version the device goes back to")
    update: UpdateWord = Field("", description="where an update stands on the device")
    update_version: str = Field("", max_length=20, description="the version that update is about")
    update_detail: str = Field("", max_length=200, description="what happened, in words")


class HeartbeatAnswer(BaseModel):
    events_through: int = Field(description="the highest event number this hub holds from the device")
    release: ReleaseOffer | None = Field(None, description="the release this device should run (hub/releases)")
