"""Database pool use for /metrics: connections checked out now, from the pool's own events."""

from __future__ import annotations

import os

from prometheus_client import multiprocess
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .instruments import DB_CONNECTIONS_IN_USE, DB_POOL_CAPACITY


def watch(engine: Engine) -> None:
    """Counts this engine's checkouts and checkins (a pool's own status() is one process's and
    text; the events add up across workers)."""
    size = getattr(engine.pool, "size", None)
    if callable(size):
        DB_POOL_CAPACITY.inc(size())

    @event.listens_for(engine, "checkout")
    def _out(*_args) -> None:
        DB_CONNECTIONS_IN_USE.inc()

    @event.listens_for(engine, "checkin")
    def _in(*_args) -> None:
        DB_CONNECTIONS_IN_USE.dec()


def unwatch(engine: Engine) -> None:
    """The pool is gone (the app stopped): its capacity no longer counts, nor, with several
    workers, this process's live gauges (a worker that is restarted starts its own)."""
    size = getattr(engine.pool, "size", None)
    if callable(size):
        DB_POOL_CAPACITY.dec(size())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(os.getpid())
