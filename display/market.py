"""The market layout's content — 工资指导价 and 紧缺工种 — from the hub's `market` document, in
words ready to draw (no Kivy here). The hub computes the figures (hub.market); a wall only shows
them, for as long as they are fresh enough to mean something."""

from __future__ import annotations

from device.data import fresh_market
from floor.postings import pay_text
from wire.documents import MarketDoc

from .strings import tr


def rate_rows(doc: MarketDoc, trades: dict[int, dict], limit: int) -> list[dict]:
    """The guide rates of the trades with the most postings behind them, in the catalogue's order."""
    rows = sorted((r for r in doc.get("rates") or [] if r[0] in trades), key=lambda r: -r[5])[:limit]
    rows.sort(key=lambda r: (trades.get(r[0], {}).get("sort", 1 << 30), r[0], r[1]))
    return [
        {
            "trade": trades[trade_id]["name"],
            "range": pay_text({"pay_min": low, "pay_max": high, "unit": unit}, "zh"),
            "median": pay_text({"pay_min": median, "pay_max": median, "unit": unit}, "zh")
            + (tr("market.official") if official else ""),
        }
        for trade_id, unit, low, median, high, _postings, official in rows
    ]


def shortage_rows(doc: MarketDoc, trades: dict[int, dict], limit: int) -> list[dict]:
    """The trades most short of workers, most short first."""
    return [
        {
            "rank": str(rank),
            "trade": trades[trade_id]["name"],
            "places": tr("market.places", n=places),
            "workers": tr("market.workers", n=workers),
            "trend": tr(f"market.trend.{trend}"),
        }
        for rank, (trade_id, places, workers, _ratio, trend) in enumerate(
            [r for r in doc.get("shortage") or [] if r[0] in trades][:limit], start=1
        )
    ]


def market_view(doc: MarketDoc | None, trades: dict[int, dict], now: float, rows: int) -> dict:
    """What the market layout shows now: rates and shortages, or nothing when the figures are
    missing or stale (the layout then says so instead of showing old figures)."""
    doc = fresh_market(doc, now)
    if doc is None:
        return {"rates": [], "shortage": []}
    return {"rates": rate_rows(doc, trades, rows), "shortage": shortage_rows(doc, trades, min(rows, 10))}
