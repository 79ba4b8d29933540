"""`lingong bench market`: how long the market's figures take over a whole city's data.

A fresh hub database (SQLite in a temporary folder, or `--database`) is seeded with M postings
published over the last 90 days, N registered workers (registrations over the last 60 days, one
to three wanted trades each) and a placement for one posting in twenty. Then the pay guide
(hub.market.pay_guide) and the shortage list (hub.market.shortage) are each computed `--runs`
times from the database, as the public endpoints compute them when their inputs changed.
岗位找人 (hub.outreach.service.on_published) is then timed for `--find-runs` new postings, each
over the N registered workers (who also name districts, a least pay and times, and a station):
the ranking and the call list written, as publishing does it; the workers' index is built once
beforehand (its time reported apart) and reused while no registration changes it; then as many
again, each after one more registration (the index topped up with it, as a hub between publishes)."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import tempfile
import time
from pathlib import Path

from .stats import ms


def add_parser(sub) -> None:
    p = sub.add_parser("market", help="the pay guide and shortage list over N workers and M postings")
    p.add_argument("--workers", type=int, default=200_000)
    p.add_argument("--postings", type=int, default=50_000)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--find-runs", type=int, default=40, help="new postings to find people for (岗位找人)")
    p.add_argument("--database", default="", help="a database URL (default: SQLite in a temporary folder)")
    p.add_argument("--json", action="store_true", help="(the result is always one JSON line)")


def _spread_postings(session, rng: random.Random, now: dt.datetime) -> None:
    """Postings published over the last 90 days, not all today."""
    from sqlalchemy import bindparam, select, update

    from hub.postings.models import Posting

    ids = list(session.scalars(select(Posting.id)))
    rows = []
    for pid in ids:
        start = now - dt.timedelta(days=rng.uniform(0, 89), hours=1)
        rows.append({"b_id": pid, "b_from": start, "b_to": start + dt.timedelta(days=rng.randint(3, 30))})
    session.connection().execute(
        update(Posting)
        .where(Posting.id == bindparam("b_id"))
        .values(valid_from=bindparam("b_from"), valid_to=bindparam("b_to")),
        rows,
    )


def _workers(session, rng: random.Random, now: dt.datetime, count: int, trade_ids: list[int]) -> None:
    from sqlalchemy import insert, select

    from hub.postings.models import Posting
    from hub.stations.models import Station
    from hub.workers.models import Worker

    stations = list(session.scalars(select(Station.id)))
    districts = sorted(set(session.scalars(select(Posting.district).distinct())))
    when = ["today", "week", "weekends", "long_term"]
    batch = []
    for _ in range(count):
        at = now - dt.timedelta(days=rng.uniform(0, 60))
        intention: dict = {"trades": rng.sample(trade_ids, rng.randint(1, 3))}
        if rng.random() < 0.5:  # (what else a registration asks, so 岗位找人 filters as it would)
            intention["districts"] = rng.sample(districts, min(len(districts), rng.randint(1, 2)))
        if rng.random() < 0.6:
            intention.update(pay_unit="day", pay_min_fen=rng.choice([15000, 20000, 25000, 30000]))
        if rng.random() < 0.7:
            intention["availability"] = rng.sample(when, rng.randint(1, 2))
        batch.append(
            {
                "id_hash": secrets.token_hex(32),
                "id_masked": "",
                "intention": intention,
                "registered_station_id": rng.choice(stations),
                "registered_at": at,
                "created_at": at,
                "updated_at": at,
            }
        )
        if len(batch) == 10_000:
            session.execute(insert(Worker), batch)
            batch.clear()
    if batch:
        session.execute(insert(Worker), batch)


def _placements(session, rng: random.Random, now: dt.datetime) -> int:
    from sqlalchemy import func, insert, select

    from hub.applications.models import Application, ApplicationStatus
    from hub.postings.models import Posting
    from hub.workers.models import Worker

    posting_ids = list(session.scalars(select(Posting.id)))
    first_worker = session.scalar(select(func.min(Worker.id)))
    chosen = rng.sample(posting_ids, len(posting_ids) // 20)
    session.execute(
        insert(Application),
        [
            {
                "code": f"B{i:09d}",
                "posting_id": pid,
                "worker_id": first_worker + i,
                "status": ApplicationStatus.HIRED,
                "hired_at": now,
                "applied_at": now,
                "received_at": now,
                "updated_at": now,
            }
            for i, pid in enumerate(chosen)
        ],
    )
    return len(chosen)


def _timed(work, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return times, result


def _find_people(db, runs: int, rng: random.Random) -> tuple[float, list[float], list[int], list[float]]:
    """岗位找人 for `runs` open postings, each as if just published: the index's first build, then each
    posting's ranking and call list (its own transaction, as publishing is); then as many again,
    each after a worker registered (again) since the last (the index topped up, not rebuilt)."""
    from sqlalchemy import func, select

    from hub.outreach import service as outreach
    from hub.postings.models import Posting, PostingStatus
    from hub.workers.models import Worker

    today = dt.date.today()
    with db.read() as session:
        open_ids = list(session.scalars(select(Posting.id).where(Posting.status == PostingStatus.OPEN)))
        chosen = rng.sample(open_ids, min(len(open_ids), 2 * runs))
        first, last = session.execute(select(func.min(Worker.id), func.max(Worker.id))).one()
        started = time.perf_counter()
        outreach.index(session)
        built_s = time.perf_counter() - started

    def publish(pid: int) -> float:
        started = time.perf_counter()
        with db.write() as session:
            kept.append(outreach.on_published(session, session.get(Posting, pid), today))
        return time.perf_counter() - started

    kept: list[int] = []
    times = [publish(pid) for pid in chosen[:runs]]
    after: list[float] = []
    for pid in chosen[runs:]:
        with db.write() as session:  # someone registers again at a kiosk (their wishes changed)
            worker = session.get(Worker, rng.randint(first, last))
            worker.intention = {**worker.intention, "availability": ["today"]}
            worker.updated_at = dt.datetime.now(dt.UTC)
        after.append(publish(pid))
    return built_s, times, kept, after


def bench_market(args: argparse.Namespace) -> dict:
    from sqlalchemy import select

    from hub.db import Database
    from hub.market import pay_guide, shortage
    from hub.migrate import upgrade
    from hub.seed.generate import seed
    from hub.trades.models import Trade

    rng = random.Random(19)
    with tempfile.TemporaryDirectory(prefix="lingong-bench-market-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'hub.db'}"
        db = Database(url, pool_size=2)
        try:
            upgrade(db.engine, Path(folder))
            now = dt.datetime.now(dt.UTC)
            started = time.perf_counter()
            with db.write() as session:
                seed(session, postings=args.postings, seed=19)
            with db.write() as session:
                _spread_postings(session, rng, now)
                trade_ids = list(session.scalars(select(Trade.id)))
                _workers(session, rng, now, args.workers, trade_ids)
            with db.write() as session:
                placed = _placements(session, rng, now)
            prepared_s = time.perf_counter() - started
            with db.read() as session:
                guide_s, rates = _timed(lambda: pay_guide.market_rates(session, now), args.runs)
                shortage_s, short = _timed(lambda: shortage.shortages(session, now), args.runs)
            index_s, find_s, kept, after_s = _find_people(db, args.find_runs, rng)
        finally:
            db.dispose()
    return {
        "bench": "market",
        "database": db.engine.dialect.name,
        "workers": args.workers,
        "postings": args.postings,
        "placements": placed,
        "runs": args.runs,
        "pay_guide_p50_ms": ms(guide_s, 50),
        "pay_guide_max_ms": ms(guide_s, 100),
        "pay_guide_rates": len(rates),
        "shortage_p50_ms": ms(shortage_s, 50),
        "shortage_max_ms": ms(shortage_s, 100),
        "shortage_trades": len(short),
        "both_max_s": round(max(guide_s) + max(shortage_s), 3),
        "find_people_runs": len(find_s),
        "find_people_p50_ms": ms(find_s, 50),
        "find_people_p95_ms": ms(find_s, 95),
        "find_people_max_ms": ms(find_s, 100),
        "find_people_called_mean": round(sum(kept) / len(kept), 1) if kept else 0,
        "find_people_index_build_s": round(index_s, 2),
        "find_people_after_registration_p95_ms": ms(after_s, 95),
        "find_people_after_registration_max_ms": ms(after_s, 100),
        "prepare_s": round(prepared_s, 1),
    }
