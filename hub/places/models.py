"""Place records: a named point (GCJ-02, like every point the hub keeps) in a district."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, utcnow


class Place(Base):
    __tablename__ = "places"
    __table_args__ = (UniqueConstraint("district", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(40))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
