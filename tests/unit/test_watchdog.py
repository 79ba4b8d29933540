"""The devices' systemd watchdog: READY, then WATCHDOG=1 from Kivy's clock (the UI loop) every half
interval, to a real datagram socket; nothing without $NOTIFY_SOCKET; another process's watchdog is not ours."""

import os
import socket

import pytest

from device.watchdog import keep_alive, watchdog_every_s


class App:
    def __init__(self):
        self._events = []


def test_half_the_interval_and_only_for_this_process():
    assert watchdog_every_s({"WATCHDOG_USEC": "20000000"}) == 10.0
    assert watchdog_every_s({"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": str(os.getpid())}) == 10.0
    # Under cage the unit's main process (whose watchdog it is) is the app's parent.
    under_cage = {"WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "41"}
    assert watchdog_every_s(under_cage, pid=42, parent=41) == 10.0
    assert watchdog_every_s(under_cage, pid=42, parent=1) is None  # another process's watchdog
    for nothing in ({}, {"WATCHDOG_USEC": "0"}, {"WATCHDOG_USEC": "soon"}):
        assert watchdog_every_s(nothing) is None


def test_pings_come_from_the_ui_loop_and_stop_with_it(tmp_path, monkeypatch):
    from kivy.clock import Clock

    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(address)
        systemd.settimeout(0.2)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        monkeypatch.setenv("WATCHDOG_USEC", "2000")  # a ping every millisecond of the clock's time
        app = App()
        assert keep_alive(app) and "NOTIFY_SOCKET" not in os.environ and "WATCHDOG_USEC" not in os.environ
        with pytest.raises(TimeoutError):
            systemd.recv(64)  # nothing until the loop runs: READY means the UI turns
        heard = []
        for _ in range(3):
            Clock.tick()
            Clock.tick()
            while True:
                try:
                    heard.append(systemd.recv(64).decode())
                except TimeoutError:
                    break
        assert heard[0] == "READY=1" and heard.count("WATCHDOG=1") >= 2, heard
        # The loop stops turning (a callback hangs: a frozen UI) while time passes: no ping, and
        # systemd, hearing nothing within WatchdogSec=, restarts the unit.
        with pytest.raises(TimeoutError):
            systemd.recv(64)
        for event in app._events:
            event.cancel()


def test_without_systemd_nothing_is_scheduled(monkeypatch):
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    app = App()
    assert keep_alive(app) is False and app._events == []
