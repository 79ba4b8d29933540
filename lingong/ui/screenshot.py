"""`lingong screenshot …`: one screen of the real app, rendered offscreen with demo data, to a PNG."""
from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from . import env

KIOSK_SCREENS = ("attract", "jobs", "detail", "apply", "receipt", "register", "browse", "info")


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"size must be WIDTHxHEIGHT, e.g. 1080x1920 (not {text!r})") from None
    return width, height


def kiosk(screen: str, size: tuple[int, int], out: Path, postings: int = 600) -> int:
    if screen not in KIOSK_SCREENS:
        raise SystemExit(f"unknown kiosk screen {screen!r}; screens: {', '.join(KIOSK_SCREENS)}")
    work = Path(tempfile.mkdtemp(prefix="lingong-shot-"))
    env.prepare(work, size=size, offscreen=True)

    from cardreader.fictional import person
    from cardreader.sim import resident
    from lingong.demodata import device_store
    from kivy.clock import Clock

    from kiosk.app import KioskApp
    from kiosk.data import KioskData

    store = device_store(work / "device.db", postings=postings)
    data = KioskData(store)
    data.refresh()
    from cardreader.drivers.sim import SimReader

    app = KioskApp(data, reader=SimReader(), public_url="https://hub.example.cn")
    who = person(random.Random(3), born_from=1970, born_to=1978)
    card = resident(who.id_number, who.name)

    def stage(_dt):
        app.online = True
        if screen in ("jobs", "detail", "apply", "receipt", "register"):
            app.card_inserted(card)
            app.choose_category(next(iter(data.reference.categories)))
        if screen in ("detail", "apply", "receipt"):
            app.open_job(app.jobs[0]["pid"])
        if screen in ("apply", "receipt"):
            app.start_apply()
            for key in "1391234":
                app.press_key(key)
        if screen == "receipt":
            app.consent = True
            for key in "5678":
                app.press_key(key)
            app.confirm_apply()
        if screen == "register":
            app.open_register()
            app.reg_trades = [t["id"] for t in app.trade_list[:3]]
            app.reg_pay = app.pay_list[2]["value"]
            app.reg_when = ["today", "weekends"]
        if screen == "browse":
            app.browse()
        if screen == "info":
            app.sm.current = "info"
        settled["frames"] = 0
        events.append(Clock.schedule_interval(shoot_when_settled, 0))

    settled = {"frames": 0}
    events: list = []

    def shoot_when_settled(_dt):
        # Software-rendered frames are slow: wait for the transition to end, then a few frames.
        if app.sm.transition.is_active:
            settled["frames"] = 0
            return
        settled["frames"] += 1
        if settled["frames"] < 4:
            return
        events[0].cancel()
        out.parent.mkdir(parents=True, exist_ok=True)
        app.root.export_to_png(str(out))
        app.stop()

    Clock.schedule_once(stage, 0.3)
    app.run()
    store.close()
    if not out.exists():
        print(f"no screenshot was written to {out}", file=sys.stderr)
        return 2
    print(out)
    return 0
