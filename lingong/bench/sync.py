"""`lingong bench sync`: a hub and N simulated devices on loopback; propagation, bootstrap, events."""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from floor import logs

from .hubproc import serve
from .stats import cpu_s, percentile, process_tree, rss_mb

AGENTS_PER_PROCESS = 25  # real sync agents (threads and requests) per worker process


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children."""
    total = 0.0
    for p in process_tree(pid):
        try:
            total += rss_mb(p)
        except (OSError, RuntimeError):
            pass  # a worker that ended meanwhile
    return round(total, 1)


class Bench:
    def __init__(self, args: argparse.Namespace):
        from hub.settings import Settings

        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="lingong-bench-"))
        self.rng = random.Random(11)
        url = None if args.database == "sqlite" else args.database
        self.settings = Settings(home=self.work / "hub", database_url=url, enroll_per_minute=1_000_000)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.hub: subprocess.Popen | None = None
        self.token = ""
        self.log = lambda *a: print(*a, file=sys.stderr, flush=True)

    # ---- the hub ----------------------------------------------------------------------------------
    def start_hub(self, seed: bool = True) -> None:
        """Seeds the hub (the first time) and starts its process; returns once it answers."""
        from hub import admin

        if seed:
            t0 = time.monotonic()
            admin.seed_hub(self.settings, self.args.postings, 7)
            admin.create_user(self.settings, "bench", "admin", "quiet lantern orchard 9", [])
            self.token = admin.api_token(self.settings, "bench")
            self.log(f"seeded {self.args.postings} postings in {time.monotonic() - t0:.1f} s")
        self.hub = serve(self.settings, self.port, self.work / "hub.log", self.args.hub_workers)

    def staff(self, method: str, path: str, **kw) -> dict:
        r = requests.request(
            method, self.url + path, headers={"Authorization": f"Bearer {self.token}"}, timeout=30, **kw
        )
        r.raise_for_status()
        return r.json() if r.content else {}

    def new_device(self, kind: str, station: int) -> str:
        return self.staff(
            "POST", "/api/v1/devices", json={"name": f"bench {kind}", "kind": kind, "station_id": station}
        )["enroll_code"]

    # ---- measurements ---------------------------------------------------------------------------------
    def probe_bootstrap(self) -> dict:
        """A new device's first sync, by snapshot; and the same through the feed alone, for comparison."""
        from sync.agent import SyncAgent
        from sync.enroll import enroll
        from sync.store import DeviceStore

        home = self.work / "probe"
        enroll(self.url, self.new_device("kiosk", 1), home)
        store = DeviceStore.in_home(home)
        agent = SyncAgent(store)
        time.sleep(1.0)  # the hub has finished taking in the seed
        t0 = time.monotonic()
        agent.sync_once()
        bootstrap_s = time.monotonic() - t0
        held = store.counts()["posting"]
        snapshot_bytes = agent.session.wire_in
        # The same postings through the change feed from the beginning, into a store of its own.
        from sync.errors import ResetRequired

        replay = DeviceStore(self.work / "probe-feed" / "device.db")
        replay.save_enrollment(store.enrollment(), 0)
        session = agent.session
        before, t0, cursor = session.wire_in, time.monotonic(), 0
        try:
            while True:
                cursor, batch = session.changes(cursor, 0)
                if not batch:
                    break
                replay.apply_changes(cursor, batch)
            feed_s = time.monotonic() - t0
            feed_bytes = (session.wire_in - before) / max(1, replay.counts()["posting"])
        except ResetRequired:  # the hub's window no longer reaches back to the beginning
            feed_s = feed_bytes = None
        replay.close()
        # One idle long poll: nothing new, answered 304.
        idle_before_in, idle_before_out = session.wire_in, session.wire_out
        session.changes(store.cursor, 1)
        idle = session.wire_in - idle_before_in + session.wire_out - idle_before_out
        out = {
            "bootstrap_s": round(bootstrap_s, 3),
            "snapshot_postings": held,
            "snapshot_bytes_per_posting": round(snapshot_bytes / max(1, held), 1),
            "feed_bootstrap_s": round(feed_s, 3) if feed_s is not None else None,
            "feed_bytes_per_posting": round(feed_bytes, 1) if feed_bytes is not None else None,
            "idle_poll_bytes": idle,
        }
        store.close()
        return out

    def publish(self, count: int, rate_per_s: float) -> list[tuple[float, int, object]]:
        """Publishes, updates and closes postings through the staff API; (time, id, version or 'del')."""
        trades = self.staff("GET", "/api/v1/trades")["trades"]
        made: list[int] = []
        done: list[tuple[float, int, object]] = []
        start = time.monotonic()
        for i in range(count):
            time.sleep(max(0.0, start + i / rate_per_s - time.monotonic()))
            roll = self.rng.random()
            t = time.time()
            if roll < 0.5 or not made:
                now = dt.datetime.now(dt.UTC)
                body = _posting(self.rng, trades, now)
                p = self.staff("POST", "/api/v1/postings", json=body)
                made.append(p["id"])
                done.append((t, p["id"], p["version"]))
            elif roll < 0.8:
                pid = self.rng.choice(made)
                p = self.staff("PATCH", f"/api/v1/postings/{pid}", json={"pay_max_fen": 50000 + i * 100})
                done.append((t, pid, p["version"]))
            else:
                pid = made.pop(self.rng.randrange(len(made)))
                self.staff("POST", f"/api/v1/postings/{pid}/status", json={"status": "closed"})
                done.append((t, pid, "del"))
        return done

    def expected_digests(self, device_ids: list[int], now: float) -> dict[int, str]:
        from hub.db import Database
        from hub.devices.service import get, identity
        from hub.feed.service import view_digest

        db = Database(self.settings.db_url, pool_size=1)
        out, by_view = {}, {}
        try:
            with db.read() as session:
                for device_id in device_ids:
                    view = identity(get(session, device_id)).view
                    if view.shared_key not in by_view:
                        by_view[view.shared_key] = view_digest(session, view, now)
                    out[device_id] = by_view[view.shared_key]
        finally:
            db.dispose()
        return out

    def converge(self, pipes: list, digests: dict[int, str], now: float, within_s: float = 60.0) -> tuple[int, float]:
        """How many devices hold what the hub says they should, asking again each second while
        some do not (a change the hub made on its own may be on its way), and how long after the
        devices' first answer they all did (or `within_s` passed)."""
        t0 = time.monotonic()
        while True:
            expected = self.expected_digests(list(digests), now)
            agreed = sum(1 for device, digest in digests.items() if digest == expected[device])
            if agreed == len(digests) or time.monotonic() - t0 > within_s:
                return agreed, round(time.monotonic() - t0, 2)
            time.sleep(1.0)
            for p in pipes:
                p.send(("digests", now))
            digests = {device: digest for p in pipes for device, digest in p.recv()}

    def hub_event_uids(self) -> Counter:
        from sqlalchemy import select

        from hub.db import Database
        from hub.events.models import DeviceEvent

        db = Database(self.settings.db_url, pool_size=1)
        try:
            with db.read() as session:
                return Counter(session.scalars(select(DeviceEvent.uid)))
        finally:
            db.dispose()

    def hub_event_kinds(self) -> dict[str, dict[str, int]]:
        """How many events of each kind the hub took in, by their status (applied, rejected …)."""
        from sqlalchemy import func, select

        from hub.db import Database
        from hub.events.models import DeviceEvent

        db = Database(self.settings.db_url, pool_size=1)
        try:
            with db.read() as session:
                rows = session.execute(
                    select(DeviceEvent.kind, DeviceEvent.status, func.count()).group_by(
                        DeviceEvent.kind, DeviceEvent.status
                    )
                ).all()
        finally:
            db.dispose()
        kinds: dict[str, dict[str, int]] = {}
        for kind, status, n in sorted(rows):
            kinds.setdefault(kind, {})[status] = n
        return kinds

    def close(self) -> None:
        if self.hub is not None and self.hub.poll() is None:
            os.killpg(self.hub.pid, signal.SIGTERM)
            self.hub.wait(20)
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _posting(rng: random.Random, trades: list[dict], now: dt.datetime) -> dict:
    trade = rng.choice(trades)
    return {
        "title": f"急招{trade['name']}",
        "trade_id": trade["id"],
        "employer_id": rng.randint(1, 20),
        "headcount": rng.randint(1, 20),
        "pay_min_fen": 20000,
        "pay_max_fen": 30000,
        "pay_unit": "day",
        "settlement": "daily",
        "work_start": now.date().isoformat(),
        "district": "青川区",
        "address": f"青川区滨江路{rng.randint(1, 500)}号",
        "lat": 28.23,
        "lon": 112.94,
        "contact_person": "王经理",
        "contact_phone": "13800001111",
        "urgent": True,
        "valid_from": (now - dt.timedelta(minutes=5)).isoformat(),
        "valid_to": (now + dt.timedelta(days=3)).isoformat(),
    }


