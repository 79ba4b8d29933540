"""Jinja2 for the hub's pages (autoescaped), and the texts postings are shown with."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import csrf

UNITS = {"hour": "元/小时", "day": "元/天", "piece": "元/单", "lesson": "元/课时", "month": "元/月"}
SETTLEMENTS = {"daily": "日结", "weekly": "周结", "monthly": "月结", "completion": "完工结"}


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    """Built on first use, not at import."""
    t = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
    t.env.filters["yuan"] = yuan
    return t


def yuan(fen: int) -> str:
    value = fen / 100
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def pay_text(low_fen: int, high_fen: int, unit: str) -> str:
    amount = yuan(high_fen) if low_fen == high_fen else f"{yuan(low_fen)}–{yuan(high_fen)}"
    return amount + UNITS.get(unit, "")


def render(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    """A page with the visitor's CSRF token in its forms (and cookie), never cached."""
    token = csrf.token_for(request)
    tz = request.app.state.settings.tz
    nonce = getattr(request.state, "csp_nonce", "")  # made by hub.web.headers for this response
    response = templates().TemplateResponse(
        request, name, {"tz": tz, **context, "csrf": token, "nonce": nonce}, status_code=status
    )
    csrf.remember(response, token)
    response.headers["Cache-Control"] = "no-store"
    return response
