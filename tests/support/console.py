"""Signing in to the console from tests as a person does: the password, then for administrators a code
from their authenticator app — enrolled the first time from the secret the page itself shows, as a
person types it into the app. Works with a TestClient (base "") or a requests.Session (base URL),
and with a Playwright page."""

from __future__ import annotations

import re
import time

import pyotp

# The passwords tests give their staff users: long, and not guessable by the hub's policy.
ADMIN_PASSWORD = "copper kettle mountain 7"
STATION_PASSWORD = "willow lantern harbour 3"
OTHER_STATION_PASSWORD = "granite pepper orchard 5"

_secrets: dict[str, str] = {}  # user name → the authenticator secret enrolled
_used: dict[str, int] = {}  # user name → the last time step whose code was used (each is good once)


def csrf_of(page) -> str:
    text = page if isinstance(page, str) else page.text
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def secret_of_page(html: str) -> str | None:
    """The secret as the enrolment page shows it (in groups of four, as a person types it in)."""
    found = re.search(r'id="totp-secret">(.*?)</code>', html, re.S)
    return re.sub(r"<[^>]+>|\s", "", found.group(1)) if found else None


def next_code(name: str, secret: str | None = None) -> str:
    """The code an authenticator shows for the next time step not yet used (waiting for it if the
    steps the hub accepts now — the current one and its neighbours — are used up)."""
    if secret and _secrets.get(name) != secret:  # a new enrolment (a fresh hub): no step used yet
        _secrets[name] = secret
        _used.pop(name, None)
    now = time.time()
    now_step = int(now // 30)
    # The last step's code is taken only until the current step ends: not in its last 10 s, or
    # a busy machine's browser may hand it in after the hub stopped taking it.
    first = now_step - 1 if now - now_step * 30 < 20 else now_step
    step = max(first, _used.get(name, first - 1) + 1)
    if step > now_step + 1:
        time.sleep(max(0.0, (step - 1) * 30 - time.time()) + 0.5)
    _used[name] = step
    return pyotp.TOTP(_secrets[name]).at(step * 30)


def sign_in(client, name: str, password: str, base: str = ""):
    """Signs in with `client`; returns the last response (a redirect into the console when it worked)."""
    page = client.get(f"{base}/staff/login")
    answer = (
        client.post(
            f"{base}/staff/login",
            data={"name": name, "password": password, "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        if _is_testclient(client)
        else client.post(
            f"{base}/staff/login",
            data={"name": name, "password": password, "csrf_token": csrf_of(page)},
            allow_redirects=False,
        )
    )
    if answer.headers.get("location", "").endswith("/staff/login/second"):
        second = client.get(f"{base}/staff/login/second")
        code = next_code(name, secret_of_page(second.text))
        data = {"code": code, "csrf_token": csrf_of(second)}
        answer = (
            client.post(f"{base}/staff/login/second", data=data, follow_redirects=False)
            if _is_testclient(client)
            else client.post(f"{base}/staff/login/second", data=data, allow_redirects=False)
        )
    return answer


def sign_in_browser(page, base: str, name: str, password: str) -> None:
    """The same in a real browser (Playwright), ending on the console's first page."""
    page.goto(f"{base}/staff/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/staff/login/second"):
        secret = (
            re.sub(r"\s", "", page.locator("#totp-secret").inner_text())
            if page.locator("#totp-secret").count()
            else None
        )
        page.fill("#code", next_code(name, secret))
        page.click("button[type=submit]")
    page.wait_for_url("**/staff")


def _is_testclient(client) -> bool:
    return type(client).__name__ == "TestClient"
