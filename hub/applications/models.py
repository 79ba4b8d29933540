"""Application records: the consented name and phone travel only here, for the employer."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.postings.models import Posting


class ApplicationStatus(enum.StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    HIRED = "hired"
    NO_SHOW = "no_show"
    WITHDRAWN = "withdrawn"


class Application(Base):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("device_id", "device_n", name="uq_application_device_event"),
        UniqueConstraint("posting_id", "worker_id", name="uq_application_posting_worker"),
        Index("ix_applications_station_received", "station_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # printed on the receipt
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    device_n: Mapped[int | None] = mapped_column(BigInteger)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"), index=True)
    name: Mapped[str] = mapped_column(String(30), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    consent_at: Mapped[dt.datetime | None]
    status: Mapped[ApplicationStatus] = mapped_column(str_enum(ApplicationStatus), default=ApplicationStatus.NEW)
    hired_at: Mapped[dt.datetime | None]  # when staff recorded the worker as placed
    # Made at a kiosk while the posting was open there, received after it had closed, filled or
    # run out (the kiosk was offline): kept, and listed for the station to offer similar work.
    posting_ended: Mapped[bool] = mapped_column(Boolean, default=False)
    applied_at: Mapped[dt.datetime]  # when the worker applied (device clock)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    posting: Mapped[Posting] = relationship(lazy="joined")
