"""Demo data on a device without a hub: a seeded hub's live documents put into a device store, as a
snapshot would put them (for screenshots and benchmarks)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from floor import timezone
from sync.store import DeviceStore, Enrollment
from wire import sealed

# A folder where stores once made are kept and copied (the tests set it for their run: each offscreen
# kiosk or wall process otherwise seeded a hub of its own first, two seconds of CPU each). A copy is
# remade after FRESH_S or when the day turns: the demo's postings are dated from now.
CACHE_ENV = "LINGONG_DEMO_STORE_CACHE"
FRESH_S = 300


def device_store(
    path: Path,
    *,
    postings: int = 600,
    kind: str = "kiosk",
    station_id: int = 1,
    seed: int = 7,
    config: dict | None = None,
    all_stations: bool = False,
) -> DeviceStore:
    """A device store holding what a device at `station_id` would hold after its first sync
    (with `all_stations`, also the postings meant for other stations: benchmarks want all N)."""
    made = {"postings": postings, "kind": kind, "station_id": station_id, "seed": seed}
    made |= {"config": config or {}, "all_stations": all_stations}
    cache = os.environ.get(CACHE_ENV)
    if not cache:
        return _made(Path(path), **made)
    day = dt.datetime.now(timezone.local()).date().isoformat()  # (the hub's day, as seeding dates figures)
    key = json.dumps({**made, "day": day}, sort_keys=True, ensure_ascii=False)
    kept = Path(cache) / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.db"
    if not kept.exists() or time.time() - kept.stat().st_mtime > FRESH_S:
        Path(cache).mkdir(parents=True, exist_ok=True)
        building = kept.with_suffix(f".{os.getpid()}.building")  # (this process's own, until replaced)
        _made(building, **made).close()
        with closing(sqlite3.connect(building)) as conn:  # the whole database in its one file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        os.replace(building, kept)  # whole or not at all, for another process copying it meanwhile
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(kept, path)
    return DeviceStore(Path(path))


def _made(
    path: Path, *, postings: int, kind: str, station_id: int, seed: int, config: dict, all_stations: bool
) -> DeviceStore:
    from hub import admin
    from hub.db import Database
    from hub.feed.service import head, live_documents
    from hub.market import publish as market
    from hub.settings import Settings

    with tempfile.TemporaryDirectory(prefix="lingong-demo-hub-") as folder:
        settings = Settings(home=Path(folder))
        admin.seed_hub(settings, postings, seed)
        db = Database(settings.db_url, pool_size=1)
        try:
            with db.write() as session:  # as a hub does when it starts
                market.publish_if_changed(session)
            with db.read() as session:
                cursor, rows = head(session), live_documents(session)
        finally:
            db.dispose()
    store = DeviceStore(path)
    key = sealed.public_key_text(sealed.generate_private_key())  # nobody will open what is sealed here
    store.save_enrollment(Enrollment("http://127.0.0.1:8470", 1, "demo", kind, station_id, key), 0)
    docs = [(kind_, json.loads(doc)) for kind_, _id, doc, scope in rows if kind_ != "device"]
    visible = [
        (k, d)
        for k, d in docs
        if all_stations or k != "posting" or d.get("stations") is None or station_id in d["stations"]
    ]
    device = {"id": 1, "name": "演示设备", "kind": kind, "station": station_id, "config": config}
    store.replace_all(cursor, [*visible, ("device", device)])
    return store


def slot_docs(
    posting_id: int, start: float, count: int = 4, minutes: int = 20, place: str = "青川区零工市场 远程面试室"
) -> list[dict]:
    """Feed changes offering `count` interview slots for a posting, as the hub would send them."""
    length = minutes * 60
    return [
        {
            "k": "slot",
            "id": 900 + i,
            "op": "put",
            "d": {
                "id": 900 + i,
                "posting": posting_id,
                "booth": 5,
                "station": 1,
                "place": place,
                "start": int(start) + i * length,
                "end": int(start) + (i + 1) * length,
                "to": int(start) + i * length,
            },
        }
        for i in range(count)
    ]
