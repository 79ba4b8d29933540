"""Alembic migrations, run programmatically: the hub upgrades its database before serving."""

from __future__ import annotations

import fcntl
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x6C6D6967


def config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, lock_dir: Path | None = None) -> None:
    """Brings the schema to the newest revision (a no-op when it is there already).

    Several hub processes start at once behind a load balancer: one migrates, the others wait
    (a PostgreSQL advisory lock, or a lock file beside an SQLite database)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            try:
                conn.commit()
                if not is_current(engine):
                    command.upgrade(config(engine), "head")
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
                conn.commit()
        return
    lock_path = (lock_dir or Path(engine.url.database or ".").parent) / "hub.migrate.lock"
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not is_current(engine):
                command.upgrade(config(engine), "head")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
