"""`lingong bench storm`: a power cut — the hub and every device start at once, each device needing a snapshot."""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import signal
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp

from floor import logs
from sync.enroll import enroll
from sync.session import RetryPolicy

from .fleet import LightDevice
from .stats import percentile
from .sync import Bench, _rss_mb

# How devices retry a hub that is not up yet or turns them away: full jitter, doubling to 30 s
# (the agent's own policy, sync.session.RetryPolicy), so a district does not retry in step.
BACKOFF = RetryPolicy(attempts=1, base_s=0.5, cap_s=30.0)


async def _boot(device: LightDevice, rng: random.Random) -> dict:
    failures = server_errors = 0
    while True:
        try:
            await device.bootstrap()
            break
        except aiohttp.ClientResponseError as exc:
            server_errors += exc.status >= 500
            failures += 1
        except (aiohttp.ClientError, TimeoutError, ValueError):
            failures += 1  # not listening yet, or cut off
        await asyncio.sleep(BACKOFF.delay(min(failures, 8), rng))
    return {
        "device_id": device.device_id,
        "ready_at": time.time(),
        "failures": failures,
        "server_errors": server_errors,
    }


async def _run(hub_url: str, specs: list[dict], control: Connection, seed: int) -> None:
    rng = random.Random(seed)
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=0)
    # Snapshots stay gzipped as they came and are unpacked only by the first device of a process
    # that took that one (LightDevice): a thousand devices unpacking 1.4 MB each on the two cores
    # the hub needs would be what this measured, where each real device has a CPU of its own.
    async with aiohttp.ClientSession(
        hub_url, connector=connector, timeout=timeout, read_bufsize=2**22, auto_decompress=False
    ) as http:
        devices = []
        for spec in specs:
            enroll(hub_url, spec["code"], Path(spec["home"]))
            devices.append(LightDevice(http, Path(spec["home"]), spec["kind"], 0))
        loop = asyncio.get_running_loop()
        control.send(("enrolled", len(devices)))
        command, _ = await loop.run_in_executor(None, control.recv)
        assert command == "go"
        booted = await asyncio.gather(*(_boot(d, rng) for d in devices))
        command, now = await loop.run_in_executor(None, control.recv)
        assert command == "finish"
        for d, b in zip(devices, booted):
            b["digest"] = d.digest(now)
        control.send(("results", booted))
    for d in devices:
        d.store.close()


def worker(hub_url: str, specs: list[dict], control: Connection, seed: int) -> None:
    """Runs in its own process: enrolled → go → (every device booted) → finish(now) → results."""
    logs.setup("WARNING")
    asyncio.run(_run(hub_url, specs, control, seed))


class _PeakMemory(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            self.peak = max(self.peak, _rss_mb(self.pid))


def bench_storm(args: argparse.Namespace) -> dict:
    logs.setup("WARNING")
    bench = Bench(args)
    try:
        bench.start_hub()
        stations = len(bench.staff("GET", "/api/v1/stations"))
        specs = [
            {
                "code": bench.new_device("kiosk" if i % 5 < 3 else "display", 1 + i % stations),
                "kind": "kiosk" if i % 5 < 3 else "display",
                "home": str(bench.work / "devices" / str(i)),
            }
            for i in range(args.devices)
        ]
        ctx = multiprocessing.get_context("spawn")
        pipes, procs = [], []
        for start in range(0, len(specs), args.fleet_per_process):
            here, there = ctx.Pipe()
            chunk = specs[start : start + args.fleet_per_process]
            proc = ctx.Process(target=worker, args=(bench.url, chunk, there, len(procs)), daemon=True)
            proc.start()
            pipes.append(here)
            procs.append(proc)
        enrolled = sum(p.recv()[1] for p in pipes)
        bench.log(f"{enrolled} devices enrolled; the power goes off")
        os.killpg(bench.hub.pid, signal.SIGKILL)  # a power cut: nothing shut down cleanly
        bench.hub.wait(20)
        # The power comes back: every device starts at once, the hub too (cold: nothing cached).
        t0 = time.time()
        for p in pipes:
            p.send(("go", t0))
        bench.start_hub(seed=False)
        hub_up = time.time() - t0
        peak = _PeakMemory(bench.hub.pid)
        peak.start()
        booted: list[dict] = []
        now = time.time() + 1  # one moment for both sides' digests (postings expire)
        for p in pipes:
            p.send(("finish", now))
            booted += p.recv()[1]
        peak.stop.set()
        peak.join()
        for proc in procs:
            proc.join(30)
        expected = bench.expected_digests([b["device_id"] for b in booted], now)
        ready = [b["ready_at"] - t0 for b in booted]
        return {
            "devices": args.devices,
            "postings": args.postings,
            "hub_workers": args.hub_workers,
            "database": "postgresql" if args.database != "sqlite" else "sqlite",
            "hub_up_s": round(hub_up, 2),
            "snapshot_p50_s": round(percentile(ready, 50) or -1, 2),
            "snapshot_p95_s": round(percentile(ready, 95) or -1, 2),
            "all_converged_s": round(max(ready), 2),
            "devices_converged": sum(1 for b in booted if b["digest"] == expected[b["device_id"]]),
            "device_retries": sum(b["failures"] for b in booted),
            "server_errors": sum(b["server_errors"] for b in booted),
            "hub_peak_rss_mb": round(peak.peak, 1),
        }
    finally:
        bench.close()
