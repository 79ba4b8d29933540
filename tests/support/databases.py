"""Databases for hub tests: an SQLite file, or a fresh database on the PostgreSQL server `make test` starts."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

PG_ENV = "LINGONG_TEST_PG_URL"


def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set: run the suite with `make test`, which starts PostgreSQL")
    return url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own for one test, dropped afterwards."""
    server = pg_server_url()
    name = f"lingong_t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {server.split('@')[-1]} is not reachable: {exc.orig}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        for attempt in range(5):
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except sa.exc.DBAPIError:
                if attempt == 4:
                    raise
                time.sleep(0.5)
        admin.dispose()


@contextmanager
def database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'hub.db'}"
    else:
        with postgres_database() as url:
            yield url
