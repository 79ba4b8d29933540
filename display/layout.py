"""Which layout a screen gets and how large its text is, from its pixels and how far away its readers
stand (no Kivy here).

Text height follows the viewing distance (4 mm of glyph per metre, a common signage rule, chosen
at the generous end for readers of 45–60), converted to pixels by the pixel pitch; it never falls
under a floor (3.5 % of the screen's short side on walls, 2.8 % on lobby screens, and 16 px, below which
Chinese strokes run together). Four sizes, fixed per screen: small, body, title, hero."""

from __future__ import annotations

import math
from dataclasses import dataclass

LAYOUTS = ("table", "cards", "ticker", "booth", "market")
GLYPH_M_PER_M = 0.004  # glyph height per metre of viewing distance
GLYPH_PER_EM = 0.9  # a CJK glyph fills about 0.9 of the font size
MIN_PX = 16
WALL_FLOOR = 0.035
SCREEN_FLOOR = 0.028
LED_PITCH_MM = 4.0  # a P4 LED wall, when the pitch is not configured
TV_PITCH_MM = 0.63  # a 55-inch 1080p screen
WALL_DISTANCE_M = 8.0
SCREEN_DISTANCE_M = 3.0
SIDE_EM = 9  # the figures panel beside the cards, in body-text widths
LINE = 1.45  # a line of text, in font sizes
TWO_LINE_EMS = 36  # a table narrower than this many characters gives each posting two lines
TICKER_EMS = 30  # a strip's line holds a posting's title, pay, employer and phone: about 30 characters
SECTION_EMS = 5  # the strip's section cell (建筑装修 2/9), in its own characters
SECTION_SCALE = 0.6  # ... which are this size of the lines' text


def choose_layout(width: int, height: int, configured: str = "auto", employer: int | None = None) -> str:
    """The configured layout, else one from the shape: strips scroll, walls page tables, screens show cards."""
    if configured in LAYOUTS:
        return configured
    if employer is not None:
        return "booth"
    aspect = width / height
    if aspect >= 3.5:
        return "ticker"
    if aspect >= 1.9 or height <= 720:
        return "table"
    return "cards"


MARKET_PANEL_EMS = 21  # a market panel's row (工种, 一般在 21.5–23.5元/小时, 中间价) in characters


def market_mode(width: int, height: int, body: int) -> str:
    """How the market layout's two panels share the screen: side, stacked or alternate."""
    if width >= 2 * MARKET_PANEL_EMS * body:
        return "side"
    if height > width * 1.2:
        return "stacked"
    return "alternate"


def default_pitch_mm(width: int, height: int) -> float:
    """LED walls are low-resolution and large; anything 1080 rows or more is taken for a screen."""
    return LED_PITCH_MM if min(width, height) < 1000 else TV_PITCH_MM


@dataclass(frozen=True)
class Plan:
    """Everything size-dependent about one screen: its layout, four font sizes, what fits on a page."""

    layout: str
    width: int
    height: int
    small: int
    body: int
    title: int
    hero: int
    rows: int  # table rows, card rows
    cols: int  # card columns
    line: int  # height of a table row / the ticker line
    pad: int
    band: int = 0  # height of the notices band, and of the stale banner when it shows
    lines: int = 1  # lines per posting on a table or strip row

    @property
    def per_page(self) -> int:
        return self.rows * self.cols

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.small, self.body, self.title, self.hero


def default_distance_m(width: int, height: int) -> float:
    """Crowds read LED walls from across the hall; lobby screens from a few steps away."""
    return WALL_DISTANCE_M if default_pitch_mm(width, height) == LED_PITCH_MM else SCREEN_DISTANCE_M


