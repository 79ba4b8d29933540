"""Tells systemd the kiosk or wall is alive from its UI loop: a frozen screen, not only a dead process,
is restarted (the unit's WatchdogSec=). Outside systemd (no $NOTIFY_SOCKET) it does nothing."""

from __future__ import annotations

import logging
import os

from floor.systemd import notify

log = logging.getLogger(__name__)


def watchdog_every_s(environ: dict | None = None, pid: int | None = None, parent: int | None = None) -> float | None:
    """Half the watchdog's interval, as sd_watchdog_enabled(3) advises; None when there is no
    watchdog for this process. The watchdog is the unit's main process's: this app's own, or its
    parent's when a compositor runs it (cage is the device unit's main process, NotifyAccess=all)."""
    environ = os.environ if environ is None else environ
    usec, owner = environ.get("WATCHDOG_USEC"), environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or int(usec) == 0:
        return None
    if owner and owner.isdigit() and int(owner) not in (pid or os.getpid(), parent or os.getppid()):
        return None
    return int(usec) / 1e6 / 2


def keep_alive(app) -> bool:
    """READY=1 once the UI loop runs, then WATCHDOG=1 from the same loop (Kivy's clock) every half
    interval: while a callback hangs or the loop stops, the pings stop and systemd restarts the
    unit. The variables are taken out of the environment: a browser or espeak started later must
    not speak for the app."""
    address = os.environ.pop("NOTIFY_SOCKET", None)
    every = watchdog_every_s()
    for name in ("WATCHDOG_USEC", "WATCHDOG_PID"):
        os.environ.pop(name, None)
    if not address:
        return False
    from kivy.clock import Clock

    failed = []

    def say(message: str) -> None:
        try:
            notify(message, address)
        except OSError as exc:  # systemd gone (a test, a shutdown): the screen goes on regardless
            if not failed:
                log.warning("systemd's notify socket refused %s: %s", message, exc)
            failed.append(message)

    app._events.append(Clock.schedule_once(lambda _dt: say("READY=1"), 0))
    if every:
        app._events.append(Clock.schedule_interval(lambda _dt: say("WATCHDOG=1"), every))
    return True
