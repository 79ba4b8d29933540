"""A phone page opened from a wall's QR code (`?d=<wall>&p=<page>`): counted once per phone, posting,
wall and day, and carried in the apply form so the application is credited to that wall."""

from __future__ import annotations

import datetime as dt
import re

from fastapi import Request, Response

from hub.db import Database
from hub.errors import TooMany
from hub.outcomes import service as outcomes
from hub.ratelimit import RateLimit

SCAN_COOKIE = "lingong_scan"
_SCAN = re.compile(r"^(\d{1,10})\.(\d{1,10})\.(\d{8})$")  # wall.posting.day: this phone's last scan
_VIA = re.compile(r"^(\d{1,10})\.([a-z]{1,12})$")  # the form's hidden field: wall.page
# Scans counted per address: a market hall's phones share its Wi-Fi, so generously — but a script
# clearing its cookies in a loop stops moving the figures (the page itself is never refused).
COUNTED = RateLimit("qr-scan", 120, 600)


def asked(db: Database, d: str | None, p: str | None) -> tuple[int, str] | None:
    """The wall and page a QR link names; anything malformed, or not a wall in service, names none
    (and is otherwise ignored). A wall with no page (or a garbled one) counts under the page "qr"."""
    wall = outcomes.wall_of(d)
    if wall is None:
        return None
    with db.read() as session:
        if outcomes.live_wall(session, wall) is None:
            return None
    page = outcomes.page_of(p)
    return wall, page or "qr"


def count_scan(
    request: Request, response: Response, db: Database, tz: dt.tzinfo, posting_id: int, wall: tuple[int, str]
) -> None:
    """Counts the scan unless this phone already opened this posting from this wall today (a reload,
    or the back button, is not another scan). An unknown or retired wall counts nothing."""
    day = dt.datetime.now(tz).strftime("%Y%m%d")
    last = _SCAN.match(request.cookies.get(SCAN_COOKIE, ""))
    if last and (int(last.group(1)), int(last.group(2)), last.group(3)) == (wall[0], posting_id, day):
        return
    try:
        request.app.state.limits.limiter.hit(COUNTED, request.client.host if request.client else "?")
    except TooMany:
        return
    with db.write() as session:
        counted = outcomes.record_scan(session, wall[0], wall[1], dt.datetime.now(tz).date())
    if counted:
        response.set_cookie(
            SCAN_COOKIE,
            f"{wall[0]}.{posting_id}.{day}",
            max_age=86400,
            httponly=True,
            samesite="lax",
            path="/p",
            secure=request.app.state.settings.https,
        )


def via_field(wall: tuple[int, str] | None) -> str:
    """The apply form's hidden `via` value for a page opened from a wall's code ("" otherwise)."""
    return f"{wall[0]}.{wall[1]}" if wall else ""


def from_via(text: str) -> tuple[int, str] | None:
    """The apply form's `via`, strictly: wall.page (the wall is checked again when credited)."""
    match = _VIA.match(text or "")
    if not match or outcomes.wall_of(match.group(1)) is None:
        return None
    return int(match.group(1)), match.group(2)
