"""`lingong display`: the enrolled wall's store, sync agent and pages, full screen, for weeks."""
from __future__ import annotations

import argparse
import sys

from lingong import paths, timezone
from lingong.ui import env
from lingong.ui.capture import save_png

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
    offscreen = env.prepare(home, size=size or ((1920, 1080) if not env.has_screen() else None),
                            fullscreen=not args.windowed, rotation=int(config.get("rotation", 0)))

    from kivy.clock import Clock

    from sync.agent import SyncAgent

    from .app import WallApp
    from .content import WallData

    data = WallData(store, public_url=enrollment.public_url or enrollment.hub_url, tz=timezone.local())
    data.refresh()
    # A layout given here holds for this run; otherwise the hub's configuration applies, live.
    fixed = {**config, "layout": args.layout} if args.layout else None
    app = WallApp(data, agent=SyncAgent(store), config=fixed)
    if offscreen:
        capture = home / "screens" / "display.png"
        print(f"no screen: the wall runs offscreen and writes {capture} every {CAPTURE_EVERY_S:.0f} s", flush=True)
        app._events.append(Clock.schedule_interval(lambda _dt: save_png(capture), CAPTURE_EVERY_S))
    app.run()
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("display", help="run this enrolled wall display: postings, pages, notices")
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1920x1080")
    s.add_argument("--layout", choices=["table", "cards", "ticker", "booth"],
                   help="override the layout the device's configuration (or the screen's shape) chooses")
    s.set_defaults(func=lambda a: run(a))
