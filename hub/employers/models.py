"""Employer records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, utcnow


class Employer(Base):
    __tablename__ = "employers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    # Households posting an order have no credit code.
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    verified_at: Mapped[dt.datetime | None]
    contact_person: Mapped[str] = mapped_column(String(30), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(120), default="")
    # The station whose staff registered it: they (and administrators) may edit it once verified.
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    # Suspended by staff (hub.trust): its postings leave every screen and it may post none until lifted.
    suspended_at: Mapped[dt.datetime | None]
    suspended_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
