"""Small measuring helpers the benches share: percentiles, resident memory."""

from __future__ import annotations

import os
from pathlib import Path


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile by nearest rank (None for no values)."""
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def ms(values: list[float], q: float) -> float | None:
    """The q-th percentile of durations in seconds, in milliseconds to 0.01."""
    value = percentile(values, q)
    return None if value is None else round(value * 1000, 2)


def process_tree(pid: int) -> list[int]:
    """A process and its direct children (uvicorn's worker processes)."""
    try:
        return [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        return [pid]


def cpu_s(pid: int) -> float:
    """CPU seconds used so far by a process and its children (uvicorn's worker processes)."""
    total = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass  # a worker that ended meanwhile
    return total


def _ticks() -> dict[int, tuple[str, int]]:
    """Every process's name and CPU clock ticks so far, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = text.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (text[text.index("(") + 1 : text.rindex(")")], int(fields[11]) + int(fields[12]))
    return found


class CpuShares:
    """Where a machine's cores went between readings: the CPU seconds of each group of processes
    (the hub, the devices, the database, the bench itself …) and the share of the machine busy. A
    process started since the last reading counts from its start; one that ended since is lost."""

    def __init__(self, by_name: dict[str, str]) -> None:
        self.by_name = by_name  # a process's name: its group (postgres: the database)
        self.last = _ticks()
        self.machine = _machine_ticks()

    def read(self, groups: dict[int, str]) -> tuple[float, dict[str, float]]:
        """(the machine's busy share, {group: CPU seconds}) since the last reading; `groups` names the
        group of the processes known by their id, the others go by their name or to "other"."""
        now, machine = _ticks(), _machine_ticks()
        used: dict[str, float] = {}
        for pid, (name, ticks) in now.items():
            before = self.last.get(pid)
            # (fewer ticks than before: the id was given to a new process; a kernel thread's name
            # changes with its work, so the name cannot tell)
            spent = ticks - before[1] if before is not None and ticks >= before[1] else ticks
            if spent > 0:
                group = groups.get(pid) or self.by_name.get(name, "other")
                used[group] = used.get(group, 0.0) + spent / os.sysconf("SC_CLK_TCK")
        busy = (machine[0] - self.machine[0]) / max(1, machine[1] - self.machine[1])
        self.last, self.machine = now, machine
        return round(busy, 2), {group: round(s, 2) for group, s in sorted(used.items())}


def _machine_ticks() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot, from /proc/stat."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    every = sum(ticks[:8])  # (guest and guest_nice, after those, are counted in user and nice already)
    idle = ticks[3] + ticks[4]  # idle and iowait
    return every - idle, every


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, from /proc (MB = 2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")
