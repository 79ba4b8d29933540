"""Records every staff request that changes data (or reads personal data) once it has been answered:
who (the staff member the route's authentication found), from where, what (the action, the
record's id from the path, the outcome) — whether it succeeded or was refused."""

from __future__ import annotations

import logging

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wire.protocol import SYNC_PREFIX

from . import service
from .actions import name_of

log = logging.getLogger(__name__)


def note(request, *, target: str | None = None, station_id: int | None = None, detail: dict | None = None) -> None:
    """What a route adds to its audit entry: the record it made, the station, which fields changed."""
    audit = getattr(request.state, "audit", None) or {}
    if target is not None:
        audit["target"] = target
    if station_id is not None:
        audit["station_id"] = station_id
    if detail:
        audit.setdefault("detail", {}).update(detail)
    request.state.audit = audit


class AuditTrail:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(SYNC_PREFIX) or not path.startswith(("/api/", "/staff")):
            await self.app(scope, receive, send)
            return
        status = {"code": 0}

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            state = scope.get("state") or {}
            staff = state.get("staff")
            route = scope.get("route")
            action = name_of(scope["method"], getattr(route, "path", path)) if staff is not None else None
            if action is not None:  # no answer started: the request failed inside (a 500)
                await anyio.to_thread.run_sync(self._write, scope, state, staff, action, status["code"] or 500)

    @staticmethod
    def _write(scope: Scope, state: dict, staff, action: str, outcome: int) -> None:
        audit = state.get("audit") or {}
        params = scope.get("path_params") or {}
        target = audit.get("target") or " ".join(f"{k}={v}" for k, v in params.items())
        client = scope.get("client")
        try:
            with scope["app"].state.db.write() as session:
                service.record(
                    session,
                    action,
                    by=staff,
                    via=state.get("staff_via", "console"),
                    address=client[0] if client else "",
                    target=str(target),
                    station_id=audit.get("station_id"),
                    outcome=outcome,
                    detail=audit.get("detail"),
                )
        except Exception as exc:  # the answer has gone out; say so loudly, without the request's contents
            log.error("audit entry for %s could not be written: %s", action, type(exc).__name__)
