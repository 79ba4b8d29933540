"""Household order records (群众发单): the resident's phone is kept for the staff and the worker."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.stations.models import Station


class OrderStatus(enum.StrEnum):
    PENDING = "pending"  # waiting in the station's review queue
    REJECTED = "rejected"  # not a job staff will pass on (said why in `note`)
    PUBLISHED = "published"  # turned into a posting every screen shows
    DISPATCHED = "dispatched"  # handed to one registered worker (网格员派单)
    ACCEPTED = "accepted"  # the worker said yes
    COMPLETED = "completed"  # done: counts towards the worker's tally
    CANCELLED = "cancelled"


class HouseholdOrder(Base):
    __tablename__ = "household_orders"
    __table_args__ = (Index("ix_household_orders_station_status", "station_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # told to the resident
    need: Mapped[str] = mapped_column(String(40))  # what: 修灯, 陪护老人 …
    details: Mapped[str] = mapped_column(String(500), default="")
    district: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(120))
    when_text: Mapped[str] = mapped_column(String(40))  # 周六上午, 明天下午三点
    pay_fen: Mapped[int]  # what the resident offers for the whole job
    resident_phone: Mapped[str] = mapped_column(String(20))
    consent_at: Mapped[dt.datetime]
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    status: Mapped[OrderStatus] = mapped_column(str_enum(OrderStatus), default=OrderStatus.PENDING)
    note: Mapped[str] = mapped_column(String(200), default="")
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), index=True)
    # Placed through a team's QR on the wall (hub.teams): the station passes it to that team.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    dispatched_at: Mapped[dt.datetime | None]
    accepted_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    station: Mapped[Station] = relationship(lazy="joined")
