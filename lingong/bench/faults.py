"""`lingong bench faults`: a hub and N device processes talking through a fault proxy, while devices
are killed outright (mid-write, mid-sync), the hub is restarted or killed, the network refuses,
hangs or cuts responses halfway, and some devices' clocks are wrong. Then everything heals, and
the result says whether any event was lost or doubled and how long the devices took to agree
with the hub."""

from __future__ import annotations

import argparse
import datetime as dt
import heapq
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from floor import logs

from .faultproxy import CUT, HANG, PASS, REFUSE, FaultProxy
from .stats import CpuShares, process_tree
from .sync import Bench, _posting

# Which fault next, and how likely (a kill is the commonest: kiosks lose power all the time).
FAULTS = (("kill", 0.35), ("hub_restart", 0.10), ("hub_kill", 0.08), (REFUSE, 0.16), (HANG, 0.16), (CUT, 0.15))
# In production's shape (several hub processes, PostgreSQL) two more: one hub process SIGKILLed
# while the others serve (uvicorn starts another), and the database stopped and started again.
WORKER_KILL = ("worker_kill", 0.08)
DATABASE_RESTART = ("database_restart", 0.06)


class Fleet:
    """The device processes: started, killed, restarted, told to go quiet."""

    def __init__(self) -> None:
        self.killed = 0
        self.killed_with_events_queued = 0  # power cut while the outbox held events
        self.homes: list[Path] = []
        self.kinds: list[str] = []
        self.skews: list[float] = []
        self.procs: list[subprocess.Popen | None] = []

    def add(self, home: Path, kind: str, skew: float) -> None:
        self.homes.append(home)
        self.kinds.append(kind)
        self.skews.append(skew)
        self.procs.append(None)

    def start(self, i: int) -> None:
        log = open(self.homes[i] / "device.log", "ab")
        self.procs[i] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lingong.bench.faultdevice",
                str(self.homes[i]),
                self.kinds[i],
                str(self.skews[i]),
                str(1000 + i + 7919 * sum(1 for p in self.procs if p is not None)),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> list[int]:
        return [i for i, p in enumerate(self.procs) if p is not None and p.poll() is None]

    def queued(self, i: int) -> int:
        """Events in the device's outbox right now (read beside the running device)."""
        import sqlite3

        try:
            with sqlite3.connect(f"file:{self.homes[i] / 'device.db'}?mode=ro", uri=True, timeout=1) as conn:
                return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        except sqlite3.Error:
            return 0

    def kill(self, i: int) -> None:
        self.killed += 1
        self.killed_with_events_queued += self.queued(i) > 0
        self.procs[i].send_signal(signal.SIGKILL)
        self.procs[i].wait()

    def quiet(self) -> None:
        for home in self.homes:
            (home / "quiet").touch()

    def stop(self) -> None:
        for home in self.homes:
            (home / "stop").touch()
        for p in self.procs:
            if p is not None:
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()


def _publisher(bench: Bench, stop: threading.Event, counts: Counter) -> None:
    """Staff keep publishing, editing and closing postings throughout (straight to the hub; a
    call that finds the hub down is simply not made)."""
    import datetime as dt

    trades = bench.staff("GET", "/api/v1/trades")["trades"]
    made: list[int] = []
    while not stop.wait(0.5):
        roll = bench.rng.random()
        try:
            if roll < 0.5 or not made:
                made.append(
                    bench.staff("POST", "/api/v1/postings", json=_posting(bench.rng, trades, dt.datetime.now(dt.UTC)))[
                        "id"
                    ]
                )
            elif roll < 0.8:
                bench.staff(
                    "PATCH", f"/api/v1/postings/{bench.rng.choice(made)}", json={"headcount": bench.rng.randint(1, 30)}
                )
            else:
                bench.staff(
                    "POST",
                    f"/api/v1/postings/{made.pop(bench.rng.randrange(len(made)))}/status",
                    json={"status": "closed"},
                )
            counts["changes"] += 1
        except Exception:  # the hub is being restarted
            counts["refused"] += 1


