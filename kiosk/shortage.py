"""紧缺工种 at the kiosk ("这些活最缺人"): the hub's shortage list as big rows in plain words, and as
speech. The hub computes the figures (hub.market.shortage); no Kivy here."""

from __future__ import annotations

from .data import KioskData
from .i18n import translate

# Rows on the screen: six, big, fit 1080 px of height at both orientations (two columns of three
# in landscape); the hub publishes ten, and the wall shows them all.
ROWS = 6
TRENDS = ("up", "down", "steady", "new")


def rows(data: KioskData, lang: str, limit: int = ROWS) -> list[dict]:
    """The trades most short of workers, most short first, each with how many of its jobs this
    kiosk lists now (a trade with none here is still shown: it says where work is to be had)."""
    trades = data.reference.trades
    found = []
    for rank, (trade_id, places, workers, _ratio, trend, *_rest) in enumerate(data.shortage()[:limit], start=1):
        here = data.open_in_trade(trade_id)
        found.append(
            {
                "rank": str(rank),
                "trade": trade_id,
                "trade_name": trades[trade_id]["name"],
                "icon": trades[trade_id].get("slug", "job"),
                "need": need_text(places, workers, lang),
                "trend": translate(lang, f"shortage.trend.{trend}") if trend in TRENDS else "",
                "here": translate(lang, "shortage.here", n=here) if here else translate(lang, "shortage.none_here"),
                "has_jobs": here > 0,
            }
        )
    return found


def need_text(places: int, workers: int, lang: str) -> str:
    """要12人，登记想干的3人 — what the shortage is, in the words a worker would say it."""
    if workers <= 0:
        return translate(lang, "shortage.need_nobody", places=places)
    return translate(lang, "shortage.need", places=places, workers=workers)


def speech(found: list[dict], lang: str) -> str:
    """The list read aloud: 这些活最缺人。第1，厨师，要95人，还没人登记想干，这个月新上榜。…"""
    comma, stop = (", ", ". ") if lang == "en" else ("，", "。")
    parts = [translate(lang, "shortage.title")]
    for row in found:
        words = [row["trade_name"], row["need"], row["trend"], row["here"]]
        parts.append(translate(lang, "shortage.speech_row", rank=row["rank"], words=comma.join(w for w in words if w)))
    return stop.join(parts) + stop.strip()
