"""The install prefix: versions/<version>/ (one venv each), `current` and `good` symlinks, the update state file."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from wire.errors import ReleaseError
from wire.releases import valid_version

from .errors import UpdateError

DEFAULT_PREFIX = Path("/opt/lingong")
COMPLETE = ".complete"  # written last, after everything else of a version reached the disk


def prefix_of(arg: str | os.PathLike | None = None) -> Path:
    """--prefix, else LINGONG_PREFIX, else /opt/lingong."""
    return Path(arg or os.environ.get("LINGONG_PREFIX") or DEFAULT_PREFIX).expanduser()


def fsync_dir(path: Path) -> None:
    """A rename or a new symlink is only durable once its directory is synced."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# The prefix belongs to the device's user, and `device setup` writes in it as root: a file it creates
# must never be a link someone planted there, pointing at a file of the system.
NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def refuse_links(*paths: Path) -> None:
    """UpdateError if any of these is a symbolic link (not followed: lstat) where this code expects a
    real file or folder of its own, or absent."""
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode):
            raise UpdateError(
                "install",
                f"{path} 是一个符号链接，这里应是真实的文件或文件夹：可能有人动过安装目录，没有继续。"
                "请检查并删除它后重试",
            )


def write_durably(path: Path, data: bytes) -> None:
    """Whole or not at all, and on the disk when this returns (temp file, fsync, rename, fsync dir)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # one left by a process of the same id cut short (unlink never follows a link)
    with os.fdopen(os.open(tmp, NEW_FILE, 0o644), "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


@dataclass
class State:
    """What the prefix remembers between processes: the trial of a new version under way, the releases
    that failed here (never tried again), and the last thing to tell the hub."""

    trial: dict | None = None  # version, previous, key, deadline (epoch s), starts
    failed: dict[str, dict] = field(default_factory=dict)  # release key → {version, reason, at}
    report: dict = field(default_factory=dict)  # update, version, detail, at

    def tell(self, update: str, version: str = "", detail: str = "") -> None:
        self.report = {"update": update, "version": version, "detail": detail[:200], "at": round(time.time())}


class Layout:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.versions = self.root / "versions"
        self.current = self.root / "current"
        self.good = self.root / "good"
        self.downloads = self.root / "downloads"
        self.state_file = self.root / "update.json"
        self.deps_file = self.root / "deps.pth"  # what every version's venv adds to its path (install.py)

    def version_dir(self, version: str) -> Path:
        return self.versions / valid_version(version)

    def complete(self, version: str | None) -> bool:
        return version is not None and (self.version_dir(version) / COMPLETE).is_file()

    def pointed(self, link: Path) -> str | None:
        """The version a link points at, if it is a link of ours to a well-formed version."""
        try:
            target = os.readlink(link)
        except OSError:
            return None
        parent, _, name = target.rpartition("/")
        try:
            return valid_version(name) if parent == "versions" else None
        except ReleaseError:
            return None

    def point(self, link: Path, version: str) -> None:
        """Swaps a link atomically (a new link renamed over the old): never a moment without one."""
        valid_version(version)
        tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(f"versions/{version}", tmp)  # relative: the prefix may be moved or mounted elsewhere
        os.replace(tmp, link)
        fsync_dir(self.root)

    # ---- the state file ---------------------------------------------------------------------------
    def load(self) -> State:
        try:
            with os.fdopen(os.open(self.state_file, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC), "rb") as f:
                body = json.loads(f.read(1 << 20).decode("utf-8"))
        except FileNotFoundError:
            return State()
        except (OSError, ValueError):
            # Written atomically, so this is damage from outside: start again rather than never start.
            return State()
        if not isinstance(body, dict):
            return State()
        trial = body.get("trial") if isinstance(body.get("trial"), dict) else None
        failed = body.get("failed") if isinstance(body.get("failed"), dict) else {}
        report = body.get("report") if isinstance(body.get("report"), dict) else {}
        return State(trial, failed, report)

    def save(self, state: State) -> None:
        body = {"trial": state.trial, "failed": state.failed, "report": state.report}
        write_durably(self.state_file, json.dumps(body, indent=1, sort_keys=True).encode())

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """One updater or guard at a time on this prefix (a kiosk and a stray `lingong agent`)."""
        fd = os.open(self.root / ".lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        with os.fdopen(fd, "a") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def running_layout() -> Layout | None:
    """The prefix this interpreter runs from (<prefix>/versions/<version>/, reached through `current`
    or not), or None: a development checkout or any other install is not updated."""
    here = Path(sys.prefix).resolve()
    if here.parent.name != "versions":
        return None
    layout = Layout(here.parent.parent)
    return layout if layout.current.is_symlink() else None
