"""A fair, its booths and the numbers taken at them: a number is a row, called, served or skipped in turn."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, str_enum, utcnow
from hub.employers.models import Employer
from hub.stations.models import Station

fair_stations = Table(
    "fair_stations",
    Base.metadata,
    Column("fair_id", ForeignKey("fairs.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)


class FairStatus(enum.StrEnum):
    OPEN = "open"  # numbers are taken and called while the hall is open
    CLOSED = "closed"  # no more numbers; those taken are still called
    CANCELLED = "cancelled"


class Fair(Base):
    __tablename__ = "fairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))  # 春风行动专场招聘会
    hall: Mapped[str] = mapped_column(String(120))  # where it is held
    opens_at: Mapped[dt.datetime]
    closes_at: Mapped[dt.datetime]
    # A number called and not come this long is skipped when the booth calls the next (hub.fairs.queue).
    skip_after_s: Mapped[int] = mapped_column(default=180)
    all_stations: Mapped[bool] = mapped_column(default=True)  # else fair_stations: whose kiosks take numbers
    status: Mapped[FairStatus] = mapped_column(str_enum(FairStatus), default=FairStatus.OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    stations: Mapped[list[Station]] = relationship(secondary=fair_stations, lazy="selectin")
    booths: Mapped[list[Booth]] = relationship(
        back_populates="fair", lazy="selectin", order_by="Booth.id", cascade="all, delete-orphan"
    )


class Booth(Base):
    """An employer's booth at a fair: its number in the hall, and the letter its queue numbers carry."""

    __tablename__ = "fair_booths"
    __table_args__ = (
        UniqueConstraint("fair_id", "number", name="uq_fair_booths_number"),
        UniqueConstraint("fair_id", "letter", name="uq_fair_booths_letter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id"), index=True)
    number: Mapped[str] = mapped_column(String(8))  # 5 (号展位), as the hall's map says it
    letter: Mapped[str] = mapped_column(String(2))  # A: its numbers are A001, A002 …
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"))
    jobs: Mapped[str] = mapped_column(String(120))  # the jobs in words: 普工、叉车司机
    places: Mapped[int]  # how many they hire today

    fair: Mapped[Fair] = relationship(back_populates="booths")
    employer: Mapped[Employer] = relationship(lazy="joined")


class Ticket(Base):
    """One number taken at one booth. The worker is a keyed hash's row; the name only masked. The
    phone page that follows it is reached by a secret the kiosk made, of which the hub keeps a hash."""

    __tablename__ = "fair_tickets"
    __table_args__ = (
        UniqueConstraint("booth_id", "number", name="uq_fair_tickets_number"),
        Index("ix_fair_tickets_booth_worker", "booth_id", "worker_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booth_id: Mapped[int] = mapped_column(ForeignKey("fair_booths.id"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id"), index=True)
    number: Mapped[int]
    code: Mapped[str] = mapped_column(String(8))  # A023
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    taken_at: Mapped[dt.datetime]
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    masked_name: Mapped[str] = mapped_column(String(30), default="")
    called_at: Mapped[dt.datetime | None]
    served_at: Mapped[dt.datetime | None]  # they came to the booth
    skipped_at: Mapped[dt.datetime | None]  # called and not come in time: 过号
    hired_at: Mapped[dt.datetime | None]  # the employer took them on (录用)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    booth: Mapped[Booth] = relationship(lazy="joined")
