"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from tests.support.databases import database
from tests.support.hub import LiveHub


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The hub suite runs once against SQLite and once against the real PostgreSQL server."""
    with database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    with database("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
def pg_url(tmp_path):
    with database("postgres", tmp_path) as url:
        yield url


@pytest.fixture
def live_hub(tmp_path, db_url):
    """A real hub process with a little demo data, on SQLite and on PostgreSQL."""
    hub = LiveHub(tmp_path / "hub", db_url)
    hub.seed(postings=40)
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def sqlite_hub(tmp_path, sqlite_url):
    hub = LiveHub(tmp_path / "hub", sqlite_url)
    hub.seed(postings=40)
    hub.start()
    yield hub
    hub.stop()
