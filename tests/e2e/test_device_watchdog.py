"""A wall under a real systemd (`systemd --user`, tests/support/systemd_user.py) running the unit
`lingong device setup` wrote: when its UI loop freezes — its X server stops answering, the process
and its other threads live on — the watchdog restarts it; when it is killed, it comes back; and
each restart is counted for the console."""

import configparser
import json
import os
import signal
from pathlib import Path

from device.setup import files
from device.setup.kinds import PREFIX
from tests.support.hub import lingong, lingong_env
from tests.support.systemd_user import UserManager, Xvfb

# The unit's own watchdog is 30 s; the test waits 4 s of silence instead (everything else as written).
WATCHDOG_S = 4
# Kept from the system unit: what makes it restart and what it runs. The rest (user, tty, PAM session,
# sandboxing) needs systemd as PID 1 and root.
SERVICE_KEYS = ("Type", "NotifyAccess", "Restart", "RestartSec", "TimeoutStartSec", "TimeoutStopSec")


def user_unit(root: Path, display: str) -> str:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(root / "etc/systemd/system" / files.UNIT)
    unit, service = parser["Unit"], parser["Service"]

    def mapped(line: str) -> str:
        words = line.split(" -- ", 1)[-1].split()  # (cage needs a seat: the app draws on Xvfb instead)
        return " ".join(str(root / w.lstrip("/")) if w.startswith(PREFIX) else w for w in words)

    home = root / service["Environment"].split("=", 1)[1].lstrip("/")
    lines = ["[Unit]", f"Description={unit['Description']}", f"StartLimitIntervalSec={unit['StartLimitIntervalSec']}"]
    lines += ["[Service]", *(f"{k}={service[k]}" for k in SERVICE_KEYS), f"WatchdogSec={WATCHDOG_S}"]
    env = {**lingong_env(home), "DISPLAY": display}
    env.pop("PYTHONPATH", None)  # (the version's environment finds lingong itself)
    lines += [f'Environment="{k}={v}"' for k, v in env.items()]
    if "ExecStartPre" in service:
        lines.append(f"ExecStartPre={mapped(service['ExecStartPre'])}")
    lines.append(f"ExecStart={mapped(service['ExecStart'])} --windowed --size 800x480")
    return "\n".join(lines) + "\n"


def test_a_frozen_wall_is_restarted_by_the_watchdog_and_a_killed_one_comes_back(sqlite_hub, tmp_path):
    root = tmp_path / "root"
    code = sqlite_hub.add_device("display", 1, layout="table", dwell_s=3)
    lingong("device", "setup", "--root", str(root), "--hub", sqlite_hub.url, "--code", code, home=tmp_path)
    name = files.UNIT
    with Xvfb() as screen, UserManager(tmp_path / "systemd") as systemd:
        systemd.install(name, user_unit(root, screen.display))
        systemd.systemctl("start", name)  # returns once the wall said READY=1
        first = systemd.wait_for(name, lambda s: s["ActiveState"] == "active", "active")
        pid = int(first["MainPID"])
        assert first["NRestarts"] == "0"

        # Its X server stops answering: the wall's next frame blocks its UI loop, not the process
        # (which systemd would otherwise see end by itself, not as the watchdog's doing).
        screen.process.send_signal(signal.SIGSTOP)
        try:
            # (the result is shown while it waits RestartSec to start again)
            ended = systemd.wait_for(name, lambda s: s["Result"] != "success", "ended")
        finally:
            screen.process.send_signal(signal.SIGCONT)
        assert ended["Result"] == "watchdog", ended
        systemd.wait_for(name, lambda s: s["NRestarts"] == "1", "restarted")
        again = systemd.wait_for(name, lambda s: s["ActiveState"] == "active" and s["MainPID"] != "0", "active")

        # Killed outright, it is started again.
        os.kill(int(again["MainPID"]), signal.SIGKILL)
        back = systemd.wait_for(
            name, lambda s: s["NRestarts"] == "2" and s["ActiveState"] == "active", "back after SIGKILL"
        )
        assert back["MainPID"] not in (str(pid), again["MainPID"])
        # Each start after a run that did not end cleanly is counted for the console's device page.
        kept = json.loads((root / "var/lib/lingong/restarts.json").read_text())
        assert kept["count"] == 2, kept
        systemd.systemctl("stop", name)
