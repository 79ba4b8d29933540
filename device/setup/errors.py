"""What stops a device's set-up, each with the words an installer acts on."""

from __future__ import annotations


class SetupError(Exception):
    """Set-up cannot go on; the message says what to do."""


class NotRoot(SetupError):
    """Changing the machine itself (packages, users, units) needs root; `--root DIR` does not."""


class StepFailed(SetupError):
    """A program set-up ran (apt-get, systemd-sysusers, systemctl) failed; its output is in the message."""
