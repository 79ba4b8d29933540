"""The points where the end-to-end test SIGKILLs an update, named once."""

from __future__ import annotations

import os
import signal

# In the order an update passes them. LINGONG_UPDATE_KILL_AT=<step> makes this process SIGKILL
# itself there: the same signal a power cut, the OOM killer or systemd's stop timeout gives, but at a
# known point, so the test can show every step is survived (tests/e2e/test_device_update.py).
STEPS = ("download", "verify", "install", "installed", "switch", "restart", "start", "confirm")


def checkpoint(step: str) -> None:
    if os.environ.get("LINGONG_UPDATE_KILL_AT") == step:
        os.kill(os.getpid(), signal.SIGKILL)
