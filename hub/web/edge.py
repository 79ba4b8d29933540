"""The hub's edge: a request whose address carries a control character (raw or %-encoded: %00, %0A,
%7F …) is refused with 400 before any route sees it, so no path or query value can carry one into
a page, a log line or the database."""

from __future__ import annotations

import json
import re

from starlette.types import ASGIApp, Receive, Scope, Send

_ENCODED = re.compile(rb"%(?:[01][0-9a-fA-F]|7[fF])")
_RAW = re.compile(rb"[\x00-\x1f\x7f]")
_BODY = json.dumps({"error": "the address contains a control character", "field": "url"}).encode()


class CleanAddresses:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
            query = scope.get("query_string", b"")
            if (
                _ENCODED.search(raw)
                or _RAW.search(raw)
                or _ENCODED.search(query)
                or _RAW.search(query)
                or _RAW.search(scope["path"].encode("utf-8", "surrogateescape"))
            ):
                await send(
                    {
                        "type": "http.response.start",
                        "status": 400,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(_BODY)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": _BODY})
                return
        await self.app(scope, receive, send)
