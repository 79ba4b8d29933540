"""Switching versions: start a trial of a new one, confirm it when healthy, or go back to the good one.

Each step writes the state file before it moves a link, in an order that lets `guard` finish or undo
any step cut short: a power cut between any two lines below leaves `good` pointing at a complete
version, and `current` at one that is either good or on trial."""

from __future__ import annotations

import contextlib
import math
import shutil
import time

from wire.errors import ReleaseError
from wire.releases import valid_version

from .faults import checkpoint
from .layout import Layout, State

# A new version must prove healthy (enrolled, first sync, first frame) within this long after the
# switch, and within this many starts (a version that dies before it can even report dies fast).
HEALTH_LIMIT_S = 900.0
MAX_STARTS = 3
# Failures remembered (never tried again): only releases that verified and then failed get here, but
# a hub can roll out many; the oldest are forgotten first (a hub that offers one again gets a retry).
MAX_FAILED = 20


def trial_numbers(trial: dict) -> tuple[int, float] | None:
    """A trial's starts so far and its deadline, or None when either is not a number we wrote (a
    damaged or hand-edited file): the caller treats that trial as over, never as forever pending."""
    starts, deadline = trial.get("starts", 0), trial.get("deadline", 0)
    if not (isinstance(starts, int) and not isinstance(starts, bool) and 0 <= starts <= 1000):
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, int | float) or not math.isfinite(deadline):
        return None
    return starts, float(deadline)


def _remember(state: State, key: object, version: str, reason: str) -> None:
    if not isinstance(key, str) or len(key) > 100:
        return
    state.failed[key] = {"version": version, "reason": reason, "at": round(time.time())}
    if len(state.failed) > MAX_FAILED:
        newest = sorted(state.failed.items(), key=lambda kv: _at(kv[1]), reverse=True)[:MAX_FAILED]
        state.failed = dict(newest)


def _at(entry: object) -> float:
    at = entry.get("at") if isinstance(entry, dict) else None
    return at if isinstance(at, int | float) and not isinstance(at, bool) and math.isfinite(at) else 0.0


def begin_trial(layout: Layout, state: State, version: str, key: str, limit_s: float = HEALTH_LIMIT_S) -> None:
    """`current` to a complete new version, on trial; `good` stays where it is."""
    previous = layout.pointed(layout.good)
    state.trial = {
        "version": version,
        "previous": previous,
        "key": key,
        "deadline": time.time() + limit_s,
        "starts": 0,
    }
    state.tell("trial", version, f"从 {previous} 切换，等待新版本确认正常")
    layout.save(state)  # first: a trial recorded for a switch that did not happen is undone by guard
    checkpoint("switch")
    layout.point(layout.current, version)


def confirm(layout: Layout, running: str) -> bool:
    """The running version proved healthy: it becomes the good one. True if that ended a trial."""
    state = layout.load()
    trial = state.trial
    if not trial or trial.get("version") != running or layout.pointed(layout.current) != running:
        return False
    layout.point(layout.good, running)  # first: a trial whose version is already good is over (guard)
    checkpoint("confirm")
    end_trial(layout, state, running)
    return True


def end_trial(layout: Layout, state: State, version: str) -> None:
    previous = (state.trial or {}).get("previous")
    state.trial = None
    state.tell("updated", version, f"已从 {previous} 更新到 {version}")
    layout.save(state)


def roll_back(layout: Layout, state: State, reason: str, detail: str) -> None:
    """Back to `good`, the trial's release remembered as failed so it is not tried again."""
    trial = state.trial or {}
    version = trial.get("version") if isinstance(trial.get("version"), str) else ""
    if trial.get("key"):
        _remember(state, trial["key"], version[:20], reason)
    state.trial = None
    state.tell("rolled_back", version, detail)
    layout.save(state)  # first: `current` off `good` with no trial under way is put back by guard
    good = layout.pointed(layout.good)
    if good is not None:
        layout.point(layout.current, good)


def remember_failure(layout: Layout, state: State, key: str, version: str, reason: str, detail: str) -> None:
    _remember(state, key, version, reason)
    state.tell("refused" if reason != "health" else "rolled_back", version, detail)
    layout.save(state)


def tidy(layout: Layout, keep: set[str], download: str = "") -> None:
    """Removes versions nobody points at but `keep`, and every download but the one named `download`
    (an update resumed after a power cut need not fetch it again). Never touches what `current` or
    `good` name, nor a folder not named as a version (lost+found, or anything else not ours)."""
    keep = {v for v in keep if v} | {layout.pointed(layout.current), layout.pointed(layout.good)}
    if layout.versions.is_dir():
        for child in layout.versions.iterdir():
            if child.name in keep or not is_version(child.name):
                continue
            if child.is_symlink():  # not ours either: rmtree would refuse it, unlink the link alone
                continue
            shutil.rmtree(child, ignore_errors=True)
    if layout.downloads.is_dir():
        for child in layout.downloads.iterdir():
            if child.name == download:
                continue
            with contextlib.suppress(OSError):
                child.unlink()


def is_version(name: str) -> bool:
    try:
        valid_version(name)
    except ReleaseError:
        return False
    return True
