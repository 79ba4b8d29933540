"""A bench's own hub: seeded on SQLite in a work folder, served by `lingong hub` in its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def serve(settings, port: int, log: Path, workers: int = 1) -> subprocess.Popen:
    """`lingong hub` for a bench in a process of its own (enrollment unthrottled, warnings only),
    returned once it answers; SystemExit naming the log if it does not within a minute."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINGONG_")}
    env.update(
        LINGONG_HOME=str(settings.home),
        LINGONG_DATABASE_URL=settings.db_url,
        LINGONG_ENROLL_PER_MINUTE="1000000",
        LINGONG_LOG_LEVEL="WARNING",
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "lingong.cli", "hub", "--port", str(port), "--workers", str(workers)],
        env=env,
        start_new_session=True,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return proc
        except requests.RequestException:  # not listening yet, or busy loading the feed
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    raise SystemExit(f"hub did not start; see {log}")


class HubProcess:
    """Seeds, starts and (on leaving the `with`) stops one hub; `staff` calls its API with a token."""

    def __init__(self, home: Path, postings: int = 40):
        from hub.settings import Settings

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.settings = Settings(home=home, enroll_per_minute=1_000_000)
        self.postings = postings
        self.proc: subprocess.Popen | None = None
        self.token = ""

    def __enter__(self) -> HubProcess:
        from hub import admin

        admin.seed_hub(self.settings, self.postings, 7)
        admin.create_user(self.settings, "bench", "admin", "quiet lantern orchard 9", [])
        self.token = admin.api_token(self.settings, "bench")
        try:
            self.proc = serve(self.settings, self.port, Path(self.settings.home) / "hub.log")
        except SystemExit:
            self.__exit__()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.proc = None

    def staff(self, method: str, path: str, **kw) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"}
        r = requests.request(method, self.url + path, headers=headers, timeout=30, **kw)
        if r.status_code >= 300:
            raise SystemExit(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r.json() if r.content else {}
