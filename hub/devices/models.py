"""Device records."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, JSONType, str_enum, utcnow
from hub.stations.models import Station


class DeviceKind(enum.StrEnum):
    KIOSK = "kiosk"
    DISPLAY = "display"
    BOOTH = "booth"


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[DeviceKind] = mapped_column(str_enum(DeviceKind))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    config: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Only hashes of the one-time code and of the token are kept.
    enroll_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enroll_expires_at: Mapped[dt.datetime | None]
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    # The highest event number from this device that the hub has applied (exactly-once intake).
    last_event_n: Mapped[int] = mapped_column(BigInteger, default=0)
    last_seen_at: Mapped[dt.datetime | None]
    state: Mapped[dict] = mapped_column(JSONType, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    station: Mapped[Station] = relationship(lazy="joined")
