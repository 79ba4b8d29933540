"""The city's official pay guide rates (指导价位), entered by staff: where one exists for a trade and
unit it is published instead of the market's own figures, marked as official."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, str_enum, utcnow
from hub.postings.models import PayUnit


class OfficialRate(Base):
    __tablename__ = "official_pay_rates"
    __table_args__ = (
        UniqueConstraint("trade_id", "pay_unit"),
        CheckConstraint("low_fen > 0 AND low_fen <= median_fen AND median_fen <= high_fen", name="rate_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(ForeignKey("trades.id", ondelete="CASCADE"))
    pay_unit: Mapped[PayUnit] = mapped_column(str_enum(PayUnit))
    low_fen: Mapped[int] = mapped_column(BigInteger)
    median_fen: Mapped[int] = mapped_column(BigInteger)
    high_fen: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(80))  # who set it, e.g. 云江市人社局2026年零工工资指导价位
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
