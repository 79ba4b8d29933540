"""Trade and category records."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base


class TradeCategory(Base):
    __tablename__ = "trade_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(30))
    sort: Mapped[int] = mapped_column(default=0)


class Trade(Base):
    __tablename__ = "trades"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)  # also the icon's file name
    name: Mapped[str] = mapped_column(String(30))
    category_id: Mapped[int] = mapped_column(ForeignKey("trade_categories.id"))
    # 职业分类大典 (2022) code, filled only where someone verified it against the book.
    code: Mapped[str | None] = mapped_column(String(16))
    sort: Mapped[int] = mapped_column(default=0)

    category: Mapped[TradeCategory] = relationship(lazy="joined")
