"""Station records."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, JSONType, str_enum, utcnow


class StationKind(enum.StrEnum):
    MARKET = "market"  # 零工市场: a city or district hall
    STATION = "station"  # 零工驿站: a small point in a community, village or wholesale market


class Station(Base):
    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[StationKind] = mapped_column(str_enum(StationKind))
    district: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(20))
    # 服务规范, 服务热线 and 投诉电话, set by the station's staff (hub.trust), on kiosks and phone pages.
    rules: Mapped[str] = mapped_column(Text, default="")
    hotline: Mapped[str] = mapped_column(String(20), default="")
    complaint_phone: Mapped[str] = mapped_column(String(20), default="")
    # The week every wall of the station follows unless it has its own (hub.devices.schemas.Schedule).
    wall_schedule: Mapped[dict | None] = mapped_column(JSONType, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
