"""Release records: what was signed, and to whom it is rolled out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, JSONType, utcnow


class Release(Base):
    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    # What the update key signed (wire/releases.py); the wheel is stored under the hub's state
    # folder by its digest, never by a name from a request.
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[str] = mapped_column(String(100))
    # Rolled out to every device of these stations, and to this share of all devices (chosen by a
    # hash of the device's id: the same devices first every time, and growing the share keeps them).
    station_ids: Mapped[list] = mapped_column(JSONType, default=list)
    percent: Mapped[int] = mapped_column(default=0)
    # An administrator's word that devices may go back to this older version (a rollback by choice).
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    published_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
