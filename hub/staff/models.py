"""Staff users (administrators, station staff), their console sessions and their API tokens."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, String, Table
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
    # Repeated wrong passwords lock the account for a while (hub.staff.service.LOCKOUT).
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime | None]
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)  # after an administrator's reset
    # The second factor (TOTP, RFC 6238): the secret sealed under a key derived from the hub's
    # secret; confirmed once the first code from the person's app matched; the last time step used,
    # so a code seen over a shoulder cannot be used again.
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    totp_confirmed_at: Mapped[dt.datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

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


class StaffSession(Base):
    """A console sign-in, kept on the hub: the cookie holds a random token, this row its hash.
    Logging out, disabling the user, idle time or the absolute lifetime end it."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    # "password": the password was right, the second factor is still to come; "full": signed in.
    stage: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(45), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]

    user: Mapped[StaffUser] = relationship(lazy="joined")
