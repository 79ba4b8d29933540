"""Errors of the wire contract."""

from __future__ import annotations


class SealError(Exception):
    """A sealed payload could not be opened (wrong key, tampered, or not a sealed payload)."""


class ReleaseError(Exception):
    """A release, its signature or a key is not what it must be; `what` names the part (version,
    sha256, size, signature, key, wheel) for programs, `message` says it in English for logs and
    the command line, `words` in Chinese for the console's staff (and a device's report to it)."""

    def __init__(self, what: str, message: str, words: str = ""):
        super().__init__(message)
        self.what = what
        self.message = message
        self.words = words or message
