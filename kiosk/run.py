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

    if args.booth or device.enrollment.kind == "booth":
        return run_booth(args, device)
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


def run_booth(args: argparse.Namespace, device) -> int:
    """Booth mode: check-in by card, the interview room in a full-screen browser."""
    from cardreader.spec import open_reader
    from sync.agent import SyncAgent

    from .booth import Booth, BoothSettings
    from .booth_app import BoothApp

    spec = args.reader or device.config.get("reader") or "sim"
    try:
        reader = open_reader(spec, home=device.home)
    except ValueError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 2
    agent = SyncAgent(device.store)
    enrollment = device.enrollment
    config = lambda: (device.store.doc("device", enrollment.device_id) or {}).get("config") or {}  # noqa: E731
    booth = Booth(agent.session, enrollment.hub_public_key, BoothSettings.of(config()))
    app = BoothApp(booth, reader=reader, agent=agent, tz=timezone.local(), settings_source=config)
    keep_picture(app, device, "booth")
    app.run()
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("kiosk", help="run this enrolled kiosk: cards, matches, applications")
    s.add_argument("--reader", help="card reader spec (default: the device's configuration, else sim)")
    s.add_argument("--booth", action="store_true",
                   help="booth mode: a card checks in to a booked video interview (a booth device always runs so)")
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1080x1920")

