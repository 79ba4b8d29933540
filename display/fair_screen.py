"""招聘会 on the wall's screen: its booth table and calling board fitted to the window, and the call cover."""

from __future__ import annotations

from kivy.core.window import Window

from . import fair, fast
from .strings import tr
from .widgets import cover_room, fit_cover

SLACK_PX = 3  # Kivy's shorten keeps 2 px to spare and rounds the width down

EMPTY = {
    "title": "",
    "status": "",
    "rows": [],
    "lines": 1,
    "size": 18,  # the rows' type, as large as lets every booth show on one page (display.fair.table)
    "line": 26,
    "mode": "side",
    "newest": "",
    "newest_size": 18,
    "older": "",
    "older_size": 18,
}


class FairScreen:
    """What the wall shows of the fair on now, measured only when it changes. It keeps the last
    measurement of each kind and nothing else: a wall running for months, a call every minute,
    holds the same few values."""

    def __init__(self) -> None:
        self._table: tuple = ((), None)  # (the booths and the window it was fitted for, fair.Table)
        self._board: tuple = ((), None)  # (the board's calls and window, its texts and sizes)
        self._heading: tuple = ((), True)  # (the fair's name and status, whether both fit)

    def show(self, app, current: dict | None, now: float) -> None:
        """The fair layout's table and board, a strip's call cell, and the call cover, for `now`."""
        if app.layout == "fair" and current is not None:
            self._layout(app, current, now)
        newest = fair.calls(current)[:1]
        if app.layout == "ticker" and newest:
            # A strip has no room for the board, nor a moving line: its cell beside the lines (the
            # page's trade, 建筑装修 2/9) leads with the newest call while the fair is on.
            app.section_text = "\n".join(fair.call_parts(newest[0]))
        self._show_cover(app, fair.new_calls(current, now))

    # ---- the fair layout -------------------------------------------------------------------------
    def _areas(self, app) -> fair.Areas:
        width, height = Window.size
        # (the stage: the window less the stale banner and the notices band where they show)
        stage = height - (app.band if app.stale_text else 0) - (app.band if app.notice_text else 0)
        return fair.areas(width, stage, pad=app.pad)

    def _layout(self, app, current: dict, now: float) -> None:
        rows = fair.booth_rows(current)
        areas = self._areas(app)
        found = self._fit_table(app, rows, areas)
        page, counter = fair.booth_page(rows, found.per_page, now, app.pager.dwell_s)
        cells = {name: (cell.x, cell.width, cell.line) for name, cell in found.columns.cells.items()}
        board = self._fit_board(app, fair.calls(current), areas)
        view = {
            "title": current.get("title", ""),
            "status": self._status(app, current, fair.status(current, now, app.data.tz), counter, areas),
            "rows": page,
            "lines": found.columns.lines,
            "size": found.size,
            "line": found.line,
            "mode": areas.mode,
            **board,
        }
        if cells != dict(app.fair_cells):
            app.fair_cells = cells
        if view != dict(app.fair):
            app.fair = view

    def _status(self, app, current: dict, status: str, counter: str, areas: fair.Areas) -> str:
        """What to do next and the page (2/3) beside the fair's name; on a table too narrow for the
        name whole beside them, the page alone (the kiosks say how to take a number too)."""
        both = "   ".join(t for t in (status, counter) if t)
        key = (current.get("title", ""), both, areas, app.title_px, app.body)
        if self._heading[0] != key:
            from kivy.core.text import Label as CoreLabel

            name = CoreLabel(font_size=app.title_px, bold=True).get_extents(key[0])[0]
            beside = CoreLabel(font_size=app.body).get_extents(both)[0] if both else 0
            self._heading = (key, name + beside + app.pad * 4 + SLACK_PX <= areas.table_w)
        return both if self._heading[1] else counter

    def _fit_table(self, app, rows: list[dict], areas: fair.Areas) -> fair.Table:
        """The booths' type and columns (measured on every booth, so pages do not jump)."""
        key = (tuple(tuple(r.values()) for r in rows), areas, app.body, app.hero)
        if self._table[0] == key:
            return self._table[1]
        from kivy.core.text import Label as CoreLabel

        at_100 = {False: CoreLabel(font_size=100), True: CoreLabel(font_size=100, bold=True)}
        widths: dict = {}  # (this fitting's texts only: measured once for every size tried)

        def measure_100(text: str, bold: bool) -> float:
            if (text, bold) not in widths:
                widths[text, bold] = at_100[bold].get_extents(text)[0]
            return widths[text, bold]

        below = areas.table_h - app.title_px * 1.5  # (under the fair's name and what to do next)
        found = fair.table(
            rows, areas.table_w, below, pad=app.pad, low=app.body, high=app.hero, measure_100=measure_100
        )
        self._table = (key, found)
        return found

    def _fit_board(self, app, calls: list[fair.Call], areas: fair.Areas) -> dict:
        """The newest call as large as the board's width allows (up to 1.5 times the hero size), the
        ones before it under it as many as fit, no larger than the title size."""
        key = (tuple(calls), areas, app.title_px)
        if self._board[0] == key:
            return self._board[1]
        from kivy.core.text import Label as CoreLabel

        texts = [fair.call_text(c) for c in calls]
        inner_w = areas.board_w - 2 * app.pad
        at_100 = CoreLabel(font_size=100, bold=True)

        def size_for(text: str, high: float) -> int:
            # (type measured at 100 px and scaled runs a few pixels wider: 0.95 to spare)
            by_width = inner_w * 0.95 * 100 / max(at_100.get_extents(text)[0], 1.0)
            return int(max(app.body, min(high, by_width)))

        def line_px(size: int) -> float:
            return CoreLabel(font_size=size).get_extents("国")[1]

        newest = size_for(texts[0] if texts else tr("fair.none"), app.hero * 1.5)
        older_size = min((size_for(t, app.title_px) for t in texts[1:]), default=app.title_px)
        room = areas.board_h - 2 * app.pad - app.title_px * 1.5 - line_px(newest) - app.pad
        shown = max(0, min(len(texts) - 1, int(room // line_px(older_size))))
        board = {
            "newest": texts[0] if texts else "",
            "newest_size": newest,
            "older": "\n".join(texts[1 : 1 + shown]),
            "older_size": older_size,
        }
        self._board = (key, board)
        return board

    # ---- the cover -------------------------------------------------------------------------------
    def _show_cover(self, app, calls: list[fair.Call]) -> None:
        """The calls just made over the whole screen, as large as it allows; gone CALL_SHOW_S after
        the newest by the wall's own clock (fair.new_calls), with or without another document."""
        if not calls:
            if app.call["key"]:
                app.call = {"key": "", "body": "", "size": app.body}
                app.show_page(force=True)  # (the page under the cover is on screen again)
                if app.fast["pid"]:
                    app.plays.showing([app.fast["pid"]])  # (its card was under this cover)
            return
        strip = app.layout == "ticker"
        key = repr((calls, strip))
        if key == app.call["key"]:
            return  # fitted already: fitting measures text and is done once per call
        texts = [fair.call_text(c) for c in calls]
        # one line a call; a call alone also on two (larger on a tall screen)
        shapes = [texts] + ([fair.call_parts(calls[0])] if len(calls) == 1 else [])
        if strip:  # a strip cuts what does not fit: the calls a line each or all on one, whole, else the newest
            room_w, room_h, width_of, line_px = cover_room(badge=False)
            whole = fast.fitting([texts, ["   ".join(texts)]], room_w, room_h, width_of, line_px=line_px, low=app.body)
            shapes = whole or [texts[:1]]
        size, lines = fit_cover(shapes, badge=not strip, strip=strip)
        app.call = {"key": key, "body": "\n".join(lines), "size": size}
        app.plays.showing([])  # (no posting is seen under it)
