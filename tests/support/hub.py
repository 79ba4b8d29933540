"""A real hub: `lingong hub` in its own process on a loopback port, plus a staff client for it."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from hub import admin
from hub.settings import Settings
from lingong import demodata
from tests.support import databases
from tests.support.console import ADMIN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lingong_env(home: Path, **extra: str) -> dict[str, str]:
    # (the run's PostgreSQL and its folder of demo device stores pass on: tests/conftest.py)
    kept = ("LINGONG_TEST_PG_URL", demodata.CACHE_ENV)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGONG_") or k in kept}
    # 20 frames a second for the offscreen apps (device.env): a third of the CPU of Kivy's 60.
    env.update(LINGONG_HOME=str(home), LINGONG_LOG_LEVEL="WARNING", LINGONG_MAX_FPS="20", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def lingong(
    *args: str, home: Path, check: bool = True, input: str | None = None, timeout: float = 120, **env: str
) -> subprocess.CompletedProcess:
    """Runs the real `lingong` command."""
    result = subprocess.run(
        [sys.executable, "-m", "lingong.cli", *args],
        env=lingong_env(home, **env),
        capture_output=True,
        text=True,
        input=input,
        timeout=timeout,
        cwd=ROOT,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"lingong {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


class LiveHub:
    """Starts, stops, kills and restarts a hub process; staff calls go through its real HTTP API."""

    def __init__(
        self,
        home: Path,
        database_url: str,
        port: int | None = None,
        workers: int = 1,
        log_level: str = "WARNING",
        **env: str,
    ):
        self.home = home
        self.database_url = database_url
        self.port = port or free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.settings = Settings(home=home, database_url=database_url)
        self._staff_token: str | None = None
        self.log = home / f"hub-{self.port}.log"
        self.extra_env = {"LINGONG_LOG_LEVEL": log_level, **env}

    def env(self) -> dict[str, str]:
        return lingong_env(
            self.home,
            LINGONG_DATABASE_URL=self.database_url,
            LINGONG_FEED_POLL_S="0.05",
            LINGONG_PUBLIC_URL=self.url,
            **self.extra_env,
        )

    def start(self, timeout: float = 30) -> LiveHub:
        self.home.mkdir(parents=True, exist_ok=True)
        log = open(self.log, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lingong.cli", "hub", "--port", str(self.port), "--workers", str(self.workers)],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"hub exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=10).ok:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                # A hub still starting on a loaded machine may accept and not yet answer.
                pass
            time.sleep(0.1)
        raise AssertionError(f"hub did not answer within {timeout} s:\n{self.log.read_text()[-3000:]}")

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc = None

    # ---- staff side ---------------------------------------------------------------------------
    @property
    def staff_token(self) -> str:
        if self._staff_token is None:
            admin.create_user(self.settings, "tester", "admin", ADMIN_PASSWORD, [])
            self._staff_token = admin.api_token(self.settings, "tester")
        return self._staff_token

    def call(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.staff_token}", **kw.pop("headers", {})}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kw)

    def ok(self, method: str, path: str, **kw) -> dict:
        r = self.call(method, path, **kw)
        assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else {}

    def seed(self, postings: int = 50) -> None:
        databases.seed(self.settings, postings)

    def add_device(self, kind: str = "kiosk", station_id: int = 1, **config) -> str:
        """Creates a device through the API and returns its enrollment code."""
        body = {"name": f"{kind} {time.monotonic_ns()}", "kind": kind, "station_id": station_id}
        if config:
            body["config"] = config
        return self.ok("POST", "/api/v1/devices", json=body)["enroll_code"]


def posting_body(trade_id: int = 1, employer_id: int = 1, station_ids: list[int] | None = None, **over) -> dict:
    now = dt.datetime.now(dt.UTC)
    body = dict(
        title="钢筋工",
        trade_id=trade_id,
        employer_id=employer_id,
        headcount=5,
        pay_min_fen=30000,
        pay_max_fen=40000,
        pay_unit="day",
        settlement="daily",
        work_start=now.date().isoformat(),
        district="青川区",
        address="青川区滨江路8号 锦绣花园工地",
        lat=28.23,
        lon=112.94,
        contact_person="王经理",
        contact_phone="13800001111",
        station_ids=station_ids,
        valid_from=(now - dt.timedelta(hours=1)).isoformat(),
        valid_to=(now + dt.timedelta(days=7)).isoformat(),
    )
    body.update(over)
    return body


def expected_digest(hub: LiveHub, device_id: int) -> str:
    """The digest the hub says this device's store must have once it has caught up."""
    from hub.db import Database
    from hub.devices.service import get, identity
    from hub.feed.service import view_digest

    db = Database(hub.database_url, pool_size=1)
    try:
        with db.read() as session:
            return view_digest(session, identity(get(session, device_id)).view, time.time())
    finally:
        db.dispose()


def open_postings(db, station_id: int = 1) -> list[int]:
    """Postings a kiosk at this station may apply to now: open, with places, in their window, shown
    there (the seed also makes ended, expired and other stations' postings, as a real hub has)."""
    from sqlalchemy import select

    from hub.postings.models import Posting, PostingStatus
    from hub.postings.service import shown_at

    now = dt.datetime.now(dt.UTC)
    with db.read() as s:
        return [
            p.id
            for p in s.scalars(select(Posting).where(Posting.status == PostingStatus.OPEN).order_by(Posting.id))
            if p.filled < p.headcount and shown_at(p, station_id) and p.valid_from <= now < p.valid_to
        ]