def _restart_hub(bench: Bench, kill: bool) -> None:
    os.killpg(bench.hub.pid, signal.SIGKILL if kill else signal.SIGTERM)
    bench.hub.wait(30)
    time.sleep(bench.rng.uniform(1, 4) * bench.args.pace)
    bench.start_hub(seed=False)


def _kill_a_worker(bench: Bench, rng: random.Random) -> bool:
    from .stats import process_tree

    workers = [pid for pid in process_tree(bench.hub.pid) if pid != bench.hub.pid]
    if not workers:
        return False
    os.kill(rng.choice(workers), signal.SIGKILL)
    return True


def _restart_database(cluster: str, rng: random.Random, pace: float) -> None:
    """Debian's cluster (`15/main`), stopped at once (connections cut) and started after a while."""
    version, name = cluster.split("/", 1)
    subprocess.run(["pg_ctlcluster", version, name, "stop", "-m", "fast"], check=True, capture_output=True)
    time.sleep(rng.uniform(2, 6) * pace)
    subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, capture_output=True)


def _open_fair(bench: Bench, minutes: float) -> None:
    """A fair on in every hall for the whole run, so that fair numbers are given under faults (the
    demo's fair keeps daytime hours: a run at night would only see them refused as out of hours)."""
    now = dt.datetime.now(dt.UTC)
    booths = [{"number": str(n), "employer_id": n, "jobs": "普工、保洁", "places": 500} for n in (1, 2, 3)]
    body = {
        "title": "故障测试招聘会",
        "hall": "零工市场一楼大厅",
        "opens_at": (now - dt.timedelta(minutes=5)).isoformat(),
        "closes_at": (now + dt.timedelta(minutes=minutes + 60)).isoformat(),
        "booths": booths,
    }
    bench.staff("POST", "/api/v1/fairs", json=body)


