"""`lingong kiosk`: the enrolled device's store, sync agent, card reader and screens, full screen."""

from __future__ import annotations

import argparse
import sys

from device import restarts
from device.machine import Machine, MachineFileError
from device.start import open_enrolled, run_app
from floor import timezone


def _reader(args: argparse.Namespace, device, machine: Machine):
    """The card reader: `--reader SPEC` given here (the person at the machine), else the one the
    hub chose by name among those this machine defines, else the machine's default."""
    from cardreader.spec import open_reader

    name, spec = ("--reader", args.reader) if args.reader else machine.reader_spec(device.config.get("reader"))
    try:
        return name, open_reader(spec, home=device.home)
    except ValueError as exc:
        print(f"reader {name}: {exc}", file=sys.stderr)
        return name, None


def _machine(device) -> Machine | None:
    try:
        return Machine.load(device.home)
    except MachineFileError as exc:
        print(f"machine file: {exc}", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    device = open_enrolled(args, offscreen_size=(1080, 1920))
    if device is None:
        return 2
    from sync.agent import SyncAgent

    from .app import KioskApp
    from .data import KioskData
    from .speech import Speaker

    machine = _machine(device)
    if machine is None:
        return 2
    if args.booth or device.enrollment.kind == "booth":
        return run_booth(args, device, machine)
    data = KioskData(device.store, tz=timezone.local())
    data.refresh()
    name, reader = _reader(args, device, machine)
    if reader is None:
        return 2
    enrollment = device.enrollment
    restarted = restarts.started(device.home)
    agent = SyncAgent(device.store, state=lambda: {"reader": name, **machine.names(), **restarted})
    app = KioskApp(
        data,
        reader=reader,
        agent=agent,
        speaker=Speaker(),
        public_url=enrollment.public_url or enrollment.hub_url,
        idle_timeout_s=float(device.config.get("idle_timeout_s", 60)),
    )
    return run_app(app, device, "kiosk")


def run_booth(args: argparse.Namespace, device, machine: Machine) -> int:
    """Booth mode: check-in by card, the interview room in a full-screen browser."""
    from sync.agent import SyncAgent

    from .booth import Booth, BoothSettings
    from .booth_app import BoothApp

    name, reader = _reader(args, device, machine)
    if reader is None:
        return 2
    restarted = restarts.started(device.home)
    agent = SyncAgent(device.store, state=lambda: {"reader": name, **machine.names(), **restarted})
    enrollment = device.enrollment
    config = lambda: BoothSettings.of(
        (device.store.doc("device", enrollment.device_id) or {}).get("config") or {}, machine
    )
    booth = Booth(agent.session, enrollment, config())
    app = BoothApp(booth, reader=reader, agent=agent, tz=timezone.local(), settings_source=config)
    return run_app(app, device, "booth")


def add_parser(sub) -> None:
    s = sub.add_parser("kiosk", help="run this enrolled kiosk: cards, matches, applications")
    s.add_argument(
        "--reader",
        help="card reader spec, e.g. sam:/dev/ttyUSB0 (default: the reader the hub chose "
        "among those this machine's machine.toml names, else its default, else sim)",
    )
    s.add_argument(
        "--booth",
        action="store_true",
        help="booth mode: a card checks in to a booked video interview (a booth device always runs so)",
    )
    s.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    s.add_argument("--size", help="WIDTHxHEIGHT of the window, e.g. 1080x1920")
