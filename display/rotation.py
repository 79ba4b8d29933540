"""Pages turned by the wall clock: every screen in a hall with the same content shows the same page
at the same moment, with no link between them (no Kivy here).

page = floor(now / dwell) mod pages. A new content version is taken up only at a page turn, so a
page never reflows under a reader's eyes; postings that close meanwhile are struck from the page
on screen at once (see `Pager.current`).

Content comes in sections (a trade category each) and a page never mixes two: a worker waiting
for building jobs watches for the 建筑装修 pages, told which of them is on screen (2/9)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


def turn_number(now: float, dwell_s: float) -> int:
    return math.floor(now / dwell_s)


def page_index(now: float, dwell_s: float, pages: int) -> int:
    return turn_number(now, dwell_s) % pages if pages > 0 else 0


def paginate(items: list, per_page: int) -> list[list]:
    per_page = max(1, per_page)
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


@dataclass(frozen=True)
class Page:
    """One page: its items, the section it belongs to and where it stands in that section."""

    items: list[dict]
    section: str = ""
    number: int = 1
    of: int = 1


Sections = list[tuple[str, list[dict]]]


def paginate_sections(sections: Sections, per_page: int) -> list[Page]:
    """Each section's own pages, in section order; one empty page when there is nothing."""
    pages = []
    for name, items in sections:
        if not items:
            continue
        chunks = paginate(items, per_page)
        pages += [Page(chunk, name, n, len(chunks)) for n, chunk in enumerate(chunks, start=1)]
    return pages or [Page([])]


@dataclass
class Pager:
    """Holds the content version on screen and the one waiting for the next turn."""

    dwell_s: float
    per_page: int
    version: str = ""
    pages: list[Page] = field(default_factory=lambda: [Page([])])
    _waiting: tuple[str, list[Page]] | None = None
    _turn: int | None = None

    def offer(self, version: str, sections: Sections) -> None:
        """New content: shown from the next page turn (at once if nothing is on screen yet)."""
        if version == self.version and self._waiting is None:
            return
        pages = paginate_sections(sections, self.per_page)
        if self._turn is None:
            self.version, self.pages = version, pages
        else:
            self._waiting = (version, pages)

    def tick(self, now: float) -> bool:
        """True when the page turned (or the first page is due)."""
        turn = turn_number(now, self.dwell_s)
        if turn == self._turn:
            return False
        self._turn = turn
        if self._waiting is not None:
            (self.version, self.pages), self._waiting = self._waiting, None
        return True

    def turn_started(self, now: float) -> float:
        return turn_number(now, self.dwell_s) * self.dwell_s

    def index(self, now: float) -> int:
        return page_index(now, self.dwell_s, len(self.pages))

    def page(self, now: float) -> Page:
        return self.pages[self.index(now)]

    def current(self, now: float, live_ids: set[int] | frozenset[int]) -> list[dict]:
        """This page's items, less those no longer live (filled, closed, expired)."""
        return [item for item in self.page(now).items if item["pid"] in live_ids]
