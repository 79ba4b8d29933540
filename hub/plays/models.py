"""One row per wall, posting and day: showings and seconds on screen, summed as batches arrive."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base


class PostingPlay(Base):
    __tablename__ = "posting_plays"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), primary_key=True, index=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    shows: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
