"""Courses and sign-ups: a seat is a row; a completed course stays on the worker's record."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.stations.models import Station
from hub.trades.models import Trade

course_stations = Table(
    "course_stations",
    Base.metadata,
    Column("course_id", ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)


class CourseStatus(enum.StrEnum):
    OPEN = "open"  # taking sign-ups until `signup_until` or the seats are gone
    CLOSED = "closed"  # no more sign-ups; the roster stands
    CANCELLED = "cancelled"


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), index=True)
    organiser: Mapped[str] = mapped_column(String(40))  # 培训学校 or the market itself
    place: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    schedule: Mapped[str] = mapped_column(String(120), default="")  # 周一至周五 9:00–12:00, in words
    seats: Mapped[int]
    # The subsidy rule in words (先垫付，结业后按规定补贴); "" means free (免费).
    cost: Mapped[str] = mapped_column(String(120), default="")
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    registered_only: Mapped[bool] = mapped_column(Boolean, default=False)  # 已登记求职的零工
    signup_until: Mapped[dt.datetime]
    all_stations: Mapped[bool] = mapped_column(Boolean, default=True)  # else course_stations
    status: Mapped[CourseStatus] = mapped_column(str_enum(CourseStatus), default=CourseStatus.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    trade: Mapped[Trade] = relationship(lazy="joined")
    stations: Mapped[list[Station]] = relationship(secondary=course_stations, lazy="selectin")


class Signup(Base):
    """One worker's seat on one course. Only a masked name, and a phone only with consent."""

    __tablename__ = "course_signups"
    __table_args__ = (
        UniqueConstraint("course_id", "worker_id", name="uq_course_signups_worker"),
        Index("ix_course_signups_worker_completed", "worker_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"))
    code: Mapped[str] = mapped_column(String(20), unique=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    signed_at: Mapped[dt.datetime]
    masked_name: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # with consent, until the course is long over
    attended_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]  # 结业: kept on the worker's record
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
