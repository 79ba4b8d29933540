"""Posting records and the stations that show them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from hub.db import Base, str_enum, utcnow
from hub.employers.models import Employer
from hub.stations.models import Station
from hub.trades.models import Trade


class PayUnit(enum.StrEnum):
    HOUR = "hour"  # 元/小时
    DAY = "day"  # 元/天
    PIECE = "piece"  # 元/单
    LESSON = "lesson"  # 元/课时
    MONTH = "month"  # 元/月


class Settlement(enum.StrEnum):
    DAILY = "daily"  # 日结
    WEEKLY = "weekly"  # 周结
    MONTHLY = "monthly"  # 月结
    ON_COMPLETION = "completion"  # 完工结


class PostingStatus(enum.StrEnum):
    OPEN = "open"
    FULL = "full"
    CLOSED = "closed"


posting_stations = Table(
    "posting_stations",
    Base.metadata,
    Column("posting_id", ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True),
    Column("station_id", ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True),
)


class Posting(Base):
    __tablename__ = "postings"
    __table_args__ = (
        CheckConstraint("headcount > 0", name="headcount_positive"),
        CheckConstraint("filled >= 0 AND filled <= headcount", name="filled_in_range"),
        CheckConstraint("pay_min_fen >= 0 AND pay_max_fen >= pay_min_fen", name="pay_range"),
        CheckConstraint("age_min IS NULL OR age_max IS NULL OR age_min <= age_max", name="age_range"),
        CheckConstraint("valid_to > valid_from", name="valid_window"),
        Index("ix_postings_status_valid_to", "status", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(40))
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employers.id"), index=True)
    headcount: Mapped[int]
    filled: Mapped[int] = mapped_column(default=0)
    pay_min_fen: Mapped[int] = mapped_column(BigInteger)
    pay_max_fen: Mapped[int] = mapped_column(BigInteger)
    pay_unit: Mapped[PayUnit] = mapped_column(str_enum(PayUnit))
    settlement: Mapped[Settlement] = mapped_column(str_enum(Settlement))
    work_start: Mapped[dt.date] = mapped_column(Date)
    work_end: Mapped[dt.date | None] = mapped_column(Date)
    daily_hours: Mapped[str] = mapped_column(String(40), default="")  # "07:00-17:00" or words
    district: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    all_stations: Mapped[bool] = mapped_column(Boolean, default=True)  # else posting_stations
    contact_person: Mapped[str] = mapped_column(String(30))
    contact_phone: Mapped[str] = mapped_column(String(20))
    requirements: Mapped[str] = mapped_column(Text, default="")
    benefits: Mapped[str] = mapped_column(Text, default="")
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    # 持证上岗: the work asks for a certificate of its trade (电工证, 健康证 …). A worker who completed
    # a course of the trade (hub.training, 结业) ranks first for it, at the kiosk and on call lists.
    certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    # 即时快招 (hub.postings.fast): from when, the interrupting card on walls until when, and the
    # head of every list until when. Devices read the times and let it lapse by their own clock.
    fast_from: Mapped[dt.datetime | None]
    fast_card_to: Mapped[dt.datetime | None]
    fast_to: Mapped[dt.datetime | None]
    status: Mapped[PostingStatus] = mapped_column(str_enum(PostingStatus), default=PostingStatus.OPEN)
    valid_from: Mapped[dt.datetime]
    valid_to: Mapped[dt.datetime]
    version: Mapped[int] = mapped_column(default=1)
    # When it stopped being open (full or closed); the applicants' names and phones are kept for a
    # set time after the posting ends, then erased (see hub.privacy.retention).
    ended_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    trade: Mapped[Trade] = relationship(lazy="joined")
    employer: Mapped[Employer] = relationship(lazy="joined")
    stations: Mapped[list[Station]] = relationship(secondary=posting_stations, lazy="selectin")

    @validates("status")
    def _ended(self, _key: str, status: PostingStatus) -> PostingStatus:
        if status is PostingStatus.OPEN:
            self.ended_at = None
        elif self.status in (None, PostingStatus.OPEN) or self.ended_at is None:
            self.ended_at = utcnow()
        return status

    @property
    def places_left(self) -> int:
        return max(0, self.headcount - self.filled)
