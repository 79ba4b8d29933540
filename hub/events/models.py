"""The record of every device event the hub has taken in, and what became of it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, utcnow


class DeviceEvent(Base):
    __tablename__ = "device_events"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), index=True)  # the event's identity, for audits
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(10))  # applied | rejected
    reason: Mapped[str] = mapped_column(String(200), default="")
    ref: Mapped[str] = mapped_column(String(40), default="")  # e.g. the application code
    created_at: Mapped[dt.datetime]  # device clock
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
