"""Serving the hub: migrate and make keys once, then one or several uvicorn worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn

from floor import logs

from . import migrate, ready
from .db import Database
from .keys import load_or_create
from .settings import Settings


def prepare(settings: Settings) -> None:
    """Schema and keys exist before any worker starts (workers would otherwise race for them)."""
    db = Database(settings.db_url, pool_size=1)
    try:
        migrate.at_start(db.engine, settings.home, settings.migrate_on_start)
        database = db.engine.url.database if db.dialect == "sqlite" else None
    finally:
        db.dispose()
    load_or_create(settings.home)
    if database:  # made before the umask (by an older version, or a tool): the database and its WAL
        path = Path(database)
        for file in (path, *path.parent.glob(path.name + "-*")):
            if file.is_file():
                file.chmod(0o600)


def private_files() -> None:
    """Everything the hub creates (its database, WAL, keys, logs) is readable by its own user only."""
    os.umask(0o077)


def metrics_shared(folder: Path) -> None:
    """Several workers: each writes its counters to files in `folder` (prometheus-client's
    multiprocess mode, chosen before any worker imports it) and /metrics, whichever worker answers,
    adds them up. Emptied at each start: the previous run's processes are gone."""
    folder.mkdir(mode=0o700, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)


def serve(settings: Settings, *, host: str, port: int, workers: int = 1, access_log: bool = False) -> None:
    private_files()
    prepare(settings)
    # Worker processes rebuild their settings from the environment: pin what was resolved here.
    os.environ["LINGONG_HOME"] = str(settings.home)
    os.environ["LINGONG_DATABASE_URL"] = settings.db_url
    if workers > 1:
        metrics_shared(settings.home / "metrics")
    ready.announce_when_serving(host, port)  # Type=notify under systemd (deploy/lingong-hub.service)
    uvicorn.run(
        "hub.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=logs.config(settings.log_level, settings.log_format),
        access_log=access_log,
        timeout_keep_alive=75,  # devices keep their connection between long polls
        timeout_graceful_shutdown=2,  # long polls in flight are cut; devices simply poll again
        server_header=False,
        date_header=False,  # every long poll answers with as few bytes as it can
        # Forwarded headers are the app's business: it believes only LINGONG_TRUSTED_PROXIES
        # (uvicorn would otherwise believe anything arriving from 127.0.0.1).
        proxy_headers=False,
    )
