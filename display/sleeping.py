"""When the wall sleeps and wakes: the schedule's decision (display/schedule.py), an emergency that
wakes it whatever the hour, and the screen's power (display/power.py). Plain Python, no Kivy: the
app asks it on every tick and redraws only when something changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import schedule
from .power import Power


@dataclass(frozen=True)
class State:
    asleep: bool  # the screen is off (the schedule's off hours, and no emergency)
    part: int | None  # the daypart in force (its index), None: the wall's own settings
    woken: bool = False  # awake in off hours for an emergency


class Keeper:
    def __init__(self, power: Power):
        self.power = power
        self.state = State(False, None)
        self._planned: schedule.Now | None = None
        self._for: object = None  # the schedule the plan was made for
        self._wakes: dt.datetime | None = None  # when the screen next comes on, while asleep

    def tick(self, config: dict, moment: dt.datetime, emergency: bool) -> State | None:
        """The wall's state at `moment`; a new State when it changed (else None). The schedule is
        looked at again only at its next edge, or when staff changed it."""
        wanted = config.get("schedule")
        if self._planned is None or wanted != self._for or moment >= self._planned.until:
            self._planned, self._for = schedule.now(wanted, moment), wanted
            self._wakes = schedule.wakes_at(wanted, moment) if not self._planned.awake else None
        off_hours = not self._planned.awake
        new = State(off_hours and not emergency, self._planned.part, off_hours and emergency)
        if new == self.state:
            return None
        if new.asleep != self.state.asleep:
            self.power.off() if new.asleep else self.power.on()
        self.state = new
        return new

    def words(self) -> str:
        """For the heartbeat's `showing`: asleep, how, and until when (local time), or "" when awake."""
        if not self.state.asleep:
            return ""
        until = f" until {self._wakes:%Y-%m-%dT%H:%M}" if self._wakes else ""
        return f"asleep {self.power.method or 'blank'}{until}"
