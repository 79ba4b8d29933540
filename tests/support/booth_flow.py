"""Runs the real booth app offscreen on an enrolled booth folder, with the real sync agent and the
simulated reader: `python -m tests.support.booth_flow HOME ID_NUMBER NAME OTHER_ID` (OTHER_ID `-`: the
booth is expected to be unconfigured).

It taps the card, waits for the call to start and to end (the stand-in browser hangs up), waits
for the attract screen, then taps a card with no booking; what it saw goes to HOME/result.json."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from device import env


def main(home: Path, id_number: str, name: str, other: str) -> None:
    env.prepare(home, size=(1280, 800), offscreen=True)
    from kivy.clock import Clock

    from cardreader.drivers.sim import SimReader
    from cardreader.sim import resident
    from device.capture import save_png
    from device.machine import Machine
    from floor import timezone
    from kiosk.booth import Booth, BoothSettings
    from kiosk.booth_app import BoothApp
    from sync.agent import SyncAgent
    from sync.store import DeviceStore

    store = DeviceStore.in_home(home)
    enrollment = store.enrollment()
    agent = SyncAgent(store, longpoll_s=5)
    agent.sync_once()
    machine = Machine.load(home)
    config = lambda: BoothSettings.of((store.doc("device", enrollment.device_id) or {}).get("config") or {}, machine)
    reader = SimReader()
    app = BoothApp(
        Booth(agent.session, enrollment, config()),
        reader=reader,
        agent=agent,
        tz=timezone.local(),
        settings_source=config,
    )
    seen: list[dict] = []
    result: dict = {"seen": seen}
    if other == "-":  # a booth not set up: it says so, and a card changes nothing
        plan = [("unconfigured", lambda: reader.tap(resident(id_number, name))), ("wait", None)]
    else:
        plan = [
            ("start", lambda: reader.tap(resident(id_number, name))),
            ("call", None),
            ("ended", None),
            ("attract", lambda: reader.tap(resident(other, "王五"))),
            ("none", None),
        ]
    started = time.monotonic()

    def tick(_dt) -> None:
        if not seen or seen[-1]["state"] != app.state:
            seen.append(
                {
                    "state": app.state,
                    "headline": app.headline,
                    "detail": app.detail,
                    "at": round(time.monotonic() - started, 1),
                }
            )
            if app.state in ("call", "none"):
                save_png(home / f"booth-{app.state}.png")
        if time.monotonic() - started > 90:
            result["error"] = "timed out"
            app.stop()
            return
        if not plan:
            app.stop()
            return
        label, action = plan[0]
        if label == "wait":
            if time.monotonic() - started > 4:
                plan.pop(0)
            return
        if label == "start" or app.state == label:
            plan.pop(0)
            if action is not None:
                action()

    Clock.schedule_interval(tick, 0.2)
    app.run()
    result["ok"] = not plan
    store.close()
    (home / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
