"""A PostgreSQL hub database dumped with pg_dump (one snapshot, the hub keeps serving) and restored
with pg_restore. The password travels in the environment, never on a command line others can see."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .errors import BackupError, RestoreRefused


def _libpq_env(url: str) -> dict[str, str]:
    u = make_url(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for key, value in (
        ("PGHOST", u.host),
        ("PGPORT", u.port),
        ("PGUSER", u.username),
        ("PGPASSWORD", u.password),
        ("PGDATABASE", u.database),
    ):
        if value is not None:
            env[key] = str(value)
    for key, value in u.query.items():  # e.g. ?sslmode=require, ?host=/run/postgresql
        name = {"sslmode": "PGSSLMODE", "host": "PGHOST", "sslrootcert": "PGSSLROOTCERT"}.get(key)
        if name and isinstance(value, str):
            env[name] = value
    return env


def _tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client)")
    return path


def _run(args: list[str], url: str) -> None:
    done = subprocess.run(args, env=_libpq_env(url), capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-800:]}")


def dump(url: str, out: Path) -> dict[str, str]:
    """The custom format: compressed, and pg_restore can take it into a database of another name.
    Returns the versions of the server and of pg_dump (pg_restore must be as new as pg_dump)."""
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={out}"], url)
    tool = subprocess.run([_tool("pg_dump"), "--version"], capture_output=True, text=True).stdout.strip()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            server = conn.execute(sa.text("SHOW server_version")).scalar()
    finally:
        engine.dispose()
    return {"server_version": str(server), "pg_dump_version": tool}


def load(dumped: Path, url: str) -> None:
    """Into an empty database (created by the DBA), in one transaction: all of it or nothing."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = conn.execute(
                sa.text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
            ).scalar()
    except sa.exc.OperationalError as exc:
        raise RestoreRefused(f"cannot reach the database: {str(exc.orig).strip()}") from None
    finally:
        engine.dispose()
    if tables:
        raise RestoreRefused("the database is not empty: restore into a new, empty database")
    _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={make_url(url).database}",
            str(dumped),
        ],
        url,
    )
