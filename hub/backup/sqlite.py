"""An SQLite hub database copied while the hub writes to it, and put back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from .errors import BackupError, RestoreRefused


def dump(database: Path, out: Path) -> None:
    """SQLite's online backup API: one consistent copy, even of a WAL database being written
    (a plain file copy of a live database can be torn between pages or miss the WAL)."""
    if not database.is_file():
        raise BackupError(f"no SQLite database at {database}")
    source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        verdict = target.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if verdict != "ok":
        raise BackupError(f"the copy of {database} fails SQLite's check: {verdict}")


def load(dumped: Path, database: Path) -> None:
    """Puts the copy in place; refuses to overwrite a database that is there already."""
    if database.exists() or any(database.parent.glob(database.name + "-*")):
        raise RestoreRefused(f"{database} exists already: restore into a new, empty state folder")
    database.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = database.with_name(database.name + ".restoring")
    shutil.copyfile(dumped, partial)
    partial.chmod(0o600)
    partial.rename(database)
