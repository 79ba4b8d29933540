"""Counts per device and day (no person in any of them), and which wall a phone application came from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base


class CardVisitDay(Base):
    """Cards laid on one kiosk on one day (its own local day), summed as its batches arrive."""

    __tablename__ = "card_visit_days"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    visits: Mapped[int] = mapped_column(Integer, default=0)


class QrScanDay(Base):
    """Phone pages opened from one wall's QR codes on one day (the hub's day), per page of the wall."""

    __tablename__ = "qr_scan_days"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    page: Mapped[str] = mapped_column(String(12), primary_key=True)  # the wall's layout: cards, booth …
    scans: Mapped[int] = mapped_column(Integer, default=0)


class QrApplication(Base):
    """A phone application made from a page opened through a wall's QR code: the wall it came from."""

    __tablename__ = "qr_applications"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    page: Mapped[str] = mapped_column(String(12))
