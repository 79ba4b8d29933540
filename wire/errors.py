"""Errors of the wire contract."""

from __future__ import annotations


class SealError(Exception):
    """A sealed payload could not be opened (wrong key, tampered, or not a sealed payload)."""
