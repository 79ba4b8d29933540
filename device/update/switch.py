"""Switching versions: start a trial of a new one, confirm it when healthy, or go back to the good one.

Each step writes the state file before it moves a link, in an order that lets `guard` finish or undo
any step cut short: a power cut between any two lines below leaves `good` pointing at a complete
version, and `current` at one that is either good or on trial."""

from __future__ import annotations

import contextlib
import shutil
import time

from .faults import checkpoint
from .layout import Layout, State

# A new version must prove healthy (enrolled, first sync, first frame) within this long after the
# switch, and within this many starts (a version that dies before it can even report dies fast).
HEALTH_LIMIT_S = 900.0
MAX_STARTS = 3


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
    version = str(trial.get("version", ""))
    if trial.get("key"):
        state.failed[trial["key"]] = {"version": version, "reason": reason, "at": round(time.time())}
    state.trial = None
    state.tell("rolled_back", version, detail)
    layout.save(state)  # first: `current` off `good` with no trial under way is put back by guard
    good = layout.pointed(layout.good)
    if good is not None:
        layout.point(layout.current, good)


def remember_failure(layout: Layout, state: State, key: str, version: str, reason: str, detail: str) -> None:
    state.failed[key] = {"version": version, "reason": reason, "at": round(time.time())}
    state.tell("refused" if reason != "health" else "rolled_back", version, detail)
    layout.save(state)


def tidy(layout: Layout, keep: set[str], download: str = "") -> None:
    """Removes versions nobody points at but `keep`, and every download but the one named `download`
    (an update resumed after a power cut need not fetch it again). Never touches what `current` or
    `good` name."""
    keep = {v for v in keep if v} | {layout.pointed(layout.current), layout.pointed(layout.good)}
    if layout.versions.is_dir():
        for child in layout.versions.iterdir():
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)
    if layout.downloads.is_dir():
        for child in layout.downloads.iterdir():
            if child.name == download:
                continue
            with contextlib.suppress(OSError):
                child.unlink()
