"""A wall's week: when its screen is on, and which daypart (layout, filters, dwell, type size) applies
when — evaluated on the device's own clock, so it holds offline. Plain Python, no Kivy.

A schedule as staff set it (hub/devices/schemas.py validates it; this side still ignores what it
cannot read, rather than go dark):

    {"on": [{"days": [1, 2, 3, 4, 5], "start": "06:30", "end": "20:00"}],        # empty: always on
     "dayparts": [{"days": [1, …, 7], "start": "05:00", "end": "09:00",
                   "layout": "table", "filters": {"today_only": true}, "dwell_s": 8, "large_text": true}]}

Days are ISO weekdays (1 Monday … 7 Sunday) of the window's start; a window whose end is not after
its start runs past midnight (22:00–06:00); "24:00" is the end of the day."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

HHMM = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")
OVERRIDES = ("layout", "filters", "dwell_s")
LARGE_TEXT = 1.5  # a daypart's large type: half as large again as the screen's own


@dataclass(frozen=True)
class Window:
    days: frozenset[int]
    start: int  # minutes from midnight
    end: int  # minutes from midnight; ≤ start: into the next day
    index: int  # its place in the schedule (a daypart's number)


@dataclass(frozen=True)
class Now:
    awake: bool
    part: int | None  # which daypart applies (its index), None: the wall's own settings
    until: dt.datetime  # the next minute either may change (the wall looks again then)


def _minutes(text: object) -> int | None:
    found = HHMM.match(text) if isinstance(text, str) else None
    if not found or (found.group(1) == "24" and found.group(2) != "00"):
        return None
    return int(found.group(1)) * 60 + int(found.group(2))


def windows(entries: object) -> list[Window]:
    """The readable windows of a list (an unreadable one is left out, with its index kept)."""
    found = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        start, end = _minutes(entry.get("start")), _minutes(entry.get("end"))
        days = entry.get("days") or list(range(1, 8))
        if start is None or end is None or start == 1440 or not isinstance(days, list):
            continue
        days = frozenset(d for d in days if isinstance(d, int) and 1 <= d <= 7)
        if days:
            found.append(Window(days, start, end, index))
    return found


def _intervals(window: Window, around: dt.datetime):
    """The window's concrete intervals from the day before `around` to a week after it."""
    midnight = around.replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(-1, 8):
        day = midnight + dt.timedelta(days=offset)
        if day.isoweekday() in window.days:
            end = window.end if window.end > window.start else window.end + 1440
            # (wall-clock minutes: a DST change, where there is one, moves the edges with the clock)
            yield day + dt.timedelta(minutes=window.start), day + dt.timedelta(minutes=end)


def _inside(found: list[Window], moment: dt.datetime) -> Window | None:
    for window in found:
        if any(start <= moment < end for start, end in _intervals(window, moment)):
            return window
    return None


def _edges(found: list[Window], moment: dt.datetime) -> list[dt.datetime]:
    return [edge for w in found for interval in _intervals(w, moment) for edge in interval if edge > moment]


def now(schedule: object, moment: dt.datetime) -> Now:
    """Whether the wall is on at `moment` (local, aware or not) and which daypart applies."""
    schedule = schedule if isinstance(schedule, dict) else {}
    on, parts = windows(schedule.get("on")), windows(schedule.get("dayparts"))
    awake = not on or _inside(on, moment) is not None
    part = _inside(parts, moment)  # (the first listed wins where two overlap)
    edges = _edges(on, moment) + _edges(parts, moment)
    until = min(edges) if edges else moment + dt.timedelta(days=7)
    return Now(awake, part.index if part else None, until)


def wakes_at(schedule: object, moment: dt.datetime) -> dt.datetime | None:
    """When a sleeping wall's screen next comes on (None: not within a week, or it is on now)."""
    here = now(schedule, moment)
    if here.awake:
        return None
    for _ in range(64):  # (the edges of a week's windows: a few dozen at most)
        if here.until > moment + dt.timedelta(days=7):
            return None
        moment = here.until
        here = now(schedule, moment)
        if here.awake:
            return moment
    return None


def with_station_default(config: dict, station: dict | None) -> dict:
    """The wall's configuration with the week it follows: its own, else its station's default."""
    if config.get("schedule") is not None or not isinstance(station, dict) or not station.get("wall_schedule"):
        return config
    return {**config, "schedule": station["wall_schedule"]}


def effective(config: dict, part: int | None) -> dict:
    """The wall's configuration with a daypart's settings over it. A daypart's filters narrow the
    wall's own (its "today's jobs only" keeps the wall's trades, and a booth its employer)."""
    if part is None:
        return config
    try:
        daypart = (config.get("schedule") or {}).get("dayparts")[part]
    except (AttributeError, IndexError, KeyError, TypeError):
        return config
    if not isinstance(daypart, dict):
        return config  # (a plan made for a schedule that has since changed shape)
    merged = {**config, **{k: daypart[k] for k in OVERRIDES if k != "filters" and daypart.get(k) is not None}}
    filters = daypart.get("filters")
    if isinstance(filters, dict):
        own = config.get("filters") if isinstance(config.get("filters"), dict) else {}
        # (the hub writes every filter, unset ones empty: only those set narrow the wall's)
        merged["filters"] = {**own, **{k: v for k, v in filters.items() if v not in (None, False, [], "")}}
    if daypart.get("large_text"):
        merged["text_scale"] = LARGE_TEXT
    return merged
