"""Staff set and withdraw the city's official pay guide rates (administrators only: the figure is
published to every screen as the labour bureau's)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import NotFound
from hub.fields import Input
from hub.postings.models import PayUnit
from hub.trades.models import Trade

from .models import OfficialRate

MAX_FEN = 100_000_000  # a million yuan: anything above is a typing slip


class OfficialRateIn(Input):
    low_fen: int = Field(ge=1, le=MAX_FEN)
    median_fen: int = Field(ge=1, le=MAX_FEN)
    high_fen: int = Field(ge=1, le=MAX_FEN)
    # Trimmed before its length is checked: a source of blanks would publish 官方 naming no one.
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=80)] = Field(
        description="e.g. 云江市人社局2026年零工岗位工资指导价位"
    )

    @model_validator(mode="after")
    def ordered(self) -> OfficialRateIn:
        if not self.low_fen <= self.median_fen <= self.high_fen:
            raise ValueError("低位数、中位数、高位数应从小到大")
        return self


def put(session: Session, trade_id: int, unit: PayUnit, body: OfficialRateIn, user_id: int) -> OfficialRate:
    if session.get(Trade, trade_id) is None:
        raise NotFound("没有这个工种", code="market.trade_unknown", field="trade_id")
    rate = session.scalar(select(OfficialRate).where(OfficialRate.trade_id == trade_id, OfficialRate.pay_unit == unit))
    if rate is None:
        rate = OfficialRate(trade_id=trade_id, pay_unit=unit)
        session.add(rate)
    rate.low_fen, rate.median_fen, rate.high_fen = body.low_fen, body.median_fen, body.high_fen
    rate.source, rate.updated_by = body.source.strip(), user_id
    session.flush()
    return rate


def withdraw(session: Session, trade_id: int, unit: PayUnit) -> None:
    rate = session.scalar(select(OfficialRate).where(OfficialRate.trade_id == trade_id, OfficialRate.pay_unit == unit))
    if rate is None:
        raise NotFound("这个工种没有录入官方指导价", code="market.official_unknown")
    session.delete(rate)
