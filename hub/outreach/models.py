"""Call lists for new postings, workers marked for graded help, and the notices sent to workers."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, JSONType, str_enum, utcnow


class CallStatus(enum.StrEnum):
    PENDING = "pending"  # not called yet
    REACHED = "reached"  # 接通
    NOT_INTERESTED = "declined"  # 不感兴趣
    APPLIED = "applied"  # 已报名
    NO_NUMBER = "no_number"  # 空号


class OutreachCall(Base):
    """One worker on one posting's call list, kept for the station that knows the worker."""

    __tablename__ = "outreach_calls"
    __table_args__ = (
        UniqueConstraint("posting_id", "worker_id", name="uq_outreach_call_posting_worker"),
        Index("ix_outreach_calls_worker_seen", "worker_id", "seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    rank: Mapped[int]  # 1 first: graded-help workers lead, then by score
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list] = mapped_column(JSONType, default=list)  # [[code, value], …] (floor.matching)
    helped: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CallStatus] = mapped_column(str_enum(CallStatus), default=CallStatus.PENDING)
    marked_at: Mapped[dt.datetime | None]
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    seen_at: Mapped[dt.datetime | None]  # shown at a kiosk as 新 (the worker's next card)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HelpKind(enum.StrEnum):
    LONG_WAITING = "long_waiting"  # 长期未就业
    OLDER = "older"  # 大龄
    DISABLED = "disabled"  # 残疾
    LOW_INCOME = "low_income"  # 低收入


class WorkerHelp(Base):
    """A worker staff marked as needing help, after asking them (the consent is the record)."""

    __tablename__ = "worker_help"

    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True)
    kinds: Mapped[list] = mapped_column(JSONType, default=list)  # HelpKind values
    consent_at: Mapped[dt.datetime]  # when staff recorded that the worker agreed
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    marked_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class NoticeStatus(enum.StrEnum):
    SENT = "sent"  # (with no attempts yet: claimed by a staff member's press, being sent)
    FAILED = "failed"


class OutreachNotice(Base):
    """A text message about one posting to one worker (what it said is not kept: trade, pay, station)."""

    __tablename__ = "outreach_notices"
    __table_args__ = (
        UniqueConstraint("posting_id", "worker_id", name="uq_outreach_notice_posting_worker"),
        Index("ix_outreach_notices_worker_day", "worker_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))  # the hub's local date, for the daily cap
    status: Mapped[NoticeStatus] = mapped_column(str_enum(NoticeStatus))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
