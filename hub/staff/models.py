"""Staff users (administrators, station staff) and their API tokens."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.stations.models import Station


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything
    STATION = "station"  # station staff: their stations only


staff_stations = Table(
    "staff_stations",
    Base.metadata,
    Column("user_id", ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[dt.datetime | None]

    stations: Mapped[list[Station]] = relationship(secondary=staff_stations, lazy="selectin")

    @property
    def station_ids(self) -> frozenset[int]:
        return frozenset(s.id for s in self.stations)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[StaffUser] = relationship(lazy="joined")
