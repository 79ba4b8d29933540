"""The change log (append-only, one row per change) and the feed state (latest row per document)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, BigIntPK, utcnow


class ChangeLog(Base):
    __tablename__ = "change_log"

    seq: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(3))  # put | del
    doc: Mapped[str] = mapped_column(Text)  # JSON as devices receive it
    scope: Mapped[str] = mapped_column(Text)  # JSON: who may see it now (see hub.feed.scope)
    prev_scope: Mapped[str | None] = mapped_column(Text)  # who could see it before this change
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class FeedState(Base):
    """The fold of the change log: what a device bootstrapping now must receive."""

    __tablename__ = "feed_state"
    __table_args__ = (Index("ix_feed_state_seq", "seq"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    entity_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    op: Mapped[str] = mapped_column(String(3))
    doc: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
