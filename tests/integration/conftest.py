"""In-process hub (TestClient) with a staff token, on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub.app import create_app
from hub.feed.models import FeedState
from hub.market.publish import KIND as MARKET
from hub.settings import Settings
from tests.support import databases
from wire import sealed


@dataclass
class Hub:
    client: TestClient
    settings: Settings
    staff: dict

    @property
    def app(self):
        return self.client.app

    def ok(self, method: str, path: str, **kw) -> dict:
        r = self.client.request(method, path, headers={**self.staff, **kw.pop("headers", {})}, **kw)
        assert r.status_code < 300, f"{method} {path}: {r.status_code} {r.text}"
        return r.json() if r.content else {}

    def seal(self, person: dict, device_id: int, kind: str, n: int) -> str:
        """A person sealed as that device's event of that kind and number (see wire.sealed)."""
        return sealed.seal(self.public_key, person, sealed.event_context(device_id, kind, n))

    def device(self, kind: str = "kiosk", station_id: int = 1, **config) -> tuple[int, dict]:
        body = {"name": f"{kind}", "kind": kind, "station_id": station_id}
        if config:
            body["config"] = config
        code = self.ok("POST", "/api/v1/devices", json=body)["enroll_code"]
        enrolled = self.client.post("/api/v1/devices/enroll", json={"code": code}).json()
        self.public_key = enrolled["hub_public_key"]
        return enrolled["device_id"], {"Authorization": f"Bearer {enrolled['token']}"}


@pytest.fixture
def hub(tmp_path, db_url):
    yield from _hub(tmp_path, db_url)


@pytest.fixture
def sqlite_app_hub(tmp_path, sqlite_url):
    """The in-process hub on SQLite alone: for what only SQLite can show (its query plans)."""
    yield from _hub(tmp_path, sqlite_url)


def _hub(tmp_path, url: str):
    # A change stream ends at once here: the test client reads an answer whole before returning it.
    settings = Settings(home=tmp_path / "hub", database_url=url, feed_poll_s=0.05, stream_max_s=0.1)
    token = databases.seed(settings, 30, with_admin=True)
    with TestClient(create_app(settings)) as client:
        _market_figures_published(client.app)
        yield Hub(client, settings, {"Authorization": f"Bearer {token}"})


def _market_figures_published(app, hang_s: float = 120) -> None:
    """Waits for the market document the hub publishes in the background as it starts, and for
    this process's feed to hold it: on a loaded machine it landed mid-test, in a feed a test had
    just read the head of (a 200 where nothing new was expected). The bound only catches a hang."""
    give_up = time.monotonic() + hang_s
    while True:
        with app.state.db.read() as session:
            seq = session.scalar(select(FeedState.seq).where(FeedState.kind == MARKET))
        if seq is not None and app.state.feed.head >= seq:
            return
        assert time.monotonic() < give_up, "the hub never published the market's figures"
        time.sleep(0.01)