def plan(
    width: int,
    height: int,
    *,
    layout: str,
    distance_m: float | None = None,
    pitch_mm: float | None = None,
    scale: float = 1.0,
) -> Plan:
    """Type sizes and rows for a screen; `scale` enlarges the type (a daypart's large type)."""
    pitch_m = (pitch_mm or default_pitch_mm(width, height)) / 1000
    distance_m = distance_m or default_distance_m(width, height)
    physics = distance_m * GLYPH_M_PER_M / pitch_m / GLYPH_PER_EM
    wall = layout in ("table", "ticker", "market", "fair")  # (a fair's board is read across its hall)
    # (of the short side: a portrait screen's text is no larger than the same screen's in landscape)
    floor = max(MIN_PX, (WALL_FLOOR if wall else SCREEN_FLOOR) * min(width, height))
    small = math.ceil(max(floor, physics) * scale)
    if layout == "ticker":
        # Static lines that page, one posting each: as large as lets a line hold a posting and the
        # strip two lines, never under the legibility rule's size. A screen too narrow for that
        # (a portrait screen set to this layout) gives each posting two lines, like the table.
        pad = max(4, int(min(width, height) * 0.04))
        # (the section cell beside the lines is SECTION_EMS characters of SECTION_SCALE size)
        side = SECTION_EMS * SECTION_SCALE
        lines = 1
        body = int(min((width - 2 * pad) / (TICKER_EMS + side), (height - 2 * pad) / (2 * LINE)))
        if body < small:
            lines = 2
            # Half a posting a line, measured as drawn: the section cell (SECTION_EMS characters of
            # the larger of `small` and SECTION_SCALE of the body) and its spacing beside the rows,
            # the rows' own padding either side. Any less and a title too long to share its line
            # with the pay would find no room for the pay and phone below it (columns._two_lines).
            across = width - 3 * pad
            by_width = min((across - SECTION_EMS * small) / (TICKER_EMS / 2), across / (TICKER_EMS / 2 + side))
            body = int(min(by_width, (height - 2 * pad) / (4 * LINE)))
        body = max(small, body)
        rows = max(1, int((height - 2 * pad) // (math.ceil(body * LINE) * lines)))
        line = (height - 2 * pad) // (rows * lines)
        small = max(small, math.ceil(body * SECTION_SCALE))
        return Plan(layout, width, height, small, body, body, body, rows, 1, line, pad, 0, lines)
    body = math.ceil(small * 1.15)
    title, hero = math.ceil(body * 1.3), math.ceil(body * 1.9)
    pad = max(4, body // 3)
    band = math.ceil(small * 1.6)
    if layout == "market":
        # Two panels, each a title, a header row and rows of figures: side by side, one above the
        # other on a portrait screen, or taking turns page by page where neither fits.
        line = math.ceil(body * LINE)
        mode = market_mode(width, height, body)
        stacked = 2 if mode == "stacked" else 1
        free = height - 2 * pad - band * 2 - stacked * (math.ceil(title * 1.5) + line + pad)
        rows = max(1, free // stacked // line)
        return Plan(layout, width, height, small, body, title, hero, rows, 1, line, pad, band)
    if layout == "fair":
        # The booth table and the calling board (display/fair.py): the rows here are only the
        # postings' pager's, which the fair layout does not show; the booths are fitted as drawn.
        line = math.ceil(body * LINE)
        rows = max(1, (height - 2 * pad - line * 2 - band * 2) // line)
        return Plan(layout, width, height, small, body, title, hero, rows, 1, line, pad, band)
    if layout == "table":
        line = math.ceil(body * LINE)
        lines = 2 if width / body < TWO_LINE_EMS else 1
        # header row, footer (place, clock, page), notices band and room for the stale banner
        free = height - 2 * pad - line * 2 - band * 2
        rows = max(1, free // (line * lines))
        return Plan(layout, width, height, small, body, title, hero, rows, 1, line, pad, band, lines)
    # cards and booth: a grid of cards, each about 13 characters wide and seven lines tall
    header = math.ceil(title * 1.5) + 3 * pad
    card_w, card_h = body * 13, math.ceil(body * 1.35 * 6.2)
    side = body * SIDE_EM + pad if layout == "cards" and width > height else 0  # the figures panel
    cols = max(1, int((width - side - pad) // (card_w + pad)))
    rows = max(1, int((height - header - band * 2) // (card_h + pad)))
    return Plan(layout, width, height, small, body, title, hero, rows, cols, math.ceil(body * LINE), pad, band)


LARGE_MIN_PER_PAGE = 4  # large type (a daypart's) never leaves fewer postings a page than this


def large_plan(width: int, height: int, *, layout: str, scale: float, **given) -> Plan:
    """The plan with type `scale` times as large, made smaller again (never under the screen's own
    size) until a page holds LARGE_MIN_PER_PAGE postings, or as many as it held at the screen's own
    size: one card a page would make the morning crowd wait twenty minutes for theirs."""
    own = plan(width, height, layout=layout, **given)
    wanted = min(LARGE_MIN_PER_PAGE, own.per_page)
    while scale > 1.0:
        bigger = plan(width, height, layout=layout, scale=scale, **given)
        if bigger.per_page >= wanted:
            return bigger
        scale = round(scale - 0.1, 2)
    return own
