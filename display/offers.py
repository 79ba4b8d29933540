"""Offerings with seats on the wall, as lines of the notice strip (no Kivy here): the courses taking
sign-ups here (技能培训) and the buses leaving from here (包车) with their seats left and the time
to go. The hub publishes each with its seats left whenever a seat is taken (hub.training,
hub.buses); one leaves the strip when full, or when its sign-ups close by the wall's own clock."""

from __future__ import annotations

import datetime as dt

from .strings import tr

LINES = 2  # of each kind, beside the three newest notices: the strip stays one readable line


def _taking(docs: list[dict], now: float, key) -> list[dict]:
    """Those still taking sign-ups with a seat left, in `key`'s order. A full one is left out: a wall
    cannot take a sign-up, and a full one only sends people to the kiosk for nothing."""
    return sorted((d for d in docs if d.get("to", 0) > now and int(d.get("left") or 0) > 0), key=key)


def course_lines(courses: list[dict], now: float, limit: int = LINES) -> list[str]:
    """【培训】家政保洁免费培训 12月10日开课 免费 还剩30个名额 — soonest first."""
    lines = []
    for c in _taking(courses, now, key=lambda c: (c.get("starts_on", ""), c.get("id", 0)))[:limit]:
        start = dt.date.fromisoformat(c["starts_on"])
        cost = tr("course.paid") if c.get("cost") else tr("course.free")
        lines.append(tr("course.line", title=c.get("title", ""), m=start.month, d=start.day, cost=cost, left=c["left"]))
    return lines


def countdown(leaves_at: float, now: float) -> str:
    """还有2天 / 还有5小时 / 还有40分钟: coarse on purpose — the strip's text changes seldom."""
    minutes = max(0, int(leaves_at - now)) // 60
    if minutes >= 24 * 60:
        return tr("bus.days", n=minutes // (24 * 60))
    return tr("bus.hours", n=minutes // 60) if minutes >= 60 else tr("bus.minutes", n=minutes)


def bus_lines(buses: list[dict], now: float, tz: dt.tzinfo, limit: int = LINES) -> list[str]:
    """【包车】12月6日 07:00 去江苏昆山 电子厂普工… 还剩12个座位，还有1天发车 — the soonest first."""
    lines = []
    for b in _taking(buses, now, key=lambda b: (b.get("leaves_at", 0), b.get("id", 0)))[:limit]:
        at = dt.datetime.fromtimestamp(int(b["leaves_at"]), tz)
        lines.append(
            tr(
                "bus.line",
                m=at.month,
                d=at.day,
                hm=f"{at:%H:%M}",
                place=b.get("destination", ""),
                work=b.get("work", ""),
                left=b["left"],
                until=countdown(b["leaves_at"], now),
            )
        )
    return lines
