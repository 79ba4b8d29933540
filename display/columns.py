"""Where each field of a posting row sits on a table or a strip, from the widths its texts measure
(no Kivy here: the app passes a `measure` function).

Pay, the count of places and the phone number are never cut: their columns are as wide as their
widest text on the page. The title, the employer and the place share what is left, cut at their
end with an ellipsis (the employer arrives without its legal form, content.short_employer; the
place as its landmark, content.street). A screen too narrow for one line per posting gets two."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Measure = Callable[[str, bool], float]  # (text, bold) → width in pixels at the body size
PHONE_SAMPLE = "13888888888"
FIELDS = ("title", "pay", "places", "employer", "place", "phone")
BOLD = {"title", "pay"}
# The share of the leftover width each cut-able column takes.
SHARES = {"title": 0.44, "employer": 0.3, "place": 0.26}


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
    first = [f for f in ("title", "places", "pay") if f in wanted]
    second = [f for f in ("employer", "place", "phone") if f in wanted]
    widths = dict(fixed)
    widths["title"] = max(0.0, inner - sum(fixed.get(f, 0.0) for f in first) - gap * (len(first) - 1))
    left = inner - fixed.get("phone", 0.0) - gap * (len(second) - 1)
    second_shared = [f for f in second if f in SHARES]
    weight = sum(SHARES[f] for f in second_shared) or 1.0
    widths.update({f: max(0.0, left * SHARES[f] / weight) for f in second_shared})
    return Columns({**_place(first, widths, pad, gap, 0), **_place(second, widths, pad, gap, 1)}, 2)
