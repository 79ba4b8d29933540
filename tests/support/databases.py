"""Databases for hub tests: an SQLite file, or a fresh database on the PostgreSQL server `make test`
starts; and seeded hubs, copied from a template each test process seeds once."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from floor import timezone
from hub import admin
from hub.settings import Settings
from tests.support.console import ADMIN_PASSWORD

PG_ENV = "LINGONG_TEST_PG_URL"


def pg_server_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.fail(f"{PG_ENV} is not set: run the suite with `make test`, which starts PostgreSQL")
    return url


def _database_url(name: str) -> str:
    return pg_server_url().rsplit("/", 1)[0] + "/" + name


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own for one test, dropped afterwards."""
    server = pg_server_url()
    name = f"lingong_t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {server.split('@')[-1]} is not reachable: {exc.orig}")
    try:
        yield _database_url(name)
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


# ---- seeded hubs, copied from a template ---------------------------------------------------------
# Seeding runs every migration and writes the demo data: most of a hub test's setup, and the same
# every time. Each test process seeds once per (database kind, postings, seed) and each test gets a
# copy: a file copy for SQLite, CREATE DATABASE … TEMPLATE for PostgreSQL, and the hub's keys.
TEMPLATE_FRESH_S = 300  # the demo data is relative to now (windows of hours and days): remade after this


@dataclass
class _Template:
    made: float
    folder: Path  # holds the template's home folder, "hub", and for SQLite its database file
    url: str
    token: str | None  # an API token of the administrator "admin", when the template has one


_templates: dict[tuple[str, int, int, bool], _Template] = {}


def _kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgres"


def _admin_engine() -> sa.Engine:
    return sa.create_engine(pg_server_url(), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _make_template(kind: str, postings: int, seed_value: int, with_admin: bool) -> _Template:
    folder = Path(tempfile.mkdtemp(prefix="lingong-template-"))
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'hub.db'}"
    else:
        name = f"lingong_tpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        with _admin_engine().connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = _database_url(name)
    settings = Settings(home=folder / "hub", database_url=url)
    admin.seed_hub(settings, postings, seed_value)
    token = None
    if with_admin:
        admin.create_user(settings, "admin", "admin", ADMIN_PASSWORD, [])
        token = admin.api_token(settings, "admin")
    return _Template(time.time(), folder, url, token)


def _drop_template(template: _Template) -> None:
    if _kind(template.url) == "postgres":
        name = sa.engine.make_url(template.url).database
        with _admin_engine().connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(template.folder, ignore_errors=True)


@atexit.register
def _drop_templates() -> None:
    for template in _templates.values():
        try:
            _drop_template(template)
        except sa.exc.DBAPIError:
            pass  # the server went first: `make test` stops it, and its databases with it


def _day(at: float) -> dt.date:
    return dt.datetime.fromtimestamp(at, timezone.local()).date()


def _template(kind: str, postings: int, seed_value: int, with_admin: bool) -> _Template:
    key = (kind, postings, seed_value, with_admin)
    template = _templates.get(key)
    # Also remade when the hub's day turned since (midnight in Beijing is 16:00 UTC): seeding
    # starts each station's figures of the day, dated.
    if template is not None and (
        time.time() - template.made > TEMPLATE_FRESH_S or _day(template.made) != _day(time.time())
    ):
        _drop_template(_templates.pop(key))
        template = None
    if template is None:
        template = _templates[key] = _make_template(kind, postings, seed_value, with_admin)
    return template


def _fresh(settings: Settings) -> bool:
    """A new home folder and a database with nothing in it yet."""
    if settings.home.exists() and any(settings.home.iterdir()):
        return False
    url = settings.db_url
    if _kind(url) == "sqlite":
        path = Path(sa.engine.make_url(url).database)
        return not path.exists() or path.stat().st_size == 0
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return not conn.exec_driver_sql("SELECT 1 FROM pg_tables WHERE schemaname = 'public' LIMIT 1").first()
    finally:
        engine.dispose()


def seed(settings: Settings, postings: int, seed_value: int = 7, with_admin: bool = False) -> str | None:
    """What `admin.seed_hub(settings, postings, seed_value)` makes (and with `with_admin`, the
    administrator "admin" and an API token, returned): for a new hub, a copy of a template; for
    one that has a home or data already, seeded for real (which adds postings)."""
    url = settings.db_url
    if not _fresh(settings):
        admin.seed_hub(settings, postings, seed_value)
        if not with_admin:
            return None
        admin.create_user(settings, "admin", "admin", ADMIN_PASSWORD, [])
        return admin.api_token(settings, "admin")
    template = _template(_kind(url), postings, seed_value, with_admin)
    shutil.copytree(template.folder / "hub", settings.home, dirs_exist_ok=True)
    target = sa.engine.make_url(url).database
    if _kind(url) == "sqlite":
        shutil.copyfile(sa.engine.make_url(template.url).database, target)
    else:
        source = sa.engine.make_url(template.url).database
        with _admin_engine().connect() as conn:  # (the empty database `database` made gives way)
            conn.exec_driver_sql(f'DROP DATABASE "{target}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return template.token
