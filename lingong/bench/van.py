"""`lingong bench van`: a recruiting van (招工大篷车) — a kiosk and a wall on one machine — offline for days, then back.

Both devices enroll at the van's station and take their first sync as it leaves; then nothing
reaches the hub for `--days` simulated days on the devices' own clock (real time minus the days,
moving forward to now), while `--actions` worker actions are queued at the kiosk spread over them
(three in four applications, the rest registrations and 举报); the wall turns a page at each
action and books its showings at most every five minutes of its clock (display.proof.PlayLog): about
one play record per action. Meanwhile, on the hub, staff close or fill some of the van's postings; others
run out on their own while the van is away. Each simulated day the kiosk and the wall must list
nothing that ran out by their clock and must say their list may be out of date. Then the van is
back: the devices' clock is the real one again, the real sync agents start, and the bench waits
until both outboxes are empty and both stores hold what the hub says they should.

Reported: how many events were queued, delivered, lost and doubled; how many applications reached
the hub after their posting ended and were recorded for the station (`closed_recorded`, of
`closed_expected`); the outbox's and the store's bytes per queued event; the time to queue one
action (the mean, and with about a thousand already queued); the time to deliver and converge."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DAY = 86400
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周强", "吴芳"]


def add_parser(sub) -> None:
    p = sub.add_parser("van", help="a kiosk and a wall offline for days with actions queued, then back")
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--actions", type=int, default=1000)
    p.add_argument("--postings", type=int, default=40, help="the van's own postings")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", action="store_true", help="(the result is always one JSON line)")


class SimClock:
    """The devices' clock: set by the bench while offline, the real one once the van is back."""

    def __init__(self, now: float):
        self.now: float | None = now

    def __call__(self) -> float:
        return time.time() if self.now is None else self.now


@dataclass
class HubHandle:
    url: str
    database_url: str
    staff: Callable[..., dict]  # (method, path, json=…) → the answer, as a staff member with a token


def id_number(i: int) -> str:
    from floor import idnumber

    born = dt.date(1965, 1, 1) + dt.timedelta(days=i % 12000)
    first17 = f"110105{born:%Y%m%d}{i % 1000:03d}"
    return first17 + idnumber.check_char(first17)


def _postings(hub: HubHandle, rng: random.Random, count: int, station: int, left: float, days: int) -> dict:
    """The van's postings: a third run out on the way (by the clock), a fifth are closed and a tenth
    filled by staff while it is away (done after the devices' first sync), the rest stay open."""
    made: dict[int, dict] = {}
    for i in range(count):
        runs_out = i % 3 == 2
        ends = left + rng.uniform(0.3, days - 0.3) * DAY if runs_out else time.time() + 7 * DAY
        body = {
            "title": f"大篷车招工{i}",
            "trade_id": rng.randint(1, 5),
            "employer_id": rng.randint(1, 5),
            "headcount": 50,
            "pay_min_fen": 20000,
            "pay_max_fen": 30000,
            "pay_unit": "day",
            "settlement": "daily",
            "work_start": dt.date.today().isoformat(),
            "district": "青川区",
            "address": f"青川区滨江路{i + 1}号",
            "lat": 28.23,
            "lon": 112.94,
            "contact_person": "王经理",
            "contact_phone": "13800001111",
            "station_ids": [station],
            "valid_from": dt.datetime.fromtimestamp(left - 3600, dt.UTC).isoformat(),
            "valid_to": dt.datetime.fromtimestamp(ends, dt.UTC).isoformat(),
        }
        pid = hub.staff("POST", "/api/v1/postings", json=body)["id"]
        fate = "runs_out" if runs_out else ("closed" if i % 5 == 0 else "full" if i % 10 == 1 else "open")
        made[pid] = {"to": ends, "fate": fate}
    return made


def _store_bytes(store) -> int:
    """The store file's size once its write-ahead log is folded in (the log is reset each checkpoint)."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in store.path.parent.glob(store.path.name + "*"))


def _outbox_payload(store) -> int:
    """The bytes the outbox's rows carry (number, identity, kind, time and sealed body)."""
    with store.engine.connect() as conn:
        sql = "SELECT coalesce(sum(length(body) + length(uid) + length(kind) + 16), 0) FROM outbox"
        return conn.exec_driver_sql(sql).scalar()


