"""`lingong kiosk`: the enrolled device's store, sync agent, card reader and screens, full screen."""
from __future__ import annotations

import argparse
import logging
import sys

from lingong import paths, timezone
from lingong.ui import env
from lingong.ui.capture import save_png

log = logging.getLogger(__name__)
CAPTURE_EVERY_S = 5.0


def run(args: argparse.Namespace) -> int:
    from sync.errors import NotEnrolled
    from sync.store import DeviceStore

    home = paths.home()
    store = DeviceStore.in_home(home)
    try:
        enrollment = store.enrollment()
    except NotEnrolled as exc:
        print(str(exc), file=sys.stderr)
        return 2
    config = (store.doc("device", enrollment.device_id) or {}).get("config") or {}
    size = tuple(int(v) for v in args.size.lower().split("x")) if args.size else None
    offscreen = env.prepare(home, size=size or ((1080, 1920) if not env.has_screen() else None),
                            fullscreen=not args.windowed, rotation=int(config.get("rotation", 0)))

    from kivy.clock import Clock

    from cardreader.spec import open_reader
    from sync.agent import SyncAgent

    from .app import KioskApp
    from .data import KioskData
    from .speech import Speaker

    data = KioskData(store, tz=timezone.local())
    data.refresh()
    spec = args.reader or config.get("reader") or "sim"
    try:
        reader = open_reader(spec, home=home)
    except ValueError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 2
    app = KioskApp(data, reader=reader, agent=SyncAgent(store), speaker=Speaker(),
                   public_url=enrollment.public_url or enrollment.hub_url,
                   idle_timeout_s=float(config.get("idle_timeout_s", 60)))
    if offscreen:
        # No screen on this machine: say where to look, and keep a picture of the kiosk there.
        capture = home / "screens" / "kiosk.png"
        capture.parent.mkdir(parents=True, exist_ok=True)
        print(f"no screen: the kiosk runs offscreen and writes {capture} every {CAPTURE_EVERY_S:.0f} s", flush=True)
        app._events.append(Clock.schedule_interval(lambda _dt: save_png(capture), CAPTURE_EVERY_S))
    app.run()
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("kiosk", help="run this enrolled kiosk: cards, matches, applications")
    s.add_argument("--reader", help="card reader spec (default: the device's configuration, else sim)")
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1080x1920")