def bench_faults(args: argparse.Namespace) -> dict:
    logs.setup("WARNING")
    args.database = args.database or "sqlite"
    faults = list(FAULTS)
    if args.hub_workers > 1:
        faults.append(WORKER_KILL)
    if args.pg_cluster:
        if args.database == "sqlite":
            raise SystemExit("--pg-cluster is for a hub on PostgreSQL (--database postgresql+psycopg://…)")
        faults.append(DATABASE_RESTART)
    bench = Bench(args)
    rng = random.Random(args.seed)
    proxy = fleet = None
    publishing, published = threading.Event(), Counter()
    injected: Counter = Counter()
    try:
        bench.start_hub()
        _open_fair(bench, args.minutes)
        proxy = FaultProxy(bench.port)
        from sync.enroll import enroll

        stations = len(bench.staff("GET", "/api/v1/stations"))
        fleet = Fleet()
        for i in range(args.devices):
            kind = "kiosk" if i % 5 < 3 else "display"
            home = bench.work / "devices" / str(i)
            enroll(proxy.url, bench.new_device(kind, 1 + i % stations), home)
            skew = rng.choice((-1, 1)) * rng.uniform(300, 7200) if rng.random() < 0.1 else 0.0
            fleet.add(home, kind, skew)
        for i in range(args.devices):
            fleet.start(i)
        bench.log(f"{args.devices} devices started ({sum(1 for s in fleet.skews if s)} with a wrong clock)")
        time.sleep(5)
        publisher = threading.Thread(target=_publisher, args=(bench, publishing, published), daemon=True)
        publisher.start()

        restarts: list[tuple[float, int]] = []  # (when, device) for devices whose power comes back
        end = time.monotonic() + args.minutes * 60
        pace = args.pace
        next_fault = time.monotonic() + rng.uniform(2, 6) * pace
        while time.monotonic() < end:
            while restarts and restarts[0][0] <= time.monotonic():
                _, i = heapq.heappop(restarts)
                fleet.start(i)
            if time.monotonic() < next_fault:
                time.sleep(0.1)
                continue
            fault = rng.choices([f for f, _ in faults], [w for _, w in faults])[0]
            injected[fault] += 1
            if fault == "worker_kill":
                _kill_a_worker(bench, rng)
            elif fault == "database_restart":
                _restart_database(args.pg_cluster, rng, pace)
            elif fault == "kill":
                alive = fleet.alive()
                for i in rng.sample(alive, min(len(alive), rng.randint(1, 3))):
                    fleet.kill(i)
                    heapq.heappush(restarts, (time.monotonic() + rng.uniform(1, 6) * pace, i))
            elif fault in ("hub_restart", "hub_kill"):
                _restart_hub(bench, kill=fault == "hub_kill")
            else:
                proxy.set_mode(fault)
                window = rng.uniform(3, 12) * pace
                time.sleep(window / 2)
                # Power cuts while offline, when outboxes are filling: the hardest moment to die.
                alive = fleet.alive()
                for i in rng.sample(alive, min(len(alive), rng.randint(0, 2))):
                    fleet.kill(i)
                    heapq.heappush(restarts, (time.monotonic() + window / 2 + rng.uniform(0, 4) * pace, i))
                time.sleep(window / 2)
                proxy.set_mode(PASS)
            next_fault = time.monotonic() + rng.uniform(2, 8) * pace

        # The last storm, so that healing starts from the worst: connections hanging, the hub
        # killed, devices dead, for ten seconds while the rest keep queueing events.
        proxy.set_mode(HANG)
        os.killpg(bench.hub.pid, signal.SIGKILL)
        bench.hub.wait(30)
        time.sleep(5 * pace)
        alive = fleet.alive()
        for i in rng.sample(alive, min(len(alive), 3)):
            fleet.kill(i)
            heapq.heappush(restarts, (0.0, i))
        time.sleep(5 * pace)

        # The devices' stores, opened for the wait before its clock starts (opening fifty took the
        # first second and more of it, in which the heal went unwatched).
        from sync.store import DeviceStore

        stores = [DeviceStore.in_home(home) for home in fleet.homes]

        try:
            # Heal, all at once: the hub up, the network back, every device powered. From then on
            # no new events and no new postings, and the clock runs until every device agrees.
            publishing.set()
            fleet.quiet()
            healed_at, shares = time.monotonic(), CpuShares({"postgres": "database"})
            bench.start_hub(seed=False)
            hub_up_s = round(time.monotonic() - healed_at, 2)  # (part of heal_s: the devices wait for it)
            proxy.set_mode(PASS)
            for _, i in restarts:
                fleet.start(i)
            publisher.join(30)
            bench.log(f"healed after {dict(injected)}; waiting for the devices to agree with the hub")
            heal = _wait_for_convergence(bench, fleet, stores, healed_at, args.heal_timeout, shares)
        finally:
            for store in stores:
                store.close()
        stuck = _diagnose(bench, fleet) if heal.heal_s is None else []
        restarted = {i for _, i in restarts}
        fleet.stop()
        sent = [u for home in fleet.homes for u in (home / "sent.log").read_text().split() if u]
        at_hub = bench.hub_event_uids()
        return {
            "devices": args.devices,
            "minutes": args.minutes,
            "pace": args.pace,
            "seed": args.seed,
            "hub_workers": args.hub_workers,
            "database": "postgresql" if args.database != "sqlite" else "sqlite",
            "events_sent": len(sent),
            "events_lost": sum(1 for u in sent if u not in at_hub),
            "events_duplicated": sum(n - 1 for n in at_hub.values() if n > 1),
            "events_by_kind": bench.hub_event_kinds(),  # (a full course's sign-up is taken in, rejected)
            "devices_converged": heal.converged,
            "heal_s": heal.heal_s,
            "hub_up_s": hub_up_s,
            # When each device came to agree with the hub (checked once the last event was in)
            "heal_p50_s": round(statistics.median(heal.agreed_at), 2) if heal.agreed_at else None,
            "heal_last_s": sorted(heal.agreed_at)[-5:],
            # When the last outbox emptied: the rest of heal_s is the devices taking in what the
            # backlog changed (their stations' figures) and the check that they agree.
            "heal_drained_s": max(heal.drained.values()) if len(heal.drained) == len(stores) else None,
            # The last five outboxes to empty: [seconds, device, whether it was powered again at
            # the heal] (a device that starts then has its start to make before it sends).
            "heal_last_drained": [
                [t, i, i in restarted] for i, t in sorted(heal.drained.items(), key=lambda it: it[1])[-5:]
            ],
            # [seconds after the heal, events still queued on the devices, devices agreeing, devices
            # still holding events, the machine's busy share and the CPU seconds of the hub, the
            # devices, the database and the bench since the entry before], each second or so: where
            # the heal's time went (the hub starting, the backlog and whether the cores were its
            # limit, the last few).
            "heal_queue": heal.queue,
            "faults": dict(injected),
            "devices_killed": fleet.killed,
            "killed_with_events_queued": fleet.killed_with_events_queued,
            "responses_cut": proxy.cut_responses,
            "devices_with_wrong_clock": sum(1 for s in fleet.skews if s),
            "posting_changes": published["changes"],
            "staff_calls_refused_during_faults": published["refused"],
            # Devices that never agreed, and the hub's database sessions then (their stacks are in
            # the work folder's logs: run with --keep)
            "stuck": stuck,
        }
    finally:
        publishing.set()
        if fleet is not None:
            fleet.stop()
        if proxy is not None:
            proxy.close()
        bench.close()


