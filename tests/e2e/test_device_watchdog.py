"""`lingong display` under systemd's eyes: READY=1 once its UI loop turns, then WATCHDOG=1 from that
loop every half WatchdogSec — read here on a notify socket, as systemd would."""

import signal
import socket
import subprocess
import sys
import time

from tests.integration.test_link import enroll
from tests.support.hub import ROOT, lingong_env


def test_the_wall_says_ready_and_keeps_saying_it_is_alive(sqlite_hub, tmp_path):
    home = tmp_path / "wall"
    enroll(sqlite_hub, home, kind="display", layout="table")
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as systemd:
        systemd.bind(address)
        systemd.settimeout(60)  # a guard against a hang, not a speed
        wall = subprocess.Popen(
            [sys.executable, "-m", "lingong.cli", "display", "--size", "800x480"],
            env=lingong_env(home, NOTIFY_SOCKET=address, WATCHDOG_USEC="1000000"),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            heard = [systemd.recv(64).decode()]
            while heard.count("WATCHDOG=1") < 3:
                heard.append(systemd.recv(64).decode())
            assert heard[0] == "READY=1", heard
            # Paused (SIGSTOP: no loop turns), the wall goes quiet — what systemd's watchdog acts on.
            wall.send_signal(signal.SIGSTOP)
            time.sleep(0.3)
            systemd.settimeout(0.1)
            while True:  # what was sent before the pause
                try:
                    systemd.recv(64)
                except TimeoutError:
                    break
            systemd.settimeout(2.0)
            try:
                late = systemd.recv(64)
            except TimeoutError:
                late = None
            assert late is None, late
            wall.send_signal(signal.SIGCONT)
        finally:
            wall.terminate()
            try:
                wall.wait(30)
            except subprocess.TimeoutExpired:
                wall.kill()
