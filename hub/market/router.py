"""The market's public figures as JSON: `GET /api/v1/market/pay-guide` (no sign-in: the labour
bureau, a newspaper or a worker's phone may read them)."""

from __future__ import annotations

import threading

from fastapi import APIRouter
from sqlalchemy import func, select

from floor.postings import word
from hub.applications.models import Application
from hub.db import utcnow
from hub.deps import DbDep
from hub.postings.models import Posting

from . import pay_guide

router = APIRouter(prefix="/api/v1/market", tags=["market"])

# The last figures per database, and what they were computed from: they are computed again only
# when a posting or an application changed, or the day moved the window on.
_cache: dict[int, tuple[tuple, dict]] = {}
_lock = threading.Lock()


def _inputs(session, now) -> tuple:
    postings = session.execute(select(func.count(), func.max(Posting.updated_at))).one()
    applications = session.execute(select(func.count(), func.max(Application.updated_at))).one()
    return (now.date(), *postings, *applications)


def _yuan(fen: int) -> float:
    return round(fen / 100, 2)


def pay_guide_body(db) -> dict:
    """The published pay guide (computed again only when its inputs changed)."""
    now = utcnow()
    with db.read() as session:
        inputs = _inputs(session, now)
        with _lock:
            hit = _cache.get(id(db))
        if hit and hit[0] == inputs:
            return hit[1]
        rates = pay_guide.market_rates(session, now)
        names = pay_guide.trade_names(session)
    body = {
        "generated_at": now.isoformat(timespec="seconds"),
        "window_days": pay_guide.WINDOW_DAYS,
        "min_postings": pay_guide.MIN_POSTINGS,
        "method": (
            f"每个工种、每种计价单位：近{pay_guide.WINDOW_DAYS}天发布的岗位工资（取区间中值），"
            f"按招工人数加已上岗人数加权，取第25、50、75百分位；少于{pay_guide.MIN_POSTINGS}个岗位的不公布"
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
                "source": "market",
            }
            for r in rates
        ],
    }
    with _lock:
        _cache[id(db)] = (inputs, body)
    return body


@router.get("/pay-guide")
def get_pay_guide(db: DbDep) -> dict:
    return pay_guide_body(db)
