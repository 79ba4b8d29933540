"""Alembic migrations, run programmatically: the hub upgrades its database before serving."""

from __future__ import annotations

import fcntl
import io
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from .errors import HubError

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK_KEY = 0x6C6D6967


def newest_file() -> str:
    """The newest revision by its file's name (versions/NNNN_what.py holds revision "NNNN"; a test
    checks that Alembic finds the same head): a hub starting on a current database — nearly every
    start — knows so without importing Alembic (a fifth of a second and more of each start)."""
    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _at_newest(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == newest_file()
    except DBAPIError:  # (no table yet: a new database)
        return False


def config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, lock_dir: Path | None = None) -> None:
    """Brings the schema to the newest revision (a no-op when it is there already).

    Several hub processes start at once behind a load balancer: one migrates, the others wait
    (a PostgreSQL advisory lock, or a lock file beside an SQLite database)."""
    if _at_newest(engine):
        return
    from alembic import command

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


class SchemaBehind(HubError):
    """The database is not at this version's schema and the hub was told not to migrate it."""

    status = 503

    def __init__(self, message: str):
        super().__init__(message, code="schema.behind")


# The first revision `--sql` can start from: 0006 reads rows as it goes (devices' settings), which
# Alembic's offline mode cannot do.
OFFLINE_FROM = 6


def at_start(engine: Engine, lock_dir: Path | None, migrate_on_start: bool) -> None:
    """Migrates, or (LINGONG_MIGRATE_ON_START=false: a DBA runs `lingong migrate`) only checks."""
    if migrate_on_start:
        upgrade(engine, lock_dir)
    elif not (_at_newest(engine) or is_current(engine)):
        raise SchemaBehind(
            f"the database schema is at {revision(engine) or 'nothing'}, this version needs {head()}: "
            "run `lingong migrate` (or apply `lingong migrate --sql`), then start the hub again"
        )


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def revisions() -> set[str]:
    """Every schema revision this version knows (an archive's may be newer)."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def sql(engine: Engine) -> str:
    """The SQL that would bring this database to the head, for a DBA to read and run (Alembic's
    offline mode; it also moves alembic_version). Empty when the schema is current."""
    current = revision(engine)
    if current == head():
        return ""
    if current is None or int(current) < OFFLINE_FROM:
        raise SchemaBehind(
            f"the database is at {current or 'nothing'}: the migrations up to {OFFLINE_FROM:04d} read its rows "
            "as they go and have no SQL to print; run `lingong migrate` for them"
        )
    from alembic import command

    buffer = io.StringIO()
    cfg = config(engine)
    cfg.output_buffer = buffer
    cfg.attributes["url"] = engine.url
    command.upgrade(cfg, f"{current}:head" if current else "head", sql=True)
    return buffer.getvalue()


def is_current(engine: Engine) -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
