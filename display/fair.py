"""招聘会 on a wall (no Kivy here): the fair on now, its booths as table rows, its calling board, and the new calls.

The hub publishes the fair's document (hub.fairs.service.fair_doc) at every number taken and every
call; the wall follows it by its own clock: the layout comes an hour before the fair opens and goes
when it closes, and a call covers the screen for CALL_SHOW_S after it was made — with no further
message from the hub, offline too. Nothing here keeps state between readings: a wall running for
months holds only the latest document."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from .columns import Cell, Columns
from .content import short_employer
from .layout import LINE
from .rotation import page_index, paginate
from .strings import tr

CALL_SHOW_S = 12.0  # a call covers the screen this long: read twice from across the hall, gone before the next
AHEAD_S = 30.0  # a call stamped up to this far in the wall's future is still new (the hub's clock a little ahead)
LEAD_S = 3600.0  # the fair's layout this long before it opens: the queue at the door finds its booth
BOARD_LINES = 6  # the calls a board holds, as the hub sends them (hub.fairs.service.CALLS_SHOWN)
COVER_CALLS = 3  # calls made within CALL_SHOW_S of each other share the cover, the newest first
BOARD_SHARE = 0.36  # of the stage, the calling board's (the rest is the booth table)
# A strip keeps its strip (its static lines have no room for a table); an employer's booth screen
# keeps that employer's postings and codes, which is what it stands at the fair for.
KEEPS_OWN = ("ticker", "booth")

FIELDS = ("booth", "employer", "jobs", "places", "serving", "waiting")
FIXED = ("booth", "places", "serving", "waiting")  # short texts, never cut: as wide as their widest
BOLD = {"booth", "serving"}
GIVE_UP = ("waiting", "serving")  # left off a narrow screen's rows first: the board shows the calls
SHARED_MIN_EMS = 3  # an employer cut shorter than two characters and the ellipsis says nothing
SLACK_PX = 3  # Kivy's shorten keeps 2 px to spare and rounds the width down
SCALED = 1.03  # type measured at 100 px and scaled runs a little wider: measured so much wider

Call = tuple[str, str, float]  # code, booth number, when called (epoch s, the hub's clock)
Measure = Callable[[str, bool], float]  # (text, bold) → width in pixels at the body size


def on_now(fairs: list[dict], now: float) -> dict | None:
    """The fair this wall shows now: from LEAD_S before it opens until it closes, by the wall's own
    clock (the store holds only fairs shown at this wall's station). Of two at once, the one that
    opened first."""
    on = [f for f in fairs if f.get("opens_at", 0) - LEAD_S <= now < f.get("closes_at", 0)]
    return min(on, key=lambda f: (f.get("opens_at", 0), f.get("id", 0)), default=None)


def wall_layout(own: str, fair: dict | None) -> str:
    """The layout while `fair` is on (None: none is). Automatic, not a setting staff change: a fair
    is a day's event, and a wall left on the fair's board after it (or forgotten on postings during
    it) is worse than one that follows the fair's own hours; the document reaching this wall already
    means its station shows the fair. Strips and booth screens keep their own (KEEPS_OWN)."""
    return "fair" if fair is not None and own not in KEEPS_OWN else own


def booth_key(number: str) -> tuple:
    """Booth numbers in the order a hall numbers them: "2" before "10", "A3" before "A12"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|\D+", str(number)))


def booth_rows(fair: dict) -> list[dict]:
    """Each booth as a table row, texts ready to draw, in booth-number order."""
    booths = sorted(fair.get("booths") or [], key=lambda b: (booth_key(b.get("number", "")), b.get("id", 0)))
    return [
        {
            "booth": tr("fair.booth", number=b.get("number", "")),
            "employer": short_employer(b.get("employer_name", "")),
            "jobs": b.get("jobs", ""),
            "places": tr("places", n=int(b.get("places") or 0)),
            "serving": b.get("serving") or "—",
            "waiting": tr("places", n=int(b.get("waiting") or 0)),
        }
        for b in booths
    ]


def calls(fair: dict | None) -> list[Call]:
    """The calling board's calls, the newest first; an entry not shaped as the hub sends it is left out
    (a wall never falls over on one bad line)."""
    found = []
    for c in (fair or {}).get("calls") or []:
        if isinstance(c, list | tuple) and len(c) >= 3 and c[0] and isinstance(c[2], int | float):
            found.append((str(c[0]), str(c[1]), float(c[2])))
    return sorted(found, key=lambda c: -c[2])[:BOARD_LINES]


def call_parts(call: Call) -> list[str]:
    """["请 A023", "到 5号展位"]: a call's two halves, for a cover or a cell that sets them on two lines."""
    return [tr("fair.call", code=call[0]), tr("fair.to", booth=call[1])]


def call_text(call: Call) -> str:
    """请 A023 到 5号展位."""
    return " ".join(call_parts(call))


def new_calls(fair: dict | None, now: float) -> list[Call]:
    """The calls to announce over the whole screen now: made within the last CALL_SHOW_S by the
    wall's clock (or a little ahead of it, AHEAD_S), the newest first."""
    return [c for c in calls(fair) if -AHEAD_S <= now - c[2] < CALL_SHOW_S][:COVER_CALLS]


def status(fair: dict, now: float, tz: dt.tzinfo | None) -> str:
    """What a person in the hall does next: when it opens, where to take a number, or that no more are taken."""
    if now < fair.get("opens_at", 0):
        return tr("fair.opens", hm=dt.datetime.fromtimestamp(fair["opens_at"], tz).strftime("%H:%M"))
    return tr("fair.taking") if fair.get("taking") else tr("fair.stopped")


def booth_page(rows: list[dict], per_page: int, now: float, dwell_s: float) -> tuple[list[dict], str]:
    """This turn's booths (by the wall clock, as postings page: every wall in the hall on the same
    page) and where it stands (2/3), or all of them and "" when they fit one page."""
    count = max(1, math.ceil(len(rows) / max(1, per_page)))
    pages = paginate(rows, math.ceil(len(rows) / count))  # (7 booths on two pages: 4 and 3, not 6 and 1)
    index = page_index(now, dwell_s, len(pages))
    return pages[index], tr("fair.page", n=index + 1, of=len(pages)) if len(pages) > 1 else ""


@dataclass(frozen=True)
class Areas:
    """Where the booth table and the calling board go: side by side, or the board under the table
    on a portrait screen; their sizes inside the stage's padding."""

    mode: str  # side | stacked
    table_w: float
    table_h: float
    board_w: float
    board_h: float


def areas(width: float, height: float, *, pad: float) -> Areas:
    """The split the fair layout draws (display/kv/fair.kv: padding `pad`, spacing 3 `pad`)."""
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    if height > width:
        room = inner_h - 3 * pad
        return Areas("stacked", inner_w, room * (1 - BOARD_SHARE), inner_w, room * BOARD_SHARE)
    room = inner_w - 3 * pad
    return Areas("side", room * (1 - BOARD_SHARE), inner_h, room * BOARD_SHARE, inner_h)


def _widest(rows: list[dict], key: str, measure: Measure, header: str = "") -> float:
    texts = {r.get(key, "") for r in rows} | ({header} if header else set())
    return max((measure(t, key in BOLD or t == header) for t in texts if t), default=0.0)


def _place(order: list[str], widths: dict[str, float], x: float, gap: float, line: int) -> dict[str, Cell]:
    cells = {}
    for name in order:
        cells[name] = Cell(x, widths[name], line)
        x += widths[name] + gap
    return cells


def booth_columns(
    rows: list[dict], width: float, *, pad: float, em: float, measure: Measure, headers: dict[str, str]
) -> Columns:
    """Where each field of a booth row sits. One line where every employer and every booth's jobs show
    whole; else two, the jobs on the second line under the employer, whole or cut at their end; a
    first line too narrow for the employer gives up the queue's length, then the number served."""
    fixed = {f: _widest(rows, f, measure, headers.get(f, "")) + em * 0.3 for f in FIXED}
    need = {f: _widest(rows, f, measure) + SLACK_PX for f in ("employer", "jobs")}
    gap, inner = em * 0.6, width - 2 * pad
    left = inner - sum(fixed.values()) - gap * (len(FIELDS) - 1)
    if left >= need["employer"] + need["jobs"]:
        spare = left - need["employer"] - need["jobs"]  # (shared as the texts' widths are: columns stay apart)
        share = need["employer"] / max(need["employer"] + need["jobs"], 1.0)
        widths = {**fixed, "employer": need["employer"] + spare * share, "jobs": need["jobs"] + spare * (1 - share)}
        return Columns(_place(list(FIELDS), widths, pad, gap, 0), 1)
    first = ["booth", "employer", "places", "serving", "waiting"]
    for dropped in ((), *(GIVE_UP[: i + 1] for i in range(len(GIVE_UP)))):
        order = [f for f in first if f not in dropped]
        room = inner - sum(fixed[f] for f in order if f in fixed) - gap * (len(order) - 1)
        if room >= em * SHARED_MIN_EMS:
            break
    widths = {**fixed, "employer": max(0.0, room)}
    cells = _place(order, widths, pad, gap, 0)
    indent = fixed["booth"] + gap  # (the jobs under the employer: the booth number stands alone on the left)
    cells["jobs"] = Cell(pad + indent, max(0.0, inner - indent), 1)
    return Columns(cells, 2)


def whole(columns: Columns, rows: list[dict], measure: Measure) -> bool:
    """Every booth's employer and jobs drawn whole in these columns."""
    return all(
        name in columns.cells and columns.width(name) >= _widest(rows, name, measure) + SLACK_PX
        for name in ("employer", "jobs")
    )


@dataclass(frozen=True)
class Table:
    size: int  # the rows' type size
    line: int  # a line of a row, in pixels
    columns: Columns
    per_page: int  # booths a page


def table(
    rows: list[dict], width: float, height: float, *, pad: float, low: int, high: int, measure_100: Measure
) -> Table:
    """The booth table in the largest type in [low, high] that shows every booth on one page with its
    employer and jobs whole — a hall reads six booths from further off than a page of postings;
    else at `low`, paged. `height` is the table's below its heading; `measure_100` measures at 100 px."""
    headers = {f: tr(f"fair.col.{f}") for f in FIELDS}

    def at(size: int) -> tuple[Table, Measure]:
        measure = lambda text, bold: measure_100(text, bold) * size / 100 * SCALED
        columns = booth_columns(rows, width, pad=pad, em=size, measure=measure, headers=headers)
        line = math.ceil(size * LINE)
        per_page = max(1, int((height - line) // (line * columns.lines)))  # (under the header row)
        return Table(size, line, columns, per_page), measure

    def fits(size: int) -> bool:
        found, measure = at(size)
        return found.per_page >= len(rows) and whole(found.columns, rows, measure)

    lo, hi = int(low), max(int(low), int(high))
    if not fits(lo):
        return at(lo)[0]
    while lo < hi:  # (larger type holds fewer booths: the largest that holds them all)
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
    return at(lo)[0]
