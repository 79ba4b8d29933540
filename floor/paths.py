"""Where state lives: LINGONG_HOME, else `var/` in a source checkout, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def in_checkout() -> bool:
    pyproject = PROJECT_ROOT / "pyproject.toml"
    return pyproject.is_file() and 'name = "lingong"' in pyproject.read_text(encoding="utf-8")


def home() -> Path:
    """The state folder of this process (created on first use, private to its owner)."""
    env = os.environ.get("LINGONG_HOME")
    if env:
        path = Path(env).expanduser()
    elif in_checkout():
        path = PROJECT_ROOT / "var"
    else:
        path = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local/share")) / "lingong"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path.resolve()


def write_private(path: Path, data: bytes) -> None:
    """Writes a file only its owner can read, atomically (never a half-written secret)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