def bench_sync(args: argparse.Namespace) -> dict:
    from lingong.bench.agents import worker as agent_worker
    from lingong.bench.fleet import worker as fleet_worker

    logs.setup("WARNING")
    bench = Bench(args)
    try:
        bench.start_hub()
        result: dict = {
            "devices": args.devices,
            "postings": args.postings,
            "hub_workers": args.hub_workers,
            "database": "postgresql" if args.database != "sqlite" else "sqlite",
            "light": args.light,
        }
        result.update(bench.probe_bootstrap())
        bench.log(f"probe: {result}")
        stations = len(bench.staff("GET", "/api/v1/stations"))
        kinds = ["kiosk" if i % 5 < 3 else "display" for i in range(args.devices)]
        with ThreadPoolExecutor(8) as pool:  # staff adding devices: their codes
            codes = list(pool.map(lambda i: bench.new_device(kinds[i], 1 + i % stations), range(args.devices)))
        specs = [
            {
                "code": codes[i],
                "kind": kinds[i],
                # --events 0.2: each kiosk one application in five runs, the rest none.
                "events": int(args.events) + (bench.rng.random() < args.events % 1),
                "home": str(bench.work / "devices" / str(i)),
                "light": args.light,
            }
            for i in range(args.devices)
        ]
        agents, fleet = specs[: args.agents], specs[args.agents :]
        ctx = multiprocessing.get_context("spawn")
        pipes, procs, groups = [], [], []
        t0 = time.monotonic()
        for group, target, chunk in (
            ("agent", agent_worker, AGENTS_PER_PROCESS),
            ("fleet", fleet_worker, args.fleet_per_process),
        ):
            members = agents if group == "agent" else fleet
            for start in range(0, len(members), chunk):
                here, there = ctx.Pipe()
                proc = ctx.Process(
                    target=target, args=(bench.url, members[start : start + chunk], there, len(procs)), daemon=True
                )
                proc.start()
                pipes.append(here)
                procs.append(proc)
                groups.append(group)
        boots = [b for p in pipes for b in p.recv()[1]]
        bench.log(
            f"{len(boots)} devices ({len(agents)} real agents) enrolled and bootstrapped "
            f"in {time.monotonic() - t0:.1f} s"
        )
        time.sleep(2.0)  # every agent is now waiting in its long poll
        duration = args.publishes / args.rate
        hub_cpu, went = cpu_s(bench.hub.pid), time.time()
        for p in pipes:
            p.send(("go", duration))
        published = bench.publish(args.publishes, args.rate)
        now = time.time() + 1
        time.sleep(3.0)
        for p in pipes:
            p.send(("finish", now))
        hub_cpu = cpu_s(bench.hub.pid) - hub_cpu
        answers = [p.recv() for p in pipes]
        devices = [{**d, "group": g} for a, g in zip(answers, groups) for d in a[1]]
        device_cpu = sum(a[2] for a in answers)
        converged, converged_after_s = bench.converge(pipes, {d["device_id"]: d["digest"] for d in devices}, now)
        for p in pipes:
            p.send(("stop", None))
        for proc in procs:
            proc.join(30)
        hub_rss = _rss_mb(bench.hub.pid)
        when = {(pid, ver): t for t, pid, ver in published}
        latencies, agent_latencies, others = [], [], 0
        for d in devices:
            for t, kind, pid, op, ver in d["received"]:
                key = (pid, "del" if op == "del" else ver)
                if kind == "posting" and key in when:
                    latencies.append((t - when[key]) * 1000)
                    if d["group"] == "agent":
                        agent_latencies.append(latencies[-1])
                elif t >= went:  # another document written to a device meanwhile (a station's figures)
                    others += 1
        sent = [u for d in devices for u in d["created"]]
        at_hub = bench.hub_event_uids()
        result.update(
            {
                "fleet_bootstrap_p50_s": round(statistics.median(boots), 3),
                "fleet_bootstrap_max_s": round(max(boots), 3),
                "changes_published": len(published),
                "deliveries": len(latencies),
                "other_deliveries": others,
                "propagation_p50_ms": round(percentile(latencies, 50) or -1, 1),
                "propagation_p95_ms": round(percentile(latencies, 95) or -1, 1),
                "propagation_max_ms": round(max(latencies, default=-1), 1),
                "agents": len(agents),
                "agent_propagation_p50_ms": round(percentile(agent_latencies, 50) or -1, 1),
                "agent_propagation_p95_ms": round(percentile(agent_latencies, 95) or -1, 1),
                "events_sent": len(sent),
                "events_lost": sum(1 for u in sent if u not in at_hub),
                "events_duplicated": sum(n - 1 for n in at_hub.values() if n > 1),
                "devices_converged": converged,
                "converged_after_s": converged_after_s,
                "hub_rss_mb": hub_rss,
                # Per document written to a device: a posting's or, with applications coming in,
                # a station's figures (the same socket write, made once for all who see it).
                "hub_cpu_ms_per_delivery": round(1000 * hub_cpu / max(1, len(latencies) + others), 3),
                "device_cpu_ms_per_delivery": round(1000 * device_cpu / max(1, len(latencies) + others), 3),
            }
        )
        return result
    finally:
        bench.close()
