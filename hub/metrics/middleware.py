"""Times every HTTP request and counts it by its route's template (never the raw path)."""

from __future__ import annotations

import time

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .instruments import LATENCY, REQUESTS, UNMATCHED


def route_of(scope: Scope) -> str:
    """The template the router matched (/api/v1/devices/{device_id}), set by Starlette on the scope;
    a mount (the static files) by its prefix; anything else as one fixed label."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        return path
    return UNMATCHED


class RequestMetrics:
    """Outermost but for the address settling: a request refused by a later middleware (a hostile
    address, a body too large) is counted too, under the route it would have reached or unmatched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the server answers when the app raises before it started an answer
        # The request as it came (routing rewrites path and root_path inside a mount).
        probe = {
            "type": "http",
            "path": scope["path"],
            "root_path": scope.get("root_path", ""),
            "method": scope.get("method"),
        }
        started = time.perf_counter()

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = route_of(scope)
            if route == UNMATCHED:
                route = _matching(scope, probe)
            method = scope.get("method", "GET")
            method = method if method in _METHODS else "OTHER"
            REQUESTS.labels(route, method, str(status)).inc()
            LATENCY.labels(route, method).observe(time.perf_counter() - started)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _matching(scope: Scope, probe: dict) -> str:
    """A request answered before routing (by a middleware further in), or by a mount (the static
    files: FastAPI names only its own routes on the scope): the route it reached or would have,
    looked up again without calling it."""
    app = scope.get("app")
    router = getattr(app, "router", None)
    for route in getattr(router, "routes", ()):
        try:
            match, _ = route.matches(dict(probe))
        except Exception:  # a route that cannot judge this scope is simply not it
            continue
        if match is not Match.NONE:
            return getattr(route, "path", UNMATCHED) or UNMATCHED
    return UNMATCHED
