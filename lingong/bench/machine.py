"""What machine a bench ran on, and how fast its core is at the hub's kind of work, in every bench's JSON.

CPU figures (hub_cpu_ms_per_delivery and the like) carry over between runs only on the same kind of
core: the 2-core machines these benches run on are KVM guests that all call themselves "AMD EPYC",
on hosts of different generations. So each bench first times a fixed piece of the hub's own kind of
work — documents turned to JSON, compressed, parsed back, and a little pure Python — alone on one
core, best of several tries: a run whose `calibration_ms` is 20 % higher ran on a slower core, and
its CPU figures are expected to be about that much higher too."""

from __future__ import annotations

import gzip
import json
import os
import platform
import time

TRIES = 5


def _work() -> int:
    """About 30 ms on the machines of 2026-12: 2,000 posting-sized documents, as a feed answer is made."""
    docs = [
        {"id": i, "title": f"岗位{i}", "pay_min": 20000 + i, "pay_max": 30000 + i, "address": "青川区滨江路" * 3}
        for i in range(2000)
    ]
    line = json.dumps(docs, ensure_ascii=False).encode()
    back = json.loads(gzip.decompress(gzip.compress(line, 6)))
    return sum(d["pay_max"] - d["pay_min"] for d in back) + sum(i * i % 7 for i in range(100_000))


def calibration_ms() -> float:
    best = float("inf")
    for _ in range(TRIES):
        began = time.process_time()
        _work()
        best = min(best, time.process_time() - began)
    return round(best * 1000, 2)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict:
    """The machine as a bench's JSON gives it: taken before the bench starts, while it is quiet."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_1m_before": round(load, 2) if load is not None else None,
        "calibration_ms": calibration_ms(),
    }
