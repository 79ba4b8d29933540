"""零工团队上墙 on lobby screens (no Kivy here): the station's teams as cards, the slot they take, whose turn it is.

The hub publishes an active team to its station's devices (hub.teams.service.team_doc) and takes a
retired one back; a resident orders a team by the code on its card, which opens the household order
page addressed to it (/o/new?team=ID). A team card is not a posting: the pages are paged, booked as
shown (display.proof) and counted (在招岗位) by postings alone; a team only rides along on each page."""

from __future__ import annotations

import re
from collections.abc import Callable

from .layout import LARGE_MIN_PER_PAGE
from .linebreak import balanced
from .rotation import turn_number
from .strings import tr

VIEW = "TeamCard"  # the view a team's card is drawn by (display/kv/cards.kv), not WallCard
# Lobby screens only: a booth screen is one employer's (its own postings and codes), and the table,
# strip and market layouts carry no codes — a team on a wall is there to be ordered by its code.
SHOWN_IN = ("cards",)
# One card of every page, the last, while the station has teams (where a page keeps at least
# LARGE_MIN_PER_PAGE postings beside it, the fewest a page of large type is allowed). Chosen over a
# page of teams every few pages: a page of its own would hold one card on an empty grid and keep the
# jobs off the screen for a dwell, while a card a page is seen by everyone who reads the jobs, always
# the page's last (a resident looking for a team finds it at once, a worker learns to skip it).
MIN_SLOTS = LARGE_MIN_PER_PAGE + 1


def team_card(doc: dict, trades: dict[int, dict], public_url: str) -> dict | None:
    """A team as its card shows it (texts ready), or None for a document not shaped as the hub sends
    one, or with no hub address to order it at (the card is there for its code)."""
    ident = doc.get("id")
    if not public_url or not isinstance(ident, int) or isinstance(ident, bool) or ident <= 0:
        return None
    names = [trades[t].get("name", "") for t in doc.get("trades") or [] if isinstance(t, int) and t in trades]
    members = doc.get("members") if isinstance(doc.get("members"), int) else 0
    leader = str(doc.get("leader") or "")
    done = doc.get("done") if isinstance(doc.get("done"), int) else 0
    return {
        "viewclass": VIEW,
        "pid": -ident,  # (pages are compared by pid: never a posting's, which are positive)
        "team": ident,
        "name": str(doc.get("name") or ""),
        "trades": "、".join(n for n in names if n),
        "leader": tr("team.leader", leader=leader, n=members) if leader and members > 0 else leader,
        "districts": str(doc.get("districts") or ""),
        "done": tr("team.done", n=max(0, done)),
        # Built here from the wall's own hub address and the integer id only, never from a document's
        # text. No ?d=&p= (device.qr.wall_link): the order page counts no wall scans, and a shorter
        # link is a code of fewer modules, each larger on the card.
        "qr": f"{public_url}/o/new?team={ident}",
    }


def team_cards(docs: list[dict], trades: dict[int, dict], public_url: str, station: int) -> list[dict]:
    """The station's teams as cards, in the order they were put up (their ids): the store holds only
    this station's, a team of another (a document out of place) is left off all the same."""
    cards = []
    for doc in sorted(docs, key=lambda d: d.get("id") if isinstance(d.get("id"), int) else 0):
        if doc.get("station") not in (None, station):
            continue
        card = team_card(doc, trades, public_url)
        if card is not None:
            cards.append(card)
    return cards


def posting_slots(per_page: int, layout: str, teams: list[dict]) -> int:
    """The postings a page holds: one card fewer on a lobby screen while there are teams to show."""
    return per_page - 1 if teams and layout in SHOWN_IN and per_page >= MIN_SLOTS else per_page


def team_on(teams: list[dict], now: float, dwell_s: float) -> dict | None:
    """The team whose turn it is: the next one at every page turn, by the wall clock as the pages
    turn (every screen in the hall shows the same team at the same moment), each in its turn."""
    return teams[turn_number(now, dwell_s) % len(teams)] if teams else None


def with_team(
    postings: list[dict], teams: list[dict], layout: str, per_page: int, now: float, dwell_s: float
) -> list[dict]:
    """The page's cards: its postings, then the team whose turn it is where the page has a slot for
    it (a page paged before the teams came up is full: the team comes with the next turn)."""
    if layout not in SHOWN_IN or per_page < MIN_SLOTS or len(postings) >= per_page:
        return postings
    team = team_on(teams, now, dwell_s)
    return postings if team is None else [*postings, team]


def set_lines(text: str, width: float, most: int, measure: Callable[[str], float]) -> list[str]:
    """`text` on at most `most` lines no wider than `width`, as a reader expects them: a list
    (管道工、电工、安装师傅) broken only after a 、, two lines made even, and one too long for its lines
    ended with 等 after its last whole item (管道工、电工等); other text by the rules of Chinese
    typesetting (display.linebreak: 扫码请这个 / 团队干活), ended with "…" where it does not fit — never
    cut without a sign. `measure` gives a text's width in pixels (the caller's, at its type)."""
    if not text:
        return [""]
    units = re.findall(r"[^、]+、?|、", text)
    if len(units) > 1:
        return _list_lines(units, width, most, measure)
    lines = balanced(text, max(width, 1.0), measure)
    if len(lines) > most:
        lines = [*lines[: most - 1], "".join(lines[most - 1 :])]
    return [_cut(line, width, measure) for line in lines]


def _list_lines(units: list[str], width: float, most: int, measure: Callable[[str], float]) -> list[str]:
    lines: list[list[str]] = []
    for unit in units:
        if lines and measure("".join(lines[-1]) + unit) <= width:
            lines[-1].append(unit)
        else:
            lines.append([unit])
    if len(lines) > most:
        rest = [u for line in lines[most - 1 :] for u in line]
        last: list[str] = []
        for unit in rest[:-1]:  # (whole items and 等, as many as fit; at least one, cut if it must be)
            if last and measure("".join([*last, unit]).rstrip("、") + "等") > width:
                break
            last.append(unit)
        ended = "".join(last).rstrip("、") + "等"
        return [*("".join(line) for line in lines[: most - 1]), _cut(ended, width, measure)]
    if len(lines) == 2:
        splits = [("".join(units[:i]), "".join(units[i:])) for i in range(1, len(units))]
        widest = lambda pair: max(measure(pair[0]), measure(pair[1]))
        fitting = [pair for pair in splits if widest(pair) <= width]
        if fitting:  # (of two as even, the one with the longer first line: 管道工、电工、 / 安装师傅)
            return list(min(fitting, key=lambda pair: (widest(pair), -len(pair[0]))))
    return [_cut("".join(line), width, measure) for line in lines]


def _cut(line: str, width: float, measure: Callable[[str], float]) -> str:
    if measure(line) <= width:
        return line
    while line and measure(line + "…") > width:
        line = line[:-1]
    return line.rstrip("、") + "…"
