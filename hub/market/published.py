"""The market's figures as they are published — the JSON bodies of the public endpoints, and a
posting's place among its trade's pay — computed again only when their inputs changed."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from floor.postings import pay_standing, word
from hub.db import Database, utcnow
from hub.feed import service as feed
from hub.workers.models import Worker

from . import pay_guide, shortage
from .models import OfficialRate

# The last figures per database and kind, and the version they were computed at: the day, the
# change feed's head (a posting, a placement or an official rate moves it: each republishes a
# document) and, for the shortage list, the latest registration. Reading the version is one or
# two small queries, whoever calls and however often; the figures are computed once per version.
_cache: dict[tuple[int, str], tuple[tuple, dict]] = {}
_lock = threading.Lock()


def version(db: Database, *, registrations: bool = False) -> tuple:
    """What the figures depend on, read cheaply: the change feed's head (its primary key's
    maximum), the last official rate set and, for the shortage list, the latest registration."""
    with db.read() as session:
        head = feed.head(session)
        # (an official rate's source alone changes no figure devices hold, so no feed document)
        official = session.scalar(select(func.max(OfficialRate.updated_at)))
        latest = session.scalar(select(func.max(Worker.registered_at))) if registrations else None
    return head, official, latest


def cached(db: Database, name: str, compute: Callable[[Session, object], dict], *, registrations: bool = False) -> dict:
    now = utcnow()
    key = (now.date(), *version(db, registrations=registrations))
    with _lock:
        hit = _cache.get((id(db), name))
    if hit and hit[0] == key:
        return hit[1]
    with db.read() as session:
        body = {"generated_at": now.isoformat(timespec="seconds"), **compute(session, now)}
    with _lock:
        _cache[(id(db), name)] = (key, body)
    return body


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def pay_guide_body(session: Session, now) -> dict:
    names = pay_guide.trade_names(session)
    return {
        "window_days": pay_guide.WINDOW_DAYS,
        "min_postings": pay_guide.MIN_POSTINGS,
        "method": (
            f"每个工种、每种计价单位：近{pay_guide.WINDOW_DAYS}天发布的岗位工资（取区间中值），"
            f"按招工人数加已上岗人数加权，取第25、50、75百分位；少于{pay_guide.MIN_POSTINGS}个岗位的不公布；"
            "有官方指导价位的工种以官方为准"
        ),
        "rates": [
            {
                "trade": r.trade_id,
                "trade_name": names.get(r.trade_id, ("", 0))[0],
                "category": names.get(r.trade_id, ("", 0))[1],
                "unit": r.unit.value,
                "unit_name": word("zh", f"unit.{r.unit.value}"),
                "low": _yuan(r.low_fen),
                "median": _yuan(r.median_fen),
                "high": _yuan(r.high_fen),
                "postings": r.postings,
                "placements": r.placements,
                "official": r.official,
                "source": r.source or "market",
            }
            for r in pay_guide.guide_rates(session, now)
        ],
    }


def shortage_body(session: Session, now) -> dict:
    names = pay_guide.trade_names(session)
    return {
        "window_days": shortage.WINDOW_DAYS,
        "min_places": shortage.MIN_PLACES,
        "method": (
            f"每个工种：近{shortage.WINDOW_DAYS}天发布岗位的招工人数 ÷ 同期登记想干这个活的人数（求人倍率）；"
            f"无人登记的按1人算；招工少于{shortage.MIN_PLACES}人的不列入；趋势与再往前{shortage.WINDOW_DAYS}天相比"
        ),
        "trades": [
            {
                "trade": s.trade_id,
                "trade_name": names.get(s.trade_id, ("", 0))[0],
                "category": names.get(s.trade_id, ("", 0))[1],
                "places": s.places,
                "workers": s.workers,
                "ratio": s.ratio,
                "previous_ratio": s.previous_ratio,
                "trend": s.trend,
            }
            for s in shortage.shortages(session, now)
        ],
    }


POSITION_WORDS = {"high": "偏高", "middle": "中等", "low": "偏低"}


def pay_position(db: Database, trade_id: int, unit: str, pay_min_fen: int, pay_max_fen: int) -> dict | None:
    """Where a posting's pay stands among its trade's here: {"word": 偏高|中等|偏低, "range":
    "280–320元/天", "official": bool}, or None when the guide has no figure for its trade and unit."""
    rates = cached(db, "pay-guide", pay_guide_body)["rates"]
    rate = next((r for r in rates if r["trade"] == trade_id and r["unit"] == unit), None)
    if rate is None:
        return None
    where = pay_standing(pay_min_fen, pay_max_fen, round(rate["low"] * 100), round(rate["high"] * 100))
    low, high = (f"{v:g}" for v in (rate["low"], rate["high"]))
    return {"word": POSITION_WORDS[where], "range": f"{low}–{high}{rate['unit_name']}", "official": rate["official"]}
