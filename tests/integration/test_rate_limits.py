"""Rate limits hold across hub processes (they are counted in the database), answer 429 with
Retry-After, and are keyed on the client's real address: a forwarded one only from a trusted proxy."""

import re
from pathlib import Path

import requests

from hub import admin
from tests.support.console import STATION_PASSWORD, csrf_of
from tests.support.hub import LiveHub


def login_attempts(hub: LiveHub, count: int, **headers) -> list[requests.Response]:
    answers = []
    for _ in range(count):
        browser = requests.Session()  # a new connection each time: the kernel spreads them over the processes
        page = browser.get(f"{hub.url}/staff/login", timeout=10, headers=headers)
        answers.append(
            browser.post(
                f"{hub.url}/staff/login",
                timeout=10,
                allow_redirects=False,
                headers=headers,
                data={"name": "s1", "password": "not it at all", "csrf_token": csrf_of(page)},
            )
        )
    return answers


def test_limits_hold_across_two_hub_processes_on_postgresql(pg_url, tmp_path):
    """Security review, finding 5: each process kept its own counts, so N processes allowed N times as
    many guesses. Ten wrong passwords a minute per address and name, whichever process answers."""
    hub = LiveHub(tmp_path / "hub", pg_url, workers=2)
    hub.seed(postings=5)
    admin.create_user(hub.settings, "s1", "station", STATION_PASSWORD, [1])
    hub.start()
    try:
        answers = login_attempts(hub, 12)
        assert [a.status_code for a in answers].count(429) >= 2, [a.status_code for a in answers]
        refused = next(a for a in answers if a.status_code == 429)
        assert int(refused.headers["retry-after"]) > 0 and "尝试次数太多" in refused.text
        codes = [
            requests.post(f"{hub.url}/api/v1/devices/enroll", json={"code": "WRONG-CODE"}, timeout=10)
            for _ in range(12)
        ]
        assert [c.status_code for c in codes][:10] == [401] * 10 and codes[-1].status_code == 429
        assert int(codes[-1].headers["retry-after"]) > 0
    finally:
        hub.stop()


def test_a_forwarded_address_is_believed_from_a_trusted_proxy_only(sqlite_url, tmp_path):
    trusting = LiveHub(tmp_path / "hub", sqlite_url, LINGONG_TRUSTED_PROXIES="127.0.0.1")
    trusting.seed(postings=5)
    admin.create_user(trusting.settings, "s1", "station", STATION_PASSWORD, [1])
    trusting.start()
    try:
        # Behind the proxy, each client has its own count...
        spread = [login_attempts(trusting, 1, **{"X-Forwarded-For": f"10.1.0.{n}"})[0] for n in range(12)]
        assert all(a.status_code == 401 for a in spread)
        # ... and one client is still one client.
        same = login_attempts(trusting, 12, **{"X-Forwarded-For": "10.2.0.1"})
        assert [a.status_code for a in same][-2:] == [429, 429]
    finally:
        trusting.stop()


def test_the_hubs_files_are_its_own(sqlite_hub):
    """Security review, finding 10: hub.db was created readable by everyone (0644)."""
    sqlite_hub.ok(
        "POST", "/api/v1/employers", json={"name": "一家单位", "contact_person": "王", "contact_phone": "13800001111"}
    )
    database = Path(sqlite_hub.database_url.removeprefix("sqlite:///"))
    files = [
        p
        for p in (*sqlite_hub.home.iterdir(), *database.parent.glob(database.name + "*"))
        if p.is_file() and re.match(r"hub(\.db|-key|-id)", p.name)
    ]
    assert len(files) >= 3 and database in files
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is {oct(path.stat().st_mode & 0o777)}"
