"""What goes wrong with a backup or a restore, worded for the operator who runs the command."""

from __future__ import annotations


class BackupError(Exception):
    """A backup could not be written; nothing was left at the archive's path."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DamagedArchive(BackupError):
    """The archive is cut short, altered or not a lingong backup: nothing was restored from it."""


class RestoreRefused(BackupError):
    """The target would be overwritten or cannot take this archive (nothing was changed)."""
