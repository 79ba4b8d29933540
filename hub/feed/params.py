"""The feed routes' query parameters, read and checked by hand (see hub.feed.router.changes)."""

from __future__ import annotations

import math

from fastapi import Request

from hub.errors import Invalid
from wire.protocol import parse_etag


def number(request: Request, name: str, kind: type, low: float, high: float | None = None) -> int | float | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = kind(raw) if len(raw) <= 32 else kind("x")
    except ValueError:
        raise Invalid(
            f"{name}: 必须是{'整数' if kind is int else '数字'}", code="feed.not_a_number", field=name
        ) from None
    if not math.isfinite(value) or value < low or (high is not None and value > high) or value > 2**62:
        raise Invalid(
            f"{name}: 必须在 {low} 到 {high} 之间" if high is not None else f"{name}: 至少是 {low}",
            code="feed.out_of_range",
            field=name,
        )
    return value


def cursor_of(request: Request) -> int:
    """The cursor the device holds: `?since=N`, or the ETag it was last given as If-None-Match."""
    since = number(request, "since", int, 0)
    if since is None:
        since = parse_etag(request.headers.get("if-none-match"))
        if since is None:
            raise Invalid("since: 请用 ?since=N 或 If-None-Match 给出位置", code="feed.cursor_needed", field="since")
    return since
