"""Small measuring helpers the benches share: percentiles, resident memory."""

from __future__ import annotations

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


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, from /proc (MB = 2**20 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for process {pid}")
