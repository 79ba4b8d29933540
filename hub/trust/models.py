"""What trust keeps: each posting's screening and review, the hub's choice of flags that hold a
posting, and workers' reports (举报). An employer's suspension lives on the employer itself."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, JSONType, str_enum, utcnow


class ReviewState(enum.StrEnum):
    CLEAR = "clear"  # no flag that holds: shown
    WAITING = "waiting"  # held: no device or page shows it until staff decide
    APPROVED = "approved"  # staff let it through (the flags they saw stay approved)
    REJECTED = "rejected"  # 退回: not shown; an edit sends it to the queue again


class PostingCheck(Base):
    """A posting's latest screening: its flags ([code, reason] in Chinese) and what staff decided."""

    __tablename__ = "posting_checks"
    __table_args__ = (Index("ix_posting_checks_state", "state"),)

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    flags: Mapped[list] = mapped_column(JSONType, default=list)
    held_by: Mapped[str] = mapped_column(String(120), default="")  # the codes among flags that hold it
    state: Mapped[ReviewState] = mapped_column(str_enum(ReviewState), default=ReviewState.CLEAR)
    approved: Mapped[str] = mapped_column(String(120), default="")  # codes staff let through
    note: Mapped[str] = mapped_column(String(200), default="")  # why it was sent back
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None]
    screened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @property
    def codes(self) -> list[str]:
        return [code for code, _reason in self.flags or ()]

    @property
    def shown(self) -> bool:
        return self.state in (ReviewState.CLEAR, ReviewState.APPROVED)


class TrustSetting(Base):
    """The hub-wide choice of which flags hold a posting for review (one row, id 1; set by admins)."""

    __tablename__ = "trust_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    hold: Mapped[str] = mapped_column(String(120))  # flag codes, comma-separated
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ReportReason(enum.StrEnum):
    FEES = "fees"  # 收费/押金
    PAY = "pay"  # 工资不实
    ADDRESS = "address"  # 地址不实
    OTHER = "other"  # 其他


class Report(Base):
    """A worker's 举报 of a posting, from a kiosk (with the sealed person) or a phone page (none)."""

    __tablename__ = "posting_reports"
    __table_args__ = (Index("ix_posting_reports_posting", "posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(str_enum(ReportReason))
    via: Mapped[str] = mapped_column(String(10))  # kiosk | phone
    station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"), index=True)
    reporter: Mapped[str] = mapped_column(String(40), default="")  # masked: ID or phone, never whole
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
