"""A real systemd service manager for tests: `systemd --user`, which runs without systemd as PID 1
once /run/systemd/system exists — made in a mount namespace of its own, so the machine's /run is
untouched — and an X server (Xvfb) for the apps it supervises to draw on."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

SYSTEMD = "/lib/systemd/systemd"


class UserManager:
    def __init__(self, folder: Path):
        self.folder = folder
        self.runtime = folder / "runtime"
        self.units = folder / "config" / "systemd" / "user"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> UserManager:
        assert Path(SYSTEMD).exists(), "systemd is missing (Debian package systemd)"
        assert shutil.which("unshare"), "unshare is missing (Debian package util-linux)"
        self.runtime.mkdir(parents=True, mode=0o700)
        self.units.mkdir(parents=True)
        script = "mount -t tmpfs none /run/systemd && mkdir /run/systemd/system && exec " + SYSTEMD + " --user"
        self.process = subprocess.Popen(
            ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
            env=self._env(XDG_CONFIG_HOME=str(self.folder / "config")),
            stdout=open(self.folder / "manager.log", "wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60  # a guard against a hang, not a speed
        while self.systemctl("show", "-p", "Version", check=False).returncode != 0:
            assert self.process.poll() is None, (self.folder / "manager.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "systemd --user did not answer"
            time.sleep(0.1)
        return self

    def __exit__(self, *_exc) -> None:
        self.systemctl("exit", check=False)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _env(self, **extra: str) -> dict:
        return {"PATH": os.environ["PATH"], "XDG_RUNTIME_DIR": str(self.runtime), **extra}

    def systemctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["systemctl", "--user", *args], env=self._env(), capture_output=True, text=True, timeout=60
        )
        if check and done.returncode != 0:
            raise AssertionError(f"systemctl --user {' '.join(args)}: {done.stdout}{done.stderr}")
        return done

    def install(self, name: str, text: str) -> None:
        (self.units / name).write_text(text, encoding="utf-8")
        self.systemctl("daemon-reload")

    def show(self, unit: str) -> dict[str, str]:
        out = self.systemctl("show", unit, "-p", "ActiveState,SubState,MainPID,NRestarts,Result").stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_for(self, unit: str, test, what: str, within_s: float = 120) -> dict[str, str]:
        """Polls the unit's properties until `test` holds; `within_s` only catches a hang."""
        deadline = time.monotonic() + within_s
        while True:
            state = self.show(unit)
            if test(state):
                return state
            assert time.monotonic() < deadline, f"{unit}: never {what}; last {state}"
            time.sleep(0.2)


class Xvfb:
    """A virtual X screen; SIGSTOP on it freezes every client waiting on it to draw."""

    def __init__(self, size: str = "800x480"):
        self.size = size
        self.process: subprocess.Popen | None = None
        self.display = ""

    def __enter__(self) -> Xvfb:
        program = shutil.which("Xvfb")
        assert program, "Xvfb is missing (Debian package xvfb: `make test` installs it)"
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [program, "-displayfd", str(write), "-screen", "0", f"{self.size}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as numbers:
            number = numbers.readline().strip()
        assert number, "Xvfb did not start"
        self.display = f":{number}"
        return self

    def __exit__(self, *_exc) -> None:
        self.process.kill()
        self.process.wait()
