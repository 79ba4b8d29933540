"""Announcement records and the stations they reach."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.stations.models import Station


class AnnouncementKind(enum.StrEnum):
    POLICY = "policy"  # 政策
    TRAINING = "training"  # 培训
    JOBFAIR = "jobfair"  # 招聘会
    SERVICES = "services"  # 服务
    NOTICE = "notice"  # 通知 (ticker line)
    EMERGENCY = "emergency"  # full-screen override on walls


announcement_stations = Table(
    "announcement_stations",
    Base.metadata,
    Column("announcement_id", ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)


class Announcement(Base):
    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AnnouncementKind] = mapped_column(str_enum(AnnouncementKind))
    title: Mapped[str] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text, default="")
    all_stations: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[int] = mapped_column(default=0)
    valid_from: Mapped[dt.datetime]
    valid_to: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    stations: Mapped[list[Station]] = relationship(secondary=announcement_stations, lazy="selectin")
