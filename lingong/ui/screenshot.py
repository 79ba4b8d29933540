"""`lingong screenshot …`: one screen of the real app, rendered offscreen with demo data, to a PNG."""
from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

from . import env
from .capture import save_png

KIOSK_SCREENS = ("attract", "jobs", "detail", "apply", "receipt", "register", "browse", "info")


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"size must be WIDTHxHEIGHT, e.g. 1080x1920 (not {text!r})") from None
    return width, height


def open_kiosk(work: Path, size: tuple[int, int], postings: int = 600):
    """The real kiosk app over a demo device store, offscreen, not yet running; and a card for it."""
    env.prepare(work, size=size, offscreen=True)
    from cardreader.drivers.sim import SimReader
    from cardreader.fictional import person
    from cardreader.sim import resident
    from kiosk.app import KioskApp
    from kiosk.data import KioskData
    from lingong.demodata import device_store

    data = KioskData(device_store(work / "device.db", postings=postings))
    data.refresh()
    app = KioskApp(data, reader=SimReader(), public_url="https://hub.example.cn")
    who = person(random.Random(3), born_from=1970, born_to=1978)
    return app, resident(who.id_number, who.name)


def stage_kiosk(app, screen: str, card) -> None:
    """Puts the running app on `screen` the way a worker would get there (a card, a trade, a job…)."""
    if screen not in KIOSK_SCREENS:
        raise SystemExit(f"unknown kiosk screen {screen!r}; screens: {', '.join(KIOSK_SCREENS)}")
    app.logout()
    app.online = True
    if screen in ("jobs", "detail", "apply", "receipt", "register"):
        app.card_inserted(card)
        app.choose_category(next(iter(app.data.reference.categories)))
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


def when_settled(app, then, frames: int = 4) -> None:
    """Calls `then()` once any transition has ended and `frames` more frames were drawn (software
    rendering is slow, and lists and images settle over a frame or two)."""
    from kivy.clock import Clock

    count = {"frames": 0}

    def check(_dt):
        if app.sm.transition.is_active:
            count["frames"] = 0
            return True
        count["frames"] += 1
        if count["frames"] < frames:
            return True
        then()
        return False

    Clock.schedule_interval(check, 0)


def kiosk(screen: str, size: tuple[int, int], out: Path, postings: int = 600) -> int:
    if screen not in KIOSK_SCREENS:
        raise SystemExit(f"unknown kiosk screen {screen!r}; screens: {', '.join(KIOSK_SCREENS)}")
    work = Path(tempfile.mkdtemp(prefix="lingong-shot-"))
    app, card = open_kiosk(work, size, postings)
    from kivy.clock import Clock

    def shoot():
        save_png(out)
        app.stop()

    def stage(_dt):
        stage_kiosk(app, screen, card)
        when_settled(app, shoot)

    Clock.schedule_once(stage, 0.3)
    app.run()
    app.data.store.close()
    if not out.exists():
        print(f"no screenshot was written to {out}", file=sys.stderr)
        return 2
    print(out)
    return 0
