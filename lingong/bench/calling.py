"""`lingong bench calling`: a fair's booth calls numbers (叫号) and every wall in the hall must show each
call — how long from the employer's tap on the booth's phone page to each wall holding the call.

A hub process (SQLite, seeded) holds a fair at station 1 with one booth. `--walls` real walls (the
real store and SyncAgent, in threads of this process) and one real kiosk enroll at the station; the
kiosk's workers take `--calls` numbers through its real outbox (sealed, exactly once). Then the
booth's own page, through its signed link with its CSRF token as a phone would, calls the next
number every `--gap` seconds. For each call and each wall, the time from just before the POST to
the moment the wall's agent stored a fair document listing that call is one sample."""

from __future__ import annotations

import datetime as dt
import random
import re
import tempfile
import time
from pathlib import Path

from .stats import percentile

HANG_S = 60.0  # how long to wait for the last wall before giving up on it (a hang, not a figure)


def add_parser(sub) -> None:
    p = sub.add_parser("calling", help="a fair's booth calls numbers; how soon every wall in the hall holds each")
    p.add_argument("--walls", type=int, default=8)
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--gap", type=float, default=1.0, help="seconds between two calls")
    p.add_argument("--json", action="store_true", help="(the result is always one JSON line)")


def bench_calling(args) -> dict:
    from .hubproc import HubProcess

    work = Path(tempfile.mkdtemp(prefix="lingong-calling-"))
    with HubProcess(work / "hub", postings=20) as hub:
        return run(hub, work, walls=args.walls, calls=args.calls, gap=args.gap)


def _device(hub, work: Path, kind: str, name: str, seen: dict | None = None):
    """An enrolled device with its real agent running; a wall notes when each call first reaches it."""
    from sync.agent import SyncAgent
    from sync.enroll import enroll
    from sync.store import DeviceStore

    home = work / name
    code = hub.staff("POST", "/api/v1/devices", json={"name": name, "kind": kind, "station_id": 1})["enroll_code"]
    enroll(hub.url, code, home, warn=lambda _m: None)
    store = DeviceStore.in_home(home)

    def on_change(changes, seen=seen):
        now = time.time()
        for change in changes:
            if seen is not None and change["k"] == "fair" and change["op"] == "put":
                for call in reversed(change["d"].get("calls") or ()):  # (oldest first: ties keep order)
                    seen.setdefault(call[0], now)

    agent = SyncAgent(store, longpoll_s=25, heartbeat_s=600, on_change=on_change)
    agent.sync_once()
    agent.start()
    return store, agent


def run(hub, work: Path, *, walls: int, calls: int, gap: float) -> dict:
    import requests

    from cardreader.fictional import person
    from wire.protocol import ticket_secret

    now = dt.datetime.now(dt.UTC)
    fair = hub.staff(
        "POST",
        "/api/v1/fairs",
        json={
            "title": "叫号测试招聘会",
            "hall": "青川区零工市场一楼大厅",
            "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
            "closes_at": (now + dt.timedelta(hours=4)).isoformat(),
            "booths": [{"number": "5", "employer_id": 1, "jobs": "普工", "places": calls}],
            "station_ids": [1],
        },
    )
    link = hub.url + fair["booths"][0]["link"]
    seen: list[dict] = [{} for _ in range(walls)]
    devices = [_device(hub, work, "display", f"wall{i}", seen[i]) for i in range(walls)]
    kiosk, kiosk_agent = _device(hub, work, "kiosk", "kiosk")
    devices.append((kiosk, kiosk_agent))
    try:
        rng = random.Random(7)
        for _ in range(calls):  # the kiosk's workers take their numbers, through the real outbox
            who = person(rng)
            with kiosk.user_action() as action:
                body = {"booth": fair["booths"][0]["id"], "secret": ticket_secret(), "cursor": kiosk.cursor}
                action.emit(
                    "fair_ticket", body, person={"id_number": who.id_number, "name": who.name, "consent": False}
                )
        deadline = time.monotonic() + HANG_S
        while kiosk.outbox.count() and time.monotonic() < deadline:  # (the agent sends them at once)
            time.sleep(0.1)
        unsent = kiosk.outbox.count()
        phone = requests.Session()
        token = re.search(r'name="csrf_token" value="([^"]+)"', phone.get(link, timeout=30).text).group(1)
        sent: dict[str, float] = {}
        for i in range(calls):
            code = f"A{i + 1:03d}"
            sent[code] = time.time()
            answer = phone.post(link + "/next", data={"csrf_token": token}, timeout=30)
            if answer.status_code != 200 or f'id="serving">{code}<' not in answer.text:
                raise SystemExit(f"calling {code}: {answer.status_code} {answer.text[:300]}")
            time.sleep(gap)
        deadline = time.monotonic() + HANG_S
        while any(len(s) < calls for s in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for _store, agent in devices:
            agent.stop()
        for store, _agent in devices:
            store.close()
    samples = [(s[code] - at) * 1000 for s in seen for code, at in sent.items() if code in s]
    return {
        "bench": "calling",
        "walls": walls,
        "calls": calls,
        "gap_s": gap,
        "numbers_sent": calls - unsent,
        "received": len(samples),
        "missing": walls * calls - len(samples),
        "call_to_wall_p50_ms": round(percentile(samples, 50), 1) if samples else None,
        "call_to_wall_p95_ms": round(percentile(samples, 95), 1) if samples else None,
        "call_to_wall_max_ms": round(max(samples), 1) if samples else None,
        "order_on_every_wall": all(sorted(s, key=s.get) == sorted(s) for s in seen),
    }