def _digest_on_hub(db, device_id: int) -> str:
    from hub.devices.service import get, identity
    from hub.feed.service import view_digest

    with db.read() as session:
        return view_digest(session, identity(get(session, device_id)).view, time.time())


def run(hub: HubHandle, work: Path, *, days: int, actions: int, postings: int = 40, station: int = 1, seed: int = 1):
    """The scenario, against a running hub; returns the figures and what the checks saw."""
    from sqlalchemy import select

    from cardreader.sim import resident
    from display.content import WallData
    from display.proof import PlayLog
    from hub.applications.models import Application
    from hub.db import Database
    from hub.events.models import DeviceEvent
    from kiosk.data import KioskData
    from kiosk.flow import Flow
    from sync.agent import SyncAgent
    from sync.enroll import enroll
    from sync.store import DeviceStore
    from wire.protocol import POSTING_ENDED

    rng = random.Random(seed)
    left = time.time() - days * DAY  # when the van left, by the devices' clock
    clock = SimClock(left)
    van = _postings(hub, rng, postings, station, left, days)
    homes = {kind: work / kind for kind in ("kiosk", "display")}
    stores, agents = {}, {}
    for kind, home in homes.items():
        code = hub.staff("POST", "/api/v1/devices", json={"name": f"van {kind}", "kind": kind, "station_id": station})
        enroll(hub.url, code["enroll_code"], home, warn=lambda _m: None)
        stores[kind] = DeviceStore.in_home(home, clock=clock)
        agents[kind] = SyncAgent(stores[kind], longpoll_s=2)
        agents[kind].sync_once()  # the first sync, as the van leaves
    for pid, p in van.items():  # staff, while the van is away: the devices hear nothing
        if p["fate"] in ("closed", "full"):
            hub.staff("POST", f"/api/v1/postings/{pid}/status", json={"status": p["fate"]})
    kiosk, wall_store = stores["kiosk"], stores["display"]
    data, wall = KioskData(kiosk, clock=clock), WallData(wall_store, clock=clock)
    data.refresh()
    flow = Flow(data, linked=True)
    plays = PlayLog(wall_store, clock=clock)
    before = {kind: _store_bytes(store) for kind, store in stores.items()}
    held = kiosk.counts()["posting"]

    listed_expired = stale_missing = 0
    queue_ms: list[float] = []
    applicant = {}  # application event number → the worker's card
    day_seen = -1
    step = (days * DAY - 1200) / max(actions, 1)
    for i in range(actions):
        clock.now = left + 600 + (i + 0.5) * step
        day = int((clock.now - left) // DAY)
        live = [pid for pid in van if data.posting(pid) is not None]  # what the kiosk lists now
        listed_expired += sum(1 for pid in live if van[pid]["to"] <= clock.now)
        if day != day_seen:  # once a simulated day: the wall turns its pages and both screens are read
            day_seen = day
            wall.refresh()
            on_wall = wall.live_ids(clock.now) & set(van)
            listed_expired += sum(1 for pid in on_wall if van[pid]["to"] <= clock.now)
            stale_missing += (not flow.stale_note()) + (wall.out_of_step() is None)
        shown = sorted(wall.live_ids(clock.now))  # the wall turns a page (6 cards) per step, and books
        page = shown[(i * 6) % max(len(shown), 1) :][:6]  # its showings every FLUSH_EVERY_S, as it does
        plays.showing(page)
        who = resident(id_number(i), NAMES[i % len(NAMES)])
        roll = rng.random()
        t0 = time.perf_counter()
        if roll < 0.75 and live:
            code = data.apply(who, rng.choice(live), f"139{i:08d}", consent=True)
            applicant[int(code.rsplit("-", 1)[1])] = who
        elif roll < 0.9 or not live:
            data.register(who, {"trades": [rng.randint(1, 5)]}, f"139{i:08d}", consent=True, contact=True)
        else:
            data.report(who, rng.choice(live), "fees")
        queue_ms.append((time.perf_counter() - t0) * 1000)
    clock.now = left + days * DAY - 300
    plays.flush()
    queued = {kind: stores[kind].outbox.pending(limit=10**9) for kind in stores}
    grown = {kind: _store_bytes(store) - before[kind] for kind, store in stores.items()}
    outbox_bytes = _outbox_payload(kiosk)
    n_kiosk = len(queued["kiosk"])

    clock.now = None  # the van is back: the real clock, the real agents
    t0 = time.monotonic()
    for agent in agents.values():
        agent.start()
    db = Database(hub.database_url, pool_size=1)
    ids = {kind: stores[kind].enrollment().device_id for kind in stores}
    try:
        converged, deadline = False, time.monotonic() + 120
        while not converged and time.monotonic() < deadline:
            time.sleep(0.05)
            converged = all(
                stores[k].outbox.count() == 0 and stores[k].digest() == _digest_on_hub(db, ids[k]) for k in stores
            )
        deliver_s = time.monotonic() - t0
        for agent in agents.values():
            agent.stop()
        with db.read() as s:
            taken = {
                kind: {(e.n, e.status, e.reason) for e in s.scalars(select(DeviceEvent).filter_by(device_id=ids[kind]))}
                for kind in stores
            }
            apps = list(s.scalars(select(Application).filter_by(device_id=ids["kiosk"])))
    finally:
        db.dispose()
    sent = {kind: {e["n"] for e in queued[kind]} for kind in stores}
    got = {kind: {n for n, _s, _r in taken[kind]} for kind in stores}
    now = time.time()
    applied_to = {e["n"]: e["body"]["posting"] for e in queued["kiosk"] if e["kind"] == "application"}
    ended = {n for n, pid in applied_to.items() if van[pid]["fate"] in ("closed", "full") or van[pid]["to"] <= now}
    results = {n: kiosk.outbox.result(n) or {} for n in applied_to}
    told_ended = {n for n, r in results.items() if r.get("status") == "applied" and r.get("reason") == POSTING_ENDED}
    told = sum(len(data.ended_applications(applicant[n])) for n in ended)  # at each one's next card here
    store_bytes = _store_bytes(kiosk)  # after delivery: the events are kept as sent, for two weeks
    for store in stores.values():
        store.close()
    return {
        "days": days,
        "actions": actions,
        "queued": sum(len(v) for v in sent.values()),
        "queued_kiosk": n_kiosk,
        "delivered": sum(len(sent[k] & got[k]) for k in stores),
        "lost": sum(len(sent[k] - got[k]) for k in stores),
        "doubled": len(apps) - len({a.device_n for a in apps}),
        "rejected": sum(1 for k in stores for _n, status, _r in taken[k] if status == "rejected"),
        "applications": len(applied_to),
        "applications_recorded": len(apps),
        "closed_expected": len(ended),
        "closed_recorded": sum(1 for a in apps if a.posting_ended),
        "closed_told_device": len(told_ended),
        "closed_told_worker": told,
        "closed_at_station": sum(1 for a in apps if a.posting_ended and a.station_id == station),
        "listed_after_expiry": listed_expired,
        "days_without_stale_banner": stale_missing,
        "outbox_bytes": outbox_bytes,
        "outbox_bytes_per_event": round(outbox_bytes / max(n_kiosk, 1)),
        "store_bytes_at_start": before["kiosk"],
        "postings_held": held,
        "store_bytes": store_bytes,
        "store_growth_bytes_per_event": round(grown["kiosk"] / max(n_kiosk, 1)),
        "queued_wall": len(queued["display"]),
        "wall_growth_bytes_per_event": round(grown["display"] / max(len(queued["display"]), 1)),
        "queue_ms_per_action": round(statistics.fmean(queue_ms), 2) if queue_ms else 0.0,
        "queue_ms_p95": round(sorted(queue_ms)[int(len(queue_ms) * 0.95)], 2) if queue_ms else 0.0,
        "queue_ms_at_1000_queued": round(statistics.fmean(queue_ms[900:1000]), 2) if len(queue_ms) >= 1000 else None,
        "deliver_s": round(deliver_s, 2),
        "converged": converged,
    }


def bench_van(args: argparse.Namespace) -> dict:
    """Starts a hub of its own (SQLite, seeded small) and runs the scenario against it."""
    import tempfile

    from floor import logs

    from .hubproc import HubProcess

    logs.setup("WARNING")
    work = Path(tempfile.mkdtemp(prefix="lingong-van-"))
    with HubProcess(work / "hub") as hub:
        handle = HubHandle(hub.url, hub.settings.db_url, hub.staff)
        return run(handle, work, days=args.days, actions=args.actions, postings=args.postings, seed=args.seed)
