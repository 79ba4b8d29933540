"""What the hub's event intake asks of the database finds its rows by an index (SQLite's plans).

A statement that scans a table costs more as the market grows: one such (an application's
posting read with its stations, which SQLite planned as a scan of every posting's stations)
made each application cost 22 ms at 30,000 postings where it cost 4, and no test of a small
seed could see it in a timing. A plan can be seen at any size.
"""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import event as sa_event

from tests.integration.test_events import application, event, open_ids, post

_SKIPPED = ("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def _statements(hub, send) -> list[tuple[str, tuple]]:
    """Every statement the hub ran while `send()` ran, with its parameters (one row's, if many)."""
    seen: list[tuple[str, tuple]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_SKIPPED):
            seen.append((statement, tuple(parameters[0] if executemany else parameters)))

    engine = hub.app.state.db.engine
    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        send()
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)
    return seen


def _scans(db_file: str, statements: list[tuple[str, tuple]]) -> list[str]:
    """The plan lines that read a whole table or index, with the statement that has them."""
    found = []
    with sqlite3.connect(f"file:{db_file}?mode=ro", uri=True) as db:
        for statement, parameters in statements:
            for *_ids, detail in db.execute("EXPLAIN QUERY PLAN " + statement, parameters):
                if detail.startswith("SCAN ") and not detail.startswith("SCAN CONSTANT ROW"):
                    found.append(f"{detail}  <-  {' '.join(statement.split())[:300]}")
    return found


def test_a_kiosks_and_a_walls_events_read_by_index_only(sqlite_app_hub):
    hub = sqlite_app_hub
    kiosk_id, kiosk = hub.device()
    _, wall = hub.device(kind="display")
    first, second = open_ids(hub, 2)
    registration = event(
        3,
        "registration",
        {
            "intention": {"trades": [1], "availability": ["today"]},
            "person": hub.seal(
                {"id_number": "11010519491231002X", "name": "", "phone": "13812345678", "consent": True},
                kiosk_id,
                "registration",
                3,
            ),
        },
    )
    now = time.time()
    play = event(1, "play", {"from": now - 60, "to": now, "shown": [[first, 2, 24.0], [second, 1, 12.0]]})

    batch = [application(hub, kiosk_id, 1, posting=first), application(hub, kiosk_id, 2, posting=second), registration]

    def send():
        assert [r["status"] for r in post(hub, kiosk, batch).json()["results"]] == ["applied"] * 3
        # the same events again: what a device resending after a lost answer costs
        assert [r["status"] for r in post(hub, kiosk, batch).json()["results"]] == ["duplicate"] * 3
        assert post(hub, wall, [play]).json()["results"][0]["status"] == "applied"

    statements = _statements(hub, send)
    assert len(statements) > 10, "the listener saw too little of the intake to judge it"
    db_file = hub.settings.database_url.removeprefix("sqlite:///")
    scans = _scans(db_file, statements)
    assert scans == [], "\n".join(scans)
