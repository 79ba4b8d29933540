"""Departures and seats: a seat is a row, never more rows than seats, and boarding is marked on it."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.employers.models import Employer
from hub.postings.models import Posting
from hub.stations.models import Station

departure_stations = Table(
    "departure_stations",
    Base.metadata,
    Column("departure_id", ForeignKey("departures.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)

departure_postings = Table(
    "departure_postings",
    Base.metadata,
    Column("departure_id", ForeignKey("departures.id", ondelete="CASCADE"), primary_key=True),
    Column("posting_id", ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
)


class DepartureStatus(enum.StrEnum):
    OPEN = "open"  # taking sign-ups until `signup_until` or the seats are gone
    CLOSED = "closed"  # no more sign-ups; the manifest stands
    CANCELLED = "cancelled"


class Departure(Base):
    """One bus leaving at one time for one employer's work elsewhere."""

    __tablename__ = "departures"

    id: Mapped[int] = mapped_column(primary_key=True)
    destination: Mapped[str] = mapped_column(String(40))  # 江苏昆山
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    work: Mapped[str] = mapped_column(String(120))  # the work and pay in words: 电子厂普工，包吃住，月薪5000–6500元
    meeting_point: Mapped[str] = mapped_column(String(120))
    leaves_at: Mapped[dt.datetime]
    seats: Mapped[int]
    bring: Mapped[str] = mapped_column(String(120), default="")  # 身份证、换洗衣物
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    signup_until: Mapped[dt.datetime]
    all_stations: Mapped[bool] = mapped_column(default=True)  # else departure_stations
    status: Mapped[DepartureStatus] = mapped_column(str_enum(DepartureStatus), default=DepartureStatus.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    employer: Mapped[Employer] = relationship(lazy="joined")
    stations: Mapped[list[Station]] = relationship(secondary=departure_stations, lazy="selectin")
    postings: Mapped[list[Posting]] = relationship(secondary=departure_postings, lazy="selectin")


class BusSeat(Base):
    """One worker's seat on one departure. Only a masked name, and a phone only with consent."""

    __tablename__ = "bus_seats"
    __table_args__ = (UniqueConstraint("departure_id", "worker_id", name="uq_bus_seats_worker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    departure_id: Mapped[int] = mapped_column(ForeignKey("departures.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    signed_at: Mapped[dt.datetime]
    masked_name: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")  # with consent, until soon after the bus left
    boarded_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    departure: Mapped[Departure] = relationship(lazy="joined")
