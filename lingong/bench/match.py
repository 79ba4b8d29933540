"""`lingong bench match`: one worker's top 20 from N cached postings, against the naive SQL baseline.

Both run in this process over the same device store (a seeded hub's documents, all N of them kept,
the station filter
narrowing them as the kiosk's index does when it is built), for the same workers, interleaved so neither gets a warmer
cache. The index is what the kiosk uses; the baseline is the same ranking as one SQL statement."""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from .stats import ms

PAY_CHOICES = (("day", 20000), ("day", 30000), ("hour", 2500), ("month", 500000), (None, None))


def workers(reference, posting_ids: list[int], count: int, seed: int = 11):
    """Workers as kiosks see them: an age, none to three wanted trades, maybe a pay floor and
    applications already made."""
    from kiosk.matching import Worker

    rng = random.Random(seed)
    trade_ids = sorted(reference.trades)
    category_of = reference.category_of
    for _ in range(count):
        trades = frozenset(rng.sample(trade_ids, rng.choice((0, 1, 1, 2, 3))))
        unit, fen = rng.choice(PAY_CHOICES)
        yield Worker(
            age=rng.randint(18, 64),
            trades=trades,
            categories=frozenset(category_of[t] for t in trades),
            pay_unit=unit,
            pay_min_fen=fen,
            settlement=rng.choice((None, "daily")),
            applied=frozenset(rng.sample(posting_ids, rng.randint(0, 4))),
        )


def bench_match(args: argparse.Namespace) -> dict:
    from kiosk.data import KioskData
    from lingong.bench.baseline import naive_sql_match
    from lingong.demodata import device_store

    with tempfile.TemporaryDirectory(prefix="lingong-bench-match-") as folder:
        started = time.perf_counter()
        store = device_store(Path(folder) / "device.db", postings=args.postings, all_stations=True)
        prepared_s = time.perf_counter() - started
        data = KioskData(store)
        started = time.perf_counter()
        data.refresh()
        index_build_s = time.perf_counter() - started
        station = data.reference.station
        where = dict(station_id=station["id"], station_lat=station["lat"], station_lon=station["lon"])
        posting_ids = store.posting_ids()
        conn = sqlite3.connect(store.path)
        cached = conn.execute("SELECT COUNT(*) FROM postings").fetchone()[0]
        now, today = data.clock(), data.today()
        fast, slow, agree, compared = [], [], 0, 0
        for n, worker in enumerate(workers(data.reference, posting_ids, args.queries)):
            t0 = time.perf_counter()
            found = data.index.match(worker, now, 20)
            fast.append(time.perf_counter() - t0)
            if n < args.baseline_queries:
                t0 = time.perf_counter()
                baseline = naive_sql_match(conn, worker, today=today, now=now, limit=20, **where)
                slow.append(time.perf_counter() - t0)
                compared += 1
                agree += baseline == [m.posting["id"] for m in found]
        conn.close()
    match_p95, baseline_p95 = ms(fast, 95), ms(slow, 95)
    return {
        "bench": "match",
        "postings_seeded": args.postings,
        "postings_cached": cached,
        "postings_live": len(posting_ids),
        "postings_shown_here": data.index.size,
        "queries": len(fast),
        "match_p50_ms": ms(fast, 50),
        "match_p95_ms": match_p95,
        "match_max_ms": ms(fast, 100),
        "baseline_queries": len(slow),
        "baseline_p50_ms": ms(slow, 50),
        "baseline_p95_ms": baseline_p95,
        "speedup_p95": round(baseline_p95 / match_p95, 1) if match_p95 else None,
        "same_top20_as_baseline": f"{agree}/{compared}",
        "index_build_s": round(index_build_s, 2),
        "store_prepare_s": round(prepared_s, 1),
    }


def add_parser(b) -> None:
    s = b.add_parser("match", help="the kiosk's matching engine against one naive SQL statement")
    s.add_argument("--postings", type=int, default=50000)
    s.add_argument("--queries", type=int, default=500, help="workers matched by the index")
    s.add_argument("--baseline-queries", type=int, default=40, help="of them, how many also by the SQL baseline")
    s.add_argument("--json", action="store_true", help="(the result is always one JSON line)")
