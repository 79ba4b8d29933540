"""Worker records: never a raw ID number; a phone only with consent."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, JSONType, utcnow


class Worker(Base):
    __tablename__ = "workers"
    # 岗位找人 asks before each ranking how many are registered and what changed since when: both
    # answered from this narrow index. (Not one on registered_at alone: the shortage list's range
    # over registered_at then went through it row by row, slower than its scan.)
    __table_args__ = (Index("ix_workers_updated_registered", "updated_at", "registered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)  # HMAC-SHA256 with the hub's secret
    id_masked: Mapped[str] = mapped_column(String(18))  # 110105********002X
    phone: Mapped[str | None] = mapped_column(String(20))
    phone_consent_at: Mapped[dt.datetime | None]
    # 有合适的活，驿站可以打电话告诉我: a consent of its own (岗位找人); None when not given or withdrawn.
    contact_consent_at: Mapped[dt.datetime | None]
    name_masked: Mapped[str] = mapped_column(String(30), default="")  # 蔡**: how staff address them
    # trades, districts, expected pay, availability — what they asked to be matched on.
    intention: Mapped[dict] = mapped_column(JSONType, default=dict)
    registered_at: Mapped[dt.datetime | None]
    registered_station_id: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
