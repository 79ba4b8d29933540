"""Runs the real wall app offscreen through a week of its schedule on a simulated clock:
`python -m tests.support.wall_week WORK`. Writes WORK/week.json: every change of state (asleep,
daypart, layout) with the simulated minute it happened at, whether the frame drawn then was black,
what the heartbeat said, and whether an emergency was on screen."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from device import env

WEEK = dt.datetime(2026, 12, 7)  # a Monday (local time)
SCHEDULE = {
    "on": [
        {"days": [1, 2, 3, 4, 5], "start": "06:00", "end": "20:00"},
        {"days": [6], "start": "08:00", "end": "12:00"},
    ],
    "dayparts": [
        {"start": "05:00", "end": "09:00", "layout": "table", "filters": {"today_only": True}, "large_text": True},
        {"days": [1, 2, 3, 4, 5], "start": "18:00", "end": "20:00", "layout": "market", "dwell_s": 20},
    ],
}
# Sunday 10:00–10:30, in off hours: a storm warning wakes the wall.
EMERGENCY = (dt.datetime(2026, 12, 13, 10, 0), dt.datetime(2026, 12, 13, 10, 30))
STEP_MINUTES = 120  # simulated minutes a frame, between changes


def main(work: Path) -> None:
    env.prepare(work, size=(640, 360), offscreen=True)
    from kivy.clock import Clock
    from kivy.core.window import Window
    from kivy.graphics.opengl import GL_RGBA, GL_UNSIGNED_BYTE, glReadPixels

    from display.app import WallApp
    from display.content import WallData
    from display.power import Power
    from lingong.demodata import device_store
    from lingong.screenshot import emergency_change

    tz = __import__("floor.timezone", fromlist=["local"]).local()
    start = WEEK.replace(tzinfo=tz)
    sim = [start.timestamp()]
    store = device_store(work / "device.db", postings=60, kind="display")
    config = {"layout": "cards", "dwell_s": 12, "schedule": SCHEDULE}
    storm = emergency_change(0)
    storm["d"].update(
        {"from": EMERGENCY[0].replace(tzinfo=tz).timestamp(), "to": EMERGENCY[1].replace(tzinfo=tz).timestamp()}
    )
    store.apply_changes(
        (store.cursor or 0) + 1,
        [
            {"k": "device", "id": 1, "op": "put", "d": {"id": 1, "kind": "display", "station": 1, "config": config}},
            storm,
            # (the demo's fair, held on the real day it is seeded, would take the wall's layout if
            # that day fell in this week: withdrawn, as a cancelled fair is)
            *({"k": "fair", "id": f["id"], "op": "del"} for f in store.docs("fair")),
        ],
    )
    data = WallData(store, public_url="https://hub.example.cn", clock=lambda: sim[0], tz=tz)
    data.refresh()
    # The real cec-client: with no CEC adapter here it fails, and the wall blanks its picture instead.
    app = WallApp(data, power=Power(background=False))
    log: list[dict] = []
    seen = [None]
    # A change is recorded once drawn: a new daypart's reading (made in a thread) first, then a frame.
    waiting: list = [None]  # (the snapshot before the change, or None when no reading is awaited, frames left)

    def record() -> None:
        moment = dt.datetime.fromtimestamp(sim[0], tz)
        log.append(
            {
                "at": moment.strftime("%a %H:%M"),
                "asleep": app.asleep,
                "part": data.part,
                "layout": app.layout,
                "black": black(),
                "showing": app.heartbeat_state()["showing"],
                "emergency": app.emergency["title"],
            }
        )

    def read_for_now(before) -> bool:
        """A new reading, made for the daypart now in force: a reading begun before the part changed
        (the app's own, on a loaded machine) may land first, with the old part's layout."""
        return data.snapshot is not before and data.snapshot.config == data.config

    def black() -> bool:
        width, height = Window.size
        Window.dispatch("on_draw")
        pixels = glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE)
        return max(pixels[i] for i in range(0, len(pixels), 4 * 97)) < 12

    def step(_dt) -> None:
        if waiting[0] is not None:
            before, frames = waiting[0]
            if before is not None and not read_for_now(before) and frames > 0:
                waiting[0] = (before, frames - 1)  # the reading is still being made
            elif frames > 0 and before is not None:
                waiting[0] = (None, 2)  # read: the app takes it on the next frame, then draws it
            elif frames > 0:
                waiting[0] = (None, frames - 1)
            else:
                waiting[0] = None
                record()
            return
        end = (start + dt.timedelta(days=7)).timestamp()
        snapshot_before = data.snapshot
        for _ in range(STEP_MINUTES):
            if sim[0] >= end:
                (work / "week.json").write_text(json.dumps(log, ensure_ascii=False, indent=1), encoding="utf-8")
                app.stop()
                return
            # (what the app's tick asks first, each simulated minute; its own tick, four times a
            # second, runs on the simulated clock too)
            app._sleep_or_wake(sim[0])
            state = (app.asleep, data.part, bool(app.emergency["title"]))
            if state != seen[0]:
                new_part = seen[0] is None or state[1] != seen[0][1]
                seen[0] = state
                waiting[0] = (snapshot_before, 600) if new_part else (None, 1)  # (600 frames: a hang's guard)
                return
            sim[0] += 60

    Clock.schedule_interval(step, 0)
    app.run()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
