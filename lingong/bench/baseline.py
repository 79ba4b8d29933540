"""The kiosk's ranking as one naive SQL statement over the device store's postings table: the
baseline `lingong bench match` measures the engine against, and a test holds the two to the same
order. (Not used by the kiosk itself.)"""

from __future__ import annotations

import datetime as dt

from kiosk.matching import APPLIED_PENALTY, PER_DAY, SETTLE, WEIGHTS, Worker, per_day_fen


def naive_sql_match(
    conn,
    worker: Worker,
    *,
    station_id: int,
    station_lat: float,
    station_lon: float,
    today: dt.date,
    now: float,
    limit: int = 20,
) -> list[int]:
    """The same ranking as one SQL statement over the device store's postings table, with no
    index beyond the table's own: the baseline `lingong bench match` measures against."""
    trades = ",".join(str(t) for t in worker.trades) or "NULL"
    categories = ",".join(str(c) for c in worker.categories) or "NULL"
    applied = f"(id IN ({','.join(str(a) for a in worker.applied)}))" if worker.applied else "0"
    wanted = per_day_fen(worker.pay_min_fen, worker.pay_unit) if worker.pay_min_fen and worker.pay_unit else None
    units = " ".join(f"WHEN '{unit}' THEN {factor!r}" for unit, factor in PER_DAY.items())
    # Without a pay floor, pay is scored against twice the median of what this station shows.
    median = (
        "(SELECT AVG(pay_day) FROM (SELECT pay_day FROM shown ORDER BY pay_day "
        "LIMIT 2 - (SELECT COUNT(*) FROM shown) % 2 OFFSET ((SELECT COUNT(*) FROM shown) - 1) / 2))"
    )
    pay = f"MIN(1.0, pay_day / {max(wanted, 1.0)!r})" if wanted else f"MIN(1.0, pay_day / (2.0 * MAX(1.0, {median})))"
    distance = (
        "6371.0 * 2 * ASIN(SQRT(POWER(SIN(RADIANS(lat - :lat) / 2), 2) + COS(RADIANS(:lat)) * "
        "COS(RADIANS(lat)) * POWER(SIN(RADIANS(lon - :lon) / 2), 2)))"
    )
    starts = "COALESCE(JULIANDAY(start) - JULIANDAY(:today), 0)"
    trade = (
        f"CASE WHEN trade IN ({trades}) THEN 1.0 WHEN category IN ({categories}) THEN 0.5 ELSE "
        f"{'0.0' if (worker.trades or worker.categories) else '0.3'} END"
    )
    settle = worker.settlement if worker.settlement in SETTLE else "daily"
    age = (
        ""
        if worker.age is None
        else (f" AND (age_min IS NULL OR age_min <= {worker.age}) AND (age_max IS NULL OR age_max >= {worker.age})")
    )
    w = WEIGHTS
    sql = f"""
        WITH shown AS (
            SELECT *, COALESCE(pay_max, 0) * CASE COALESCE(unit, 'day') {units} ELSE 1.0 END AS pay_day
            FROM postings
            WHERE (stations IS NULL OR EXISTS (SELECT 1 FROM json_each(stations) WHERE value = :station))
              AND json_extract(doc, '$.headcount') - COALESCE(json_extract(doc, '$.filled'), 0) > 0
              AND valid_from <= :now AND valid_to > :now)
        SELECT id FROM shown
        WHERE 1 = 1 {age}
        ORDER BY ({w["trade"]!r} * {trade} + {w["distance"]!r} / (1.0 + {distance} / 3.0) + {w["pay"]!r} * {pay}
                  + {w["settle"]!r} * (COALESCE(settle, '') = '{settle}') + {w["start"]!r} * CASE WHEN {starts} <= 1
                  THEN 1.0 WHEN {starts} <= 7 THEN 0.6 ELSE 0.2 END + {w["urgent"]!r} * COALESCE(urgent, 0)
                  + {w["recent"]!r} * EXP(-MAX(0, :now - valid_from) / 259200.0)
                  - {APPLIED_PENALTY!r} * {applied}) DESC, id
        LIMIT :limit"""
    rows = conn.execute(
        sql,
        {
            "now": now,
            "station": station_id,
            "lat": station_lat,
            "lon": station_lon,
            "today": today.isoformat(),
            "limit": limit,
        },
    )
    return [r[0] for r in rows]