def _diagnose(bench: Bench, fleet: Fleet) -> list[dict]:
    """Where a run that did not heal is stuck: the devices still holding events are asked for their
    threads' stacks (SIGUSR1: into their device.log), so are the hub's processes (hub.log), and a
    PostgreSQL hub's busy sessions are listed — what waits on what."""
    from sqlalchemy import text

    from hub.db import Database

    alive = set(fleet.alive())
    stuck: list[dict] = [
        {"device": i, "alive": i in alive, "queued": n} for i in range(len(fleet.homes)) if (n := fleet.queued(i))
    ]
    for row in stuck:
        if row["alive"]:
            os.kill(fleet.procs[row["device"]].pid, signal.SIGUSR1)
    if bench.hub is not None and bench.hub.poll() is None:
        os.killpg(bench.hub.pid, signal.SIGUSR1)
    db = Database(bench.settings.db_url, pool_size=1)
    try:
        if db.dialect == "postgresql":
            with db.engine.connect() as conn:
                rows = conn.execute(
                    text(
                        "SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS held, left(query, 160)"
                        " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                        " AND state <> 'idle'"
                    )
                ).all()
            stuck += [{"pg": [r[0], r[1], r[2], r[3], str(r[4]), r[5]]} for r in rows]
    finally:
        db.dispose()
    time.sleep(1.0)  # (the stacks written before the processes are stopped)
    return stuck


@dataclass
class Heal:
    """What the wait for convergence saw, in seconds after the heal."""

    converged: int = 0
    heal_s: float | None = None
    agreed_at: list[float] = field(default_factory=list)  # when each device first agreed
    queue: list[list] = field(default_factory=list)  # see "heal_queue" in the report
    drained: dict[int, float] = field(default_factory=dict)  # device index: its outbox first seen empty


