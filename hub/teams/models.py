"""A team of workers a station vouches for: its trades, its leader (a masked name only), its districts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import Base, utcnow
from hub.stations.models import Station
from hub.trades.models import Trade

team_trades = Table(
    "team_trades",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("trade_id", ForeignKey("trades.id", ondelete="CASCADE"), primary_key=True),
)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(30))  # 老王水电安装队
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)  # whose wall, whose queue
    leader: Mapped[str] = mapped_column(String(30))  # masked when saved: 王** (the wall is public)
    members: Mapped[int]
    districts: Mapped[str] = mapped_column(String(120))  # where it works, in words: 青川区、滨江区
    active: Mapped[bool] = mapped_column(default=True)  # retired teams leave the wall; their orders stay
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    station: Mapped[Station] = relationship(lazy="joined")
    trades: Mapped[list[Trade]] = relationship(secondary=team_trades, lazy="selectin", order_by="Trade.id")
