"""The screen's power for the schedule: HDMI-CEC standby and on through `cec-client` (Debian's
cec-utils) where the screen and its adapter answer, else the picture is only blanked. Which was
used is reported (the console says "关屏（CEC待机）" or "关屏（黑屏）")."""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading

log = logging.getLogger(__name__)
CEC, BLANK = "cec", "blank"
CEC_TIMEOUT_S = 20  # cec-client gives up by itself sooner when no adapter answers (≈0.5 s)


class Power:
    """Switches the screen, in a thread of its own (cec-client may take seconds; the UI loop must
    not wait). The app blanks its picture whatever happens here: a screen that ignores CEC, or
    misses a command, still shows nothing while the wall sleeps."""

    def __init__(self, program: str | None = None, *, background: bool = True):
        self.program = program if program is not None else (shutil.which("cec-client") or "")
        self.background = background
        self.method = ""  # how the screen was last switched off: CEC or BLANK
        self._lock = threading.Lock()

    def off(self) -> None:
        self._do("standby 0", off=True)

    def on(self) -> None:
        self._do("on 0", off=False)

    def _do(self, command: str, off: bool) -> None:
        if not self.background:
            self._send(command, off)
            return
        threading.Thread(target=self._send, args=(command, off), daemon=True, name="wall-power").start()

    def _send(self, command: str, off: bool) -> None:
        with self._lock:  # (one command at a time, in order: off then on never cross)
            done = self.program and self._cec(command)
            if off:
                self.method = CEC if done else BLANK

    def _cec(self, command: str) -> bool:
        """One CEC command to the TV (logical address 0) — `echo standby 0 | cec-client -s -d 1`."""
        try:
            run = subprocess.run(
                [self.program, "-s", "-d", "1"],
                input=command + "\n",
                capture_output=True,
                text=True,
                timeout=CEC_TIMEOUT_S,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("cec-client could not switch the screen (%s): blanking it instead", exc)
            return False
        if run.returncode != 0:
            log.info("no CEC here (%s): the screen is blanked instead", (run.stdout + run.stderr).strip()[:120])
        return run.returncode == 0
