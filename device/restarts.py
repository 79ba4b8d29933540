"""How often this device's app has had to start again, and why: a marker while it runs, so that the
next start knows the last run did not end cleanly (a power cut, a crash, systemd's watchdog); the
count and the last reason go to the hub in the heartbeat, for the console's device page."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

FILE, RUNNING = "restarts.json", "running"
UNCLEAN = "上次没有正常结束（断电、崩溃或看门狗重启）"


def _read(home: Path) -> dict:
    try:
        kept = json.loads((home / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _write(home: Path, kept: dict) -> None:
    path = home / FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)  # (a power cut leaves the old file or the new, never half)


def started(home: Path, now: float | None = None) -> dict:
    """Called at start: a run that never said it ended counts as a restart. Returns what the
    heartbeat reports ({"restarts": N, "last_restart": "reason, at"})."""
    kept = _read(home)
    if (home / RUNNING).exists():
        kept = {**kept, "count": int(kept.get("count", 0)) + 1, "reason": UNCLEAN, "at": now or time.time()}
        _write(home, kept)
    (home / RUNNING).write_text(str(os.getpid()))
    return state(kept)


def stopping(home: Path, reason: str | None = None, now: float | None = None) -> None:
    """Called as the app ends: cleanly (no reason), or asking to be started again (`reason`)."""
    if reason:
        kept = _read(home)
        _write(home, {"count": int(kept.get("count", 0)) + 1, "reason": reason, "at": now or time.time()})
    (home / RUNNING).unlink(missing_ok=True)


def current(home: Path) -> dict:
    """What the heartbeat would report now, read from `home` (for `lingong device doctor`)."""
    return state(_read(home))


def state(kept: dict) -> dict:
    if not kept.get("count"):
        return {"restarts": 0}
    at = time.strftime("%m-%d %H:%M", time.localtime(float(kept.get("at", 0))))
    return {"restarts": int(kept["count"]), "last_restart": f"{kept.get('reason', '')}，{at}"[:120]}
