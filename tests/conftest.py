"""Fixtures shared by the whole suite."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

import pytest

from lingong.demodata import CACHE_ENV
from tests.support.databases import database
from tests.support.hub import LiveHub


def pytest_configure(config) -> None:
    """One folder of demo device stores for the whole run (set before the test processes start,
    which inherit it, as do the offscreen kiosks and walls they start): each store is made once
    and copied, where every offscreen app seeded a hub of its own first."""
    if not hasattr(config, "workerinput") and CACHE_ENV not in os.environ:
        os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="lingong-demo-stores-")
        config.add_cleanup(lambda: shutil.rmtree(os.environ.pop(CACHE_ENV), ignore_errors=True))


def pytest_collection_modifyitems(config, items) -> None:
    """Files marked slow first (the long jobs first, as a scheduler would put them): make test's processes
    are handed files in this order (`--dist loadfile --no-loadscope-reorder`), and a long file handed
    out last would run alone at the end while the others had finished. The sort is stable, so every
    test process collects the same order, as xdist requires."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _logging_as_it_was():
    """Logging as it was before each test: a command run in-process (`cli.main`) configures logging
    for the process, with a handler on the test's captured stderr that is closed after it, and the
    next test of that process to log hit the closed file (Kivy, imported then, logs through its own
    stderr and recursed: tests/unit/test_watchdog.py after test_upgrades.py)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    disabled = [(lg, lg.disabled) for lg in loggers]
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for lg, was in disabled:
        lg.disabled = was


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