def _wait_for_convergence(
    bench: Bench, fleet: Fleet, stores: list, since: float, timeout: float, shares: CpuShares
) -> Heal:
    """Polls every device's store (outbox empty, digest equal to the hub's) until all agree."""
    ids = [s.enrollment().device_id for s in stores]
    heal = Heal()
    first: dict[int, float] = {}  # device id: when it first agreed
    said = 0.0  # (every 5 s, where the waiting stands: the heal's time, explained)
    queue = heal.queue

    def sample(at: float, queued: int, agreed: int, holding: int) -> None:
        """An entry of the heal's queue, with where the cores went since the one before (the first:
        since the heal) — whether the cores were the limit, and who had them."""
        if queue and at - queue[-1][0] < 1:
            return
        groups = dict.fromkeys(process_tree(bench.hub.pid), "hub")
        groups.update((proc.pid, "devices") for proc in fleet.procs if proc is not None)
        groups[os.getpid()] = "bench"
        queue.append([at, queued, agreed, holding, *shares.read(groups)])

    while time.monotonic() - since < timeout:
        now = time.time() + 60  # a moment ahead: nothing expires between the two digests
        waiting = {d: s.outbox.count() for s, d in zip(stores, ids) if d not in first}
        queued = sum(waiting.values())
        at = round(time.monotonic() - since, 2)
        for i, d in enumerate(ids):
            if i not in heal.drained and not waiting.get(d):
                heal.drained[i] = at
        if queued:
            # The hub is still taking events in, and each application moves its station's
            # figures, which every device there must then hold: none can be said to agree
            # yet. So no digests until the last event is in — they cost CPU the healing hub
            # needs, and a device that agreed before its station's last application would have
            # been counted too soon.
            sample(at, queued, 0, sum(1 for n in waiting.values() if n))
            if at - said >= 5:
                said = at
                print(f"  {at:.0f} s: {queued} events still queued on the devices", file=sys.stderr)
            time.sleep(0.25)
            continue
        try:
            agreeing = _agreeing(bench, [(s, d) for s, d in zip(stores, ids) if d not in first], now)
        except Exception as exc:  # the hub's database is busy: ask again
            print(f"  the hub's digests could not be read: {type(exc).__name__}", file=sys.stderr)
            time.sleep(0.5)
            continue
        at = round(time.monotonic() - since, 2)  # (once read: they agreed by then)
        first.update((d, at) for d in agreeing)
        agreed = len(first)  # (every event is in: a device that agreed still does)
        sample(at, 0, agreed, 0)  # (past the queued branch: none queued)
        if agreed == len(stores):
            heal.converged, heal.heal_s, heal.agreed_at = agreed, at, list(first.values())
            return heal
        if at - said >= 5:
            said = at
            print(f"  {at:.0f} s: {agreed} of {len(stores)} agree", file=sys.stderr)
        time.sleep(0.25)
    # Not healed in time, perhaps with events still queued: those whose outbox emptied may agree
    # all the same, and the report says how many (one stuck outbox must not hide the rest).
    empty = [(s, d) for s, d in zip(stores, ids) if d not in first and s.outbox.count() == 0]
    at = round(time.monotonic() - since, 2)
    try:
        first.update((d, at) for d in _agreeing(bench, empty, time.time() + 60))
    except Exception as exc:  # (the hub's database down: the report counts those known)
        print(f"  the hub's digests could not be read: {type(exc).__name__}", file=sys.stderr)
    heal.converged, heal.agreed_at = len(first), list(first.values())
    return heal


def _agreeing(bench: Bench, stores: list, now: float) -> list[int]:
    """The ids of the devices (store, id) whose store's digest is the hub's."""
    expected = bench.expected_digests([d for _, d in stores], now) if stores else {}
    return [d for s, d in stores if s.digest(now) == expected[d]]


def add_parser(b) -> None:
    s = b.add_parser("faults", help="devices killed, hub restarted, network cut and clocks skewed: nothing lost?")
    s.add_argument("--devices", type=int, default=50)
    s.add_argument("--minutes", type=float, default=5)
    s.add_argument("--postings", type=int, default=300)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--heal-timeout", type=float, default=180)
    s.add_argument(
        "--pace",
        type=float,
        default=1.0,
        help="the gaps between faults, their lengths and the last storm's, times this (0.5: twice "
        "as many faults a minute, each half as long, for a short run; the README's runs use 1)",
    )
    s.add_argument("--database", default="sqlite", help="sqlite, or a postgresql+psycopg:// URL")
    s.add_argument("--hub-workers", type=int, default=1, help="hub processes (2 or more: one is SIGKILLed at times)")
    s.add_argument(
        "--pg-cluster",
        help="Debian's PostgreSQL cluster the hub's database lives in (15/main): stopped and started at times",
    )
    s.add_argument("--keep", action="store_true", help="keep the work folder (logs of every device)")
    s.add_argument("--json", action="store_true", help="(the result is always one JSON line)")
