"""A posting's pay, settlement and places in words, the same on the kiosk, the wall and the phone
page: 180–220元/天, 日结, 还招3人 (Chinese first; English for foreign permanent residents); and
whether it is marked 即时快招 now, read the same way by both devices."""

from __future__ import annotations

import math

LANGUAGES = ("zh", "en")
# key: (中文, English)
WORDS: dict[str, tuple[str, str]] = {
    "unit.hour": ("元/小时", "yuan/hour"),
    "unit.day": ("元/天", "yuan/day"),
    "unit.piece": ("元/单", "yuan/job"),
    "unit.lesson": ("元/课时", "yuan/lesson"),
    "unit.month": ("元/月", "yuan/month"),
    "settle.daily": ("日结", "Paid daily"),
    "settle.weekly": ("周结", "Paid weekly"),
    "settle.monthly": ("月结", "Paid monthly"),
    "settle.completion": ("完工结", "Paid on completion"),
}


def word(lang: str, key: str) -> str:
    """The word for a unit or a settlement key ("unit.day", "settle.daily"); an unknown key shows as itself."""
    entry = WORDS.get(key)
    return key if entry is None else entry[LANGUAGES.index(lang) if lang in LANGUAGES else 0]


def yuan(fen: int) -> str:
    value = fen / 100
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def pay_text(doc: dict, lang: str) -> str:
    unit = word(lang, f"unit.{doc.get('unit', 'day')}")
    low, high = doc.get("pay_min") or 0, doc.get("pay_max") or 0
    amount = yuan(high) if low == high else f"{yuan(low)}–{yuan(high)}"
    return f"{amount}{unit}" if lang == "zh" else f"{amount} {unit}"


def pay_standing(pay_min: int, pay_max: int, low: int, high: int) -> str:
    """Where a posting's pay (the middle of its range) stands against its trade's middle half here
    (the pay guide's low and high): "low", "middle" or "high"."""
    pay = (pay_min + pay_max) / 2
    return "low" if pay < low else "high" if pay > high else "middle"


def places_left(doc: dict) -> int:
    return max(0, doc.get("headcount", 0) - doc.get("filled", 0))


def fast_window(doc: dict) -> tuple[float, float, float] | None:
    """A posting's 即时快招 window — (from, interrupting card until, until), epoch s — or None when it
    has none or an unreadable one (a device reads it strictly: it comes from the hub)."""
    fast = doc.get("fast")
    if not isinstance(fast, list | tuple) or len(fast) != 3:
        return None
    if not all(isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t) for t in fast):
        return None
    start, card, until = fast
    return (start, card, until) if start <= card <= until and start < until else None


def fast_now(doc: dict, now: float) -> bool:
    """Whether the posting is marked 即时快招 at `now` (by the device's own clock)."""
    found = fast_window(doc)
    return found is not None and found[0] <= now < found[2]
