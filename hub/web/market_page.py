"""`/m`: the market's figures as a phone page — 工资指导价 and 紧缺工种 — linked from every posting's
page, readable without signing in (the same figures as /api/v1/market/…)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from hub.deps import DbDep
from hub.market.published import cached, pay_guide_body, shortage_body

from .pages import render

router = APIRouter(tags=["phone pages"], include_in_schema=False)
TRENDS = {"up": "更缺了", "down": "好些了", "steady": "持平", "new": "新上榜"}


def _yuan(value: float) -> str:
    return f"{value:g}"


@router.get("/m", response_class=HTMLResponse)
def market_page(request: Request, db: DbDep) -> HTMLResponse:
    guide = cached(db, "pay-guide", pay_guide_body)
    short = cached(db, "shortage", shortage_body, registrations=True)
    rates = sorted(guide["rates"], key=lambda r: (-r["postings"], r["trade_name"]))
    return render(
        request,
        "market.html",
        {
            "rates": [
                {
                    "trade": r["trade_name"],
                    "range": f"{_yuan(r['low'])}–{_yuan(r['high'])}{r['unit_name']}",
                    "median": f"{_yuan(r['median'])}{r['unit_name']}",
                    "official": r["official"],
                    "postings": r["postings"],
                }
                for r in rates
            ],
            "shortage": [dict(t, trend=TRENDS.get(t["trend"], "")) for t in short["trades"]],
            "guide_days": guide["window_days"],
            "shortage_days": short["window_days"],
            "min_postings": guide["min_postings"],
        },
    )
