"""Security headers on every answer: a Content-Security-Policy on each HTML page (scripts only from
the hub itself, or with this response's nonce, plus the one video origin a page may declare),
no framing, no MIME sniffing, no referrer (signed links live in paths), HSTS behind HTTPS."""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wire.protocol import SYNC_PREFIX

HSTS = "max-age=31536000"


def policy(nonce: str, video_origin: str | None = None) -> str:
    """The page policy. Styles may be inline (the pages inline their CSS so that a slow phone makes
    one request; autoescaping keeps markup out of them); scripts may not, except with the nonce."""
    extra = f" {video_origin}" if video_origin else ""
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'{extra}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "connect-src 'self'",
            f"frame-src {video_origin}" if video_origin else "frame-src 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        )
    )


def allow_video(request, origin: str) -> None:
    """Lets this one page load script and frames from `origin` (an https origin checked by the caller)."""
    request.state.csp_video = origin


class SecurityHeaders:
    """Pure ASGI (no body buffering, nothing for long polls to wait on). The device sync routes
    get no headers: only devices call them, and every byte there is paid on every long poll."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(SYNC_PREFIX):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["csp_nonce"] = secrets.token_urlsafe(16)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                if self.https:
                    headers["Strict-Transport-Security"] = HSTS
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = policy(state["csp_nonce"], state.get("csp_video"))
                    headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)
