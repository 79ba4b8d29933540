"""`lingong kiosk`: the enrolled device's store, sync agent, card reader and screens, full screen."""
from __future__ import annotations

import argparse
import sys

from lingong import timezone
from lingong.ui.device import keep_picture, open_enrolled


def run(args: argparse.Namespace) -> int:
    device = open_enrolled(args, offscreen_size=(1080, 1920))
    if device is None:
        return 2
    from cardreader.spec import open_reader
    from sync.agent import SyncAgent

    from .app import KioskApp
    from .data import KioskData
    from .speech import Speaker

    data = KioskData(device.store, tz=timezone.local())
    data.refresh()
    spec = args.reader or device.config.get("reader") or "sim"
    try:
        reader = open_reader(spec, home=device.home)
    except ValueError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 2
    enrollment = device.enrollment
    app = KioskApp(data, reader=reader, agent=SyncAgent(device.store), speaker=Speaker(),
                   public_url=enrollment.public_url or enrollment.hub_url,
                   idle_timeout_s=float(device.config.get("idle_timeout_s", 60)))
    keep_picture(app, device, "kiosk")
    app.run()
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("kiosk", help="run this enrolled kiosk: cards, matches, applications")
    s.add_argument("--reader", help="card reader spec (default: the device's configuration, else sim)")
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1080x1920")

