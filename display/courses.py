"""技能培训 on the wall: the courses taking sign-ups here, with their seats left, as lines of the
notice strip (no Kivy here). The hub publishes each course with its seats left whenever a seat is
taken (hub.training); a course leaves the strip when its sign-ups close, by the wall's own clock."""

from __future__ import annotations

import datetime as dt

from .strings import tr

LINES = 2  # beside the three newest notices: the strip stays one readable line


def course_lines(courses: list[dict], now: float, limit: int = LINES) -> list[str]:
    """【培训】家政保洁免费培训 12月10日开课 免费 还剩30个名额 — soonest first; full ones are left out
    (a wall cannot take a sign-up, and a full course only sends people to the kiosk for nothing)."""
    live = [c for c in courses if c.get("to", 0) > now and int(c.get("left") or 0) > 0]
    live.sort(key=lambda c: (c.get("starts_on", ""), c.get("id", 0)))
    lines = []
    for c in live[:limit]:
        start = dt.date.fromisoformat(c["starts_on"])
        lines.append(
            tr(
                "course.line",
                title=c.get("title", ""),
                m=start.month,
                d=start.day,
                cost=tr("course.paid") if c.get("cost") else tr("course.free"),
                left=int(c["left"]),
            )
        )
    return lines
