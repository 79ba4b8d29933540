"""A real hub process for the fuzz tests (tests/integration/test_api_fuzz.py, test_console_fuzz.py):
seeded, serving, with a token, a kiosk, a wall, and console sessions for an administrator and a
station's staff (their CSRF cookie fixed, so that a fuzzed form can carry the matching token)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import requests

from tests.support.console import ADMIN_PASSWORD, STATION_PASSWORD, sign_in
from tests.support.databases import database
from tests.support.hub import LiveHub

CSRF = "c" * 43


def fuzzed_hub(kind: str, tmp_path_factory):
    home = tmp_path_factory.mktemp(f"fuzz-{kind}")
    with database(kind, home) as url:
        # A fuzzer reads each answer whole: a change stream (held open for minutes) ends at once here.
        hub = LiveHub(home / "hub", url, LINGONG_STREAM_MAX_S="0.1")
        hub.seed(postings=30)
        hub.start()
        try:
            yield from _with_callers(hub)
        finally:
            hub.stop()


def _with_callers(hub):
    from hub import admin

    callers = {"nobody": {}, "admin": {"Authorization": f"Bearer {hub.staff_token}"}}
    for kind in ("kiosk", "display"):
        code = hub.add_device(kind, 1)
        enrolled = hub.call("POST", "/api/v1/devices/enroll", json={"code": code}).json()
        callers[kind] = {"Authorization": f"Bearer {enrolled['token']}"}
    hub.callers = callers
    admin.create_user(hub.settings, "fuzz-station", "station", STATION_PASSWORD, [1])
    hub.sessions = {}
    for name, password in (("tester", ADMIN_PASSWORD), ("fuzz-station", STATION_PASSWORD)):
        browser = requests.Session()
        assert sign_in(browser, name, password, base=hub.url).status_code == 303
        hub.sessions[name] = {"Cookie": f"lingong_staff={browser.cookies['lingong_staff']}; lingong_csrf={CSRF}"}
    yield hub


_turns: dict[str, itertools.count] = {}


def coverage_callers(case, callers: dict, allowed: Iterable[str] | None = None) -> list[str]:
    """Who sends this case. The random phase's cases go to every caller. The coverage phase's (the
    same boundary values at every run: 2,500 cases for the API, 90% of all) go to one caller each, in
    turn among those allowed on the route: a value that breaks a route breaks it for whoever gets
    past its door, and a refused caller is turned away before its input is read (the access matrix
    checks every door). Sending each to every caller quadrupled the slowest test in make test."""
    if getattr(getattr(case.meta, "phase", None), "name", None) != "coverage":
        return list(callers)
    pool = [c for c in callers if allowed is None or c in allowed] or list(callers)
    turn = next(_turns.setdefault(case.operation.label, itertools.count()))
    return [pool[turn % len(pool)]]
