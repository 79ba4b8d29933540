"""SQLite engines as both the hub and devices use them: WAL, our own BEGIN, writers locking up front."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, event


def engine(url: str, *, synchronous: str = "FULL", pool_size: int = 10) -> Engine:
    """An engine whose write transactions (execution option write=True) BEGIN IMMEDIATE.

    Upgrading a read transaction to a write one later can fail with SQLITE_BUSY instead of
    waiting for the lock; taking it up front also keeps commit order equal to begin order."""
    # hide_parameters: an error's text must never quote the values a statement carried (names, phones).
    eng = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=pool_size,
        max_overflow=20,
        hide_parameters=True,
    )

    @event.listens_for(eng, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # pysqlite must not issue BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(eng, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return eng
