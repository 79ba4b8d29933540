"""`lingong update guard`: run from the last good version before every start, it ends a failed trial.

It runs the good version's code, so a new version that cannot even be imported is still rolled back;
it finishes or undoes whatever step a power cut interrupted (see switch.py), and it never stops the
device from starting: whatever goes wrong here is printed, and the start goes ahead."""

from __future__ import annotations

import time

from .layout import Layout
from .switch import MAX_STARTS, end_trial, roll_back, trial_numbers


def guard(layout: Layout, now: float | None = None, max_starts: int = MAX_STARTS) -> str:
    """Looks at the prefix before a start, repairs it, and says in a line what it did."""
    if not layout.current.is_symlink() and not layout.good.is_symlink():
        return "no versions here: nothing to guard"
    now = time.time() if now is None else now
    with layout.locked():
        state = layout.load()
        current, good = layout.pointed(layout.current), layout.pointed(layout.good)
        if not layout.complete(good):
            # Only an outside hand gets here (the updater never points `good` at less): keep what runs.
            return f"good version {good} is not complete; leaving current at {current}"
        trial = state.trial
        if trial is None:
            if current != good or not layout.complete(current):
                # A switch with no trial recorded (a roll-back cut short, a damaged link): back to good.
                layout.point(layout.current, good)
                return f"current was {current} with no trial under way: back to {good}"
            return f"running {good}"
        version = trial.get("version")
        if current != version:
            # The trial was recorded but the switch did not happen (or was already undone).
            state.trial = None
            layout.save(state)
            if current != good:
                layout.point(layout.current, good)
            return f"trial of {version} never started: running {good}"
        if good == version:  # confirmed, cut short before the trial was closed
            end_trial(layout, state, version)
            return f"{version} was confirmed: running it"
        numbers = trial_numbers(trial)
        if numbers is None:
            # Unreadable starts or deadline: an expired trial, not one that never ends (fail closed).
            roll_back(layout, state, "health", f"{version} 的试运行记录损坏，已退回 {good}")
            return f"trial record of {version} unreadable: rolled back to {good}"
        starts, deadline = numbers[0] + 1, numbers[1]
        if starts > max_starts:
            roll_back(layout, state, "health", f"{version} 启动 {starts - 1} 次都没有确认正常，已退回 {good}")
            return f"{version} failed {starts - 1} starts: rolled back to {good}"
        if now > deadline:
            roll_back(layout, state, "health", f"{version} 在限定时间内没有确认正常，已退回 {good}")
            return f"{version} missed its deadline: rolled back to {good}"
        trial["starts"] = starts
        layout.save(state)
        return f"trial of {version}: start {starts} of {max_starts}"
