"""即时快招 on a wall (no Kivy here): when a marked posting interrupts the screen, when it only leads
its trade's pages, and its interrupting card's lines and type size.

The hub sends each marked posting's window as [from, card until, until]; the wall follows it by its
own clock, so the card ends and the mark lapses offline too, with no message from the hub."""

from __future__ import annotations

import math
from collections.abc import Callable

from floor.postings import fast_window as window

CARD, LEAD = "card", "lead"


def phase(doc: dict, now: float) -> str:
    """CARD while walls interrupt with it, LEAD while it leads its trade's pages, else ""."""
    found = window(doc)
    if found is None or not (found[0] <= now < found[2]):
        return ""
    return CARD if now < found[1] else LEAD


def next_change(docs: list[dict], now: float) -> float:
    """When the next posting's card starts or ends or its mark lapses (the wall re-sorts then)."""
    ahead = [t for d in docs if (w := window(d)) for t in w if t > now]
    return min(ahead, default=math.inf)


def arrangements(item: dict, tr: Callable[..., str], *, prefix: str = "") -> list[list[str]]:
    """The card's text — what the job is, what it pays, how many and where, whom to call — as four
    lines, as two, and as one (a strip is one line tall); `prefix` goes before the first line."""
    places = tr("fast.places", places=item["places"]) if item.get("places") else ""  # 招3人, not a bare 3人
    where = "  ".join(t for t in (places, item.get("place", "")) if t)
    phone = tr("fast.call", phone=item["phone"]) if item.get("phone") else ""
    parts = [t for t in (item.get("title", ""), item.get("pay", ""), where, phone) if t]
    if not parts:
        return []
    half = (len(parts) + 1) // 2
    shapes = [parts, ["   ".join(parts[:half]), "   ".join(parts[half:])], ["   ".join(parts)]]
    return [[prefix + shape[0], *shape[1:]] for shape in shapes if all(shape)]


def best_fit(
    shapes: list[list[str]], width: float, height: float, measure: Callable[[str], float], **sizes
) -> tuple[int, list[str]]:
    """Of the ways to set the card, the one whose type is largest (the first of equals)."""
    scored = [(fit_size(lines, width, height, measure, **sizes), -i, lines) for i, lines in enumerate(shapes)]
    size, _i, lines = max(scored, default=(int(sizes["low"]), 0, []))
    return size, lines


def fitting(
    shapes: list[list[str]], width: float, height: float, measure: Callable[[str], float], *, line_px: float, low: float
) -> list[list[str]]:
    """The ways to set the card whose every line fits whole at `low` or larger: a strip cuts what
    does not fit on one line, so it must not be handed two lines it has no room for — nor cut the
    place and the phone off a card that two lines would have held."""
    return [s for s in shapes if fit_size(s, width, height, measure, line_px=line_px, low=0, high=low) >= low]


def fit_size(
    lines: list[str],
    width: float,
    height: float,
    measure: Callable[[str], float],
    *,
    line_px: float,
    low: float,
    high: float,
) -> int:
    """The largest type size in [low, high] at which every line fits `width` unbroken and all of them
    fit `height` (`measure` gives a line's width, `line_px` a line's height, both at size 100).
    Never below `low`: a line too long even then is shortened on screen rather than made unreadable."""
    if not lines:
        return int(low)
    by_height = height * 100 / (len(lines) * max(line_px, 1.0))
    by_width = min(width * 100 / max(measure(line), 1.0) for line in lines)
    return int(max(low, min(high, by_height, by_width)))
