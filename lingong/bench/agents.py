"""Benchmark devices that are the real thing: `SyncAgent`s with their threads and `requests`, a few per process."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from cardreader.fictional import person
from floor import logs


@dataclass
class Simulated:
    kind: str
    events: int
    store: object
    agent: object
    bootstrap_s: float
    received: list = field(default_factory=list)
    created: list = field(default_factory=list)


def _apply_for_jobs(sims: list[Simulated], postings: dict[int, list[int]], duration: float, rng: random.Random) -> None:
    """Each kiosk's workers apply at random moments of the run, through the real outbox."""
    plan = sorted(
        (rng.uniform(0, duration), i) for i, s in enumerate(sims) if s.kind == "kiosk" for _ in range(s.events)
    )
    start = time.monotonic()
    for at, i in plan:
        time.sleep(max(0.0, start + at - time.monotonic()))
        sim, who = sims[i], person(rng)
        with sim.store.user_action() as action:
            action.emit(
                "application",
                {"posting": rng.choice(postings[i])},
                person={"id_number": who.id_number, "name": who.name, "phone": who.phone, "consent": True},
            )
        sim.created.extend(action.uids)


def worker(hub_url: str, specs: list[dict], control: Connection, seed: int) -> None:
    """Runs in its own process: ready → go(duration) → finish(now) → results."""
    from sync.agent import SyncAgent
    from sync.enroll import enroll
    from sync.store import DeviceStore

    logs.setup("WARNING")
    rng = random.Random(seed)
    sims: list[Simulated] = []
    for spec in specs:
        home = Path(spec["home"])
        enroll(hub_url, spec["code"], home)
        store = DeviceStore.in_home(home)
        received: list = []

        def on_change(changes, received=received):
            now = time.time()
            received.extend((now, c["k"], c["id"], c["op"], c["d"].get("ver")) for c in changes)

        agent = SyncAgent(store, longpoll_s=25, heartbeat_s=600, on_change=on_change)
        t0 = time.monotonic()
        agent.sync_once()
        sims.append(Simulated(spec["kind"], spec["events"], store, agent, time.monotonic() - t0, received))
        agent.start()
    postings = {i: s.store.posting_ids() for i, s in enumerate(sims) if s.events}
    control.send(("ready", [s.bootstrap_s for s in sims]))
    command, duration = control.recv()
    assert command == "go"
    cpu_at_go = time.process_time()
    applying = threading.Thread(target=_apply_for_jobs, args=(sims, postings, duration, rng), daemon=True)
    applying.start()
    command, now = control.recv()
    assert command == "finish"
    applying.join()
    cpu_s = time.process_time() - cpu_at_go
    deadline = time.monotonic() + 120
    while any(s.store.outbox.count() for s in sims) and time.monotonic() < deadline:
        time.sleep(0.2)
    results = [
        {
            "device_id": s.store.enrollment().device_id,
            "kind": s.kind,
            "bootstrap_s": s.bootstrap_s,
            "received": s.received,
            "created": s.created,
            "outbox": s.store.outbox.count(),
            "digest": s.store.digest(now),
            "wire_in": s.agent.session.wire_in,
            "wire_out": s.agent.session.wire_out,
        }
        for s in sims
    ]
    control.send(("results", results, cpu_s))
    while control.recv()[0] == "digests":  # (see lingong/bench/fleet.py)
        control.send([(s.store.enrollment().device_id, s.store.digest(now)) for s in sims])
    for s in sims:
        s.agent.stop(timeout=0.5)
        s.store.close()
