"""`lingong display`: the enrolled wall's store, sync agent and pages, full screen, for weeks."""

from __future__ import annotations

import argparse

from device import restarts
from device.start import open_enrolled, run_app
from floor import timezone


def run(args: argparse.Namespace) -> int:
    device = open_enrolled(args, offscreen_size=(1920, 1080))
    if device is None:
        return 2
    from sync.agent import SyncAgent

    from .app import WallApp
    from .content import WallData

    enrollment = device.enrollment
    data = WallData(device.store, public_url=enrollment.public_url or enrollment.hub_url, tz=timezone.local())
    data.refresh()
    # A layout given here holds for this run; otherwise the hub's configuration applies, live.
    fixed = {**device.config, "layout": args.layout} if args.layout else None
    app = WallApp(data, agent=SyncAgent(device.store), config=fixed)
    app.restarts = restarts.started(device.home)
    return run_app(app, device, "display")


def add_parser(sub) -> None:
    s = sub.add_parser("display", help="run this enrolled wall display: postings, pages, notices")
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1920x1080")
    s.add_argument(
        "--layout",
        choices=["table", "cards", "ticker", "booth"],
        help="override the layout the device's configuration (or the screen's shape) chooses",
    )
    s.set_defaults(func=lambda a: run(a))
