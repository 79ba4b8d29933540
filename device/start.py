"""What `lingong kiosk` and `lingong display` share: the enrolled store, Kivy prepared for it, and a
picture of the screen kept on disk when there is no screen to look at."""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from floor import paths

from . import env, restarts
from .capture import save_png
from .watchdog import keep_alive

CAPTURE_EVERY_S = 5.0


@dataclass
class Device:
    home: Path
    store: object  # sync.store.DeviceStore (imported lazily: the CLI stays light)
    enrollment: object
    config: dict
    offscreen: bool


def open_enrolled(args: argparse.Namespace, offscreen_size: tuple[int, int]) -> Device | None:
    """The enrolled device's store and configuration, with Kivy configured from them (call before
    importing Kivy). None, with the reason on stderr, when this machine is not enrolled."""
    from sync.errors import NotEnrolled
    from sync.store import DeviceStore

    home = paths.home()
    store = DeviceStore.in_home(home)
    try:
        enrollment = store.enrollment()
    except NotEnrolled as exc:
        print(str(exc), file=sys.stderr)
        return None
    config = (store.doc("device", enrollment.device_id) or {}).get("config") or {}
    size = tuple(int(v) for v in args.size.lower().split("x")) if args.size else None
    offscreen = env.prepare(
        home,
        size=size or (offscreen_size if not env.has_screen() else None),
        fullscreen=not args.windowed,
        rotation=int(config.get("rotation", 0)),
    )
    return Device(home, store, enrollment, config, offscreen)


def keep_picture(app, device: Device, name: str) -> None:
    """Without a screen, say where to look, and write the screen to a PNG every few seconds."""
    if not device.offscreen:
        return
    from kivy.clock import Clock

    capture = device.home / "screens" / f"{name}.png"
    print(f"no screen: the {name} runs offscreen and writes {capture} every {CAPTURE_EVERY_S:.0f} s", flush=True)
    app._events.append(Clock.schedule_interval(lambda _dt: save_png(capture), CAPTURE_EVERY_S))


def take_updates(app):
    """Signed updates (device/update) for an app with a sync agent: healthy once enrolled, synced in
    this run and its first frame drawn (the loop's second turn: the first one drew); a switch ends
    the app asking to be started again, into the new version."""
    agent = getattr(app, "agent", None)
    if agent is None:
        return None
    from kivy.clock import Clock

    from .update.attach import attach

    drawn = threading.Event()
    app._events.append(Clock.schedule_once(lambda _dt: Clock.schedule_once(lambda _dt: drawn.set(), 0), 0))

    def restart() -> None:
        def stop(_dt) -> None:
            app.restart_reason = "软件更新：换到新版本"
            app.stop()

        Clock.schedule_once(stop, 0)

    return attach(agent, restart=restart, ready=drawn.is_set)


def run_app(app, device: Device, name: str) -> int:
    """Runs the app as every device runs it: its picture kept when offscreen, systemd told it is
    alive, and its end recorded (device/restarts.py). Non-zero when the app asked to be started
    again (`app.restart_reason`): systemd's Restart=on-failure does it."""
    keep_picture(app, device, name)
    keep_alive(app)
    updater = take_updates(app)
    app.run()
    if updater is not None:
        updater.stop()
    reason = getattr(app, "restart_reason", None)
    restarts.stopping(device.home, reason)
    return 3 if reason else 0
