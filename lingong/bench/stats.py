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


def machine_cpu() -> tuple[int, int]:
    """(busy, all) clock ticks of every core since boot, from /proc/stat: two readings give the
    machine's busy share between them (were the cores the limit?)."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return sum(ticks) - idle, sum(ticks)


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of the machine's CPU that was busy between two machine_cpu() readings."""
    return round((after[0] - before[0]) / max(1, after[1] - before[1]), 2)


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, from /proc (MB = 2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")
