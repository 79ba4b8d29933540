"""Interview slots: one booth, one time, at most one worker; the room name is unguessable."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.devices.models import Device
from hub.postings.models import Posting


class SlotStatus(enum.StrEnum):
    OPEN = "open"
    BOOKED = "booked"
    CANCELLED = "cancelled"


class InterviewSlot(Base):
    __tablename__ = "interview_slots"
    __table_args__ = (Index("ix_interview_slots_booth_start", "booth_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]
    room: Mapped[str] = mapped_column(String(40), unique=True)  # 128 random bits: the room's only lock
    status: Mapped[SlotStatus] = mapped_column(str_enum(SlotStatus), default=SlotStatus.OPEN)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id"), index=True)
    masked_name: Mapped[str] = mapped_column(String(30), default="")  # what the employer sees
    booking_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    booked_at: Mapped[dt.datetime | None]
    booked_device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    checked_in_at: Mapped[dt.datetime | None]
    no_show_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    posting: Mapped[Posting] = relationship(lazy="joined")
    booth: Mapped[Device] = relationship(lazy="joined", foreign_keys=[booth_id])
