"""Where each field of a posting row sits on a table or a strip, from the widths its texts measure
(no Kivy here: the app passes a `measure` function).

Pay, the count of places and the phone number are never cut: their columns are as wide as their
widest text on the page. The title, the employer and the place share what is left, cut at their
end with an ellipsis (the employer arrives without its legal form, content.short_employer; the
place as its landmark, content.street). A screen too narrow for one line per posting gets two: the
title on the first, alone when it would be cut beside the pay, and never cut to fewer than its first
TITLE_KEEPS characters (the trade word a worker reads first) where any arrangement avoids it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Measure = Callable[[str, bool], float]  # (text, bold) → width in pixels at the body size
PHONE_SAMPLE = "13888888888"
FIELDS = ("title", "pay", "places", "employer", "place", "phone")
BOLD = {"title", "pay"}
# The share of the leftover width each cut-able column takes.
SHARES = {"title": 0.44, "employer": 0.3, "place": 0.26}
TITLE_KEEPS = 4  # characters of a title never cut away: 钢筋工人, 家政保洁, 美术老师
ELLIPSIS = "..."  # what Kivy's shorten puts where it cuts
SLACK_PX = 3  # Kivy's shorten keeps 2 px to spare and rounds the width down
SHARED_MIN_EMS = 3  # the employer or place a second line still shows: two characters and the ellipsis


@dataclass(frozen=True)
class Cell:
    x: float  # from the row's left edge
    width: float
    line: int  # 0: the first line of the row, 1: the second


@dataclass(frozen=True)
class Columns:
    cells: dict[str, Cell]
    lines: int  # lines per row: 1 or 2

    def x(self, name: str) -> float:
        return self.cells[name].x if name in self.cells else 0.0

    def width(self, name: str) -> float:
        return self.cells[name].width if name in self.cells else 0.0

    def line(self, name: str) -> int:
        return self.cells[name].line if name in self.cells else 0


def _widest(items: list[dict], key: str, measure: Measure, header: str = "") -> float:
    texts = {i.get(key, "") for i in items} | ({header} if header else set())
    return max((measure(t, key in BOLD) for t in texts if t), default=0.0)


def _place(order: list[str], widths: dict[str, float], pad: float, gap: float, line: int) -> dict[str, Cell]:
    cells, x = {}, pad
    for name in order:
        cells[name] = Cell(x, widths[name], line)
        x += widths[name] + gap
    return cells


def table_columns(
    items: list[dict],
    width: float,
    *,
    pad: float,
    em: float,
    measure: Measure,
    headers: dict[str, str],
    show_phone: bool = True,
    fields: tuple[str, ...] = FIELDS,
    two_lines: bool = False,
    spare: str = "",
) -> Columns:
    """The cells of one layout. `fields` drops columns a layout does not show (strips show no
    count and no street); `two_lines` is the plan's call for narrow screens (layout.plan);
    `spare` names a field given up on a one-line row rather than cut the titles (a strip's
    employer: the job and its pay matter more than who offers it)."""
    wanted = [f for f in fields if f != "phone" or show_phone]
    fixed = {
        name: _widest(items, name, measure, headers.get(name, "")) + em * 0.3
        for name in ("pay", "places", "phone")
        if name in wanted
    }
    if "phone" in fixed:
        fixed["phone"] = max(fixed["phone"], measure(PHONE_SAMPLE, False) + em * 0.3)
    shared = [f for f in wanted if f in SHARES]
    total = sum(SHARES[f] for f in shared) or 1.0
    gap = em * 0.6
    inner = width - 2 * pad
    if not two_lines:
        left = inner - sum(fixed.values()) - gap * (len(wanted) - 1)
        widths = {**fixed, **{f: max(0.0, left * SHARES[f] / total) for f in shared}}
        if spare in wanted and widths.get("title", 0.0) < _widest(items, "title", measure):
            kept = tuple(f for f in fields if f != spare)
            return table_columns(
                items, width, pad=pad, em=em, measure=measure, headers=headers, show_phone=show_phone, fields=kept
            )
        return Columns(_place(wanted, widths, pad, gap, 0), 1)
    return _two_lines(items, wanted, fixed, inner, pad=pad, gap=gap, em=em, measure=measure, spare=spare)


def _title_needs(items: list[dict], measure: Measure) -> tuple[float, float]:
    """The width the page's titles need to show whole, and the least that keeps every one its first
    TITLE_KEEPS characters (a shorter title whole)."""
    whole = least = 0.0
    for title in {i.get("title", "") for i in items} - {""}:
        full = measure(title, True)
        kept = full if len(title) <= TITLE_KEEPS else min(full, measure(title[:TITLE_KEEPS] + ELLIPSIS, True))
        whole, least = max(whole, full + SLACK_PX), max(least, kept + SLACK_PX)
    return whole, least


def _two_lines(
    items: list[dict],
    wanted: list[str],
    fixed: dict[str, float],
    inner: float,
    *,
    pad: float,
    gap: float,
    em: float,
    measure: Measure,
    spare: str,
) -> Columns:
    """Two lines a posting, the title first: with the pay (and count) beside it where every title
    shows whole there; else alone, the pay in front of the employer and phone on the second line
    where they fit (a spare employer given up rather than squeezed); else beside the pay where
    every title keeps its first TITLE_KEEPS characters; else alone, the second line giving up what
    does not fit (the phone, the place, the employer, the count: never the pay)."""
    title = ["title"] if "title" in wanted else []
    beside = [f for f in ("places", "pay") if f in wanted]
    below = [f for f in ("employer", "place", "phone") if f in wanted]
    room_beside = inner - sum(fixed[f] for f in beside) - gap * len(beside)
    whole, least = _title_needs(items, measure)
    if room_beside < whole:
        widths, second, fits = _line(beside + below, fixed, inner, gap=gap, em=em, give_up=(spare,))
        if not fits and room_beside < least:
            give_up = (spare, "phone", "place", "employer", "places")
            widths, second, fits = _line(beside + below, fixed, inner, gap=gap, em=em, give_up=give_up)
        if fits:
            widths["title"] = inner
            return Columns({**_place(title, widths, pad, gap, 0), **_place(second, widths, pad, gap, 1)}, 2)
    widths, second, _ = _line(below, fixed, inner, gap=gap, em=0.0, give_up=())
    widths["title"] = max(0.0, room_beside)
    return Columns({**_place(title + beside, widths, pad, gap, 0), **_place(second, widths, pad, gap, 1)}, 2)


def _line(
    order: list[str], fixed: dict[str, float], inner: float, *, gap: float, em: float, give_up: tuple[str, ...]
) -> tuple[dict[str, float], list[str], bool]:
    """The widths of one line's fields, the fields kept, and whether they fit: the fixed ones whole,
    the employer and place sharing the rest, each at least SHARED_MIN_EMS; the fields named in
    `give_up` are dropped, in their order, until the rest fit."""
    shared = [f for f in order if f in SHARES]
    left = inner - sum(fixed.get(f, 0.0) for f in order) - gap * (len(order) - 1)
    weight = sum(SHARES[f] for f in shared) or 1.0
    widths = {**fixed, **{f: max(0.0, left * SHARES[f] / weight) for f in shared}}
    fits = left >= 0 and all(widths[f] >= em * SHARED_MIN_EMS for f in shared)
    if not fits and give_up:
        kept = [f for f in order if f != give_up[0]]
        return _line(kept, fixed, inner, gap=gap, em=em, give_up=give_up[1:])
    return widths, order, fits
