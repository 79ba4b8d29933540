"""Staff credentials as an assessor checks them (等保 2.0): sessions that end at logout, at disabling
and after idle time; lockout; a password rule; a second factor for administrators; Secure cookies
and HSTS behind HTTPS; accounts managed from the console — and the security headers on every page."""

import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from hub import admin
from hub.app import create_app
from hub.errors import Invalid
from hub.settings import Settings
from hub.staff.models import StaffUser
from tests.support.console import (
    ADMIN_PASSWORD,
    OTHER_STATION_PASSWORD,
    STATION_PASSWORD,
    csrf_of,
    next_code,
    secret_of_page,
    sign_in,
)
from tests.support.databases import database

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

COOKIE = "lingong_staff"


# On one database, production's: sessions, lockouts and second factors are rules of the hub's code
# over a few rows, the same on both (make test has 10 minutes on 2 cores; the rest of the hub
# suite runs on both).
@pytest.fixture(params=[pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    with database(request.param, tmp_path) as url:
        yield url


def station_user(hub, name="s1", password=STATION_PASSWORD, station=1) -> int:
    return admin.create_user(hub.settings, name, "station", password, [station])


def signed_in(hub, name="s1", password=STATION_PASSWORD) -> str:
    hub.client.cookies.clear()
    r = sign_in(hub.client, name, password)
    assert r.status_code == 303 and r.headers["location"] == "/staff", r.text
    return hub.client.cookies[COOKIE]


def with_cookie(hub, cookie: str, path: str = "/staff"):
    hub.client.cookies.clear()
    hub.client.cookies.set(COOKIE, cookie, path="/staff")
    return hub.client.get(path, follow_redirects=False)


def test_a_session_ends_at_logout_even_if_its_cookie_is_kept(hub):
    """Finding 6: a session cookie kept working for 12 h after logout."""
    station_user(hub)
    cookie = signed_in(hub)
    page = hub.client.get("/staff")
    assert page.status_code == 200
    hub.client.post("/staff/logout", data={"csrf_token": csrf_of(page)})
    replayed = with_cookie(hub, cookie)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/staff/login"


def test_disabling_a_user_ends_their_sessions_and_tokens_at_once(hub):
    user_id = station_user(hub)
    token = {"Authorization": f"Bearer {admin.api_token(hub.settings, 's1')}"}
    cookie = signed_in(hub)
    assert hub.client.get("/api/v1/stations", headers=token).status_code == 200
    signed_in(hub, "admin", ADMIN_PASSWORD)
    users = hub.client.get("/staff/users")
    assert f'id="user-{user_id}"' in users.text
    hub.client.post(f"/staff/users/{user_id}/disable", data={"csrf_token": csrf_of(users)})
    assert with_cookie(hub, cookie).status_code == 303
    assert hub.client.get("/api/v1/stations", headers=token).status_code == 401
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s1", STATION_PASSWORD).status_code == 401  # and no new sign-in


def test_sessions_end_after_idle_time_and_after_their_lifetime(hub):
    station_user(hub)
    hub.settings.session_idle_min = 0.5 / 60  # half a second
    cookie = signed_in(hub)
    assert with_cookie(hub, cookie).status_code == 200
    time.sleep(1.0)
    assert with_cookie(hub, cookie).status_code == 303
    hub.settings.session_idle_min, hub.settings.session_max_h = 30, 0.5 / 3600
    cookie = signed_in(hub)
    time.sleep(1.0)
    assert with_cookie(hub, cookie).status_code == 303


def test_repeated_wrong_passwords_lock_the_account_until_an_administrator_unlocks_it(hub):
    user_id = station_user(hub)
    for _ in range(hub.settings.lockout_after):
        hub.client.cookies.clear()
        assert sign_in(hub.client, "s1", "not the password").status_code == 401
    hub.client.cookies.clear()
    locked = sign_in(hub.client, "s1", STATION_PASSWORD)
    unknown = sign_in(hub.client, "nobody-here", STATION_PASSWORD)
    # The same words as for a wrong password or a name that does not exist: no hint which names are real.
    assert locked.status_code == unknown.status_code == 401
    assert _words(locked.text) == _words(unknown.text).replace("nobody-here", "s1") and "会锁定" in locked.text
    signed_in(hub, "admin", ADMIN_PASSWORD)
    users = hub.client.get("/staff/users")
    assert "已锁定" in users.text
    hub.client.post(f"/staff/users/{user_id}/enable", data={"csrf_token": csrf_of(users)})
    signed_in(hub)


def _words(html: str) -> str:
    return re.sub(r'(nonce|value)="[^"]*"', "", html)


def test_the_second_factor_cannot_be_guessed_by_signing_in_again(hub):
    """A right password must not wipe the wrong codes tried before it: the count goes on through
    the second factor, and the codes are limited per account too."""
    hub.client.cookies.clear()
    signed_in(hub, "admin", ADMIN_PASSWORD)  # enrolled
    statuses = []
    for _ in range(3):
        hub.client.cookies.clear()
        page = hub.client.get("/staff/login")
        hub.client.post("/staff/login", data={"name": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf_of(page)})
        second = hub.client.get("/staff/login/second")
        for code in ("000000", "111111"):
            statuses.append(hub.client.post("/staff/login/second", data={"code": code, "csrf_token": csrf_of(second)}))
    assert [r.status_code for r in statuses][:4] == [401] * 4
    with hub.app.state.db.read() as s:
        admin_user = s.scalar(select(StaffUser).where(StaffUser.name == "admin"))
        assert admin_user.locked_until is not None  # 5 wrong codes over three sign-ins: locked


@pytest.mark.parametrize("code", ["²²²²²²", "١٢٣٤٥٦", "１２３４５６", "12345\x00"])
def test_odd_digits_as_a_code_are_a_wrong_code(hub, code):
    hub.client.cookies.clear()
    page = hub.client.get("/staff/login")
    hub.client.post("/staff/login", data={"name": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf_of(page)})
    # posted before the enrolment page was ever shown, too
    r = hub.client.post("/staff/login/second", data={"code": code, "csrf_token": csrf_of(page)})
    assert r.status_code in (401, 422), r.status_code


@pytest.mark.parametrize(
    "password", ["1234567890", "qwertyuiop", "woaini13145201314", "lingong2026!", "s1s1s1s1s1s1s1"]
)
def test_guessable_passwords_are_refused(hub, password):
    with pytest.raises(Invalid):
        station_user(hub, password=password)


def test_administrators_sign_in_with_a_second_factor(hub):
    """The password alone opens nothing; the first time, the page shows the QR code (and the secret)
    to add to an authenticator app; a wrong or reused code is refused."""
    hub.client.cookies.clear()
    page = hub.client.get("/staff/login")
    first = hub.client.post(
        "/staff/login",
        data={"name": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf_of(page)},
        follow_redirects=False,
    )
    assert first.headers["location"] == "/staff/login/second"
    assert hub.client.get("/staff", follow_redirects=False).status_code == 303  # not yet signed in
    second = hub.client.get("/staff/login/second")
    assert "<svg" in second.text and 'id="totp-secret"' in second.text
    secret = secret_of_page(second.text)
    assert secret and re.fullmatch(r"[A-Z2-7]{32}", secret)
    wrong = hub.client.post("/staff/login/second", data={"code": "000000", "csrf_token": csrf_of(second)})
    assert wrong.status_code == 401 and "验证码不对" in wrong.text and "锁定" in wrong.text
    code = next_code("admin", secret)
    done = hub.client.post(
        "/staff/login/second", data={"code": code, "csrf_token": csrf_of(second)}, follow_redirects=False
    )
    assert done.status_code == 303 and hub.client.get("/staff").status_code == 200
    hub.client.cookies.clear()
    page = hub.client.get("/staff/login")
    hub.client.post("/staff/login", data={"name": "admin", "password": ADMIN_PASSWORD, "csrf_token": csrf_of(page)})
    again = hub.client.get("/staff/login/second")
    assert 'id="totp-secret"' not in again.text  # enrolled: only the code is asked for
    replay = hub.client.post("/staff/login/second", data={"code": code, "csrf_token": csrf_of(again)})
    assert replay.status_code == 401  # a code is good once


def test_an_administrators_reset_makes_the_person_choose_their_own_password(hub):
    user_id = station_user(hub)
    signed_in(hub, "admin", ADMIN_PASSWORD)
    users = hub.client.get("/staff/users")
    reset = hub.client.post(f"/staff/users/{user_id}/reset-password", data={"csrf_token": csrf_of(users)})
    temporary = re.search(r'id="temporary-password">([^<]+)<', reset.text).group(1)
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s1", STATION_PASSWORD).status_code == 401  # the old one is gone
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s1", temporary).status_code == 303
    assert hub.client.get("/staff", follow_redirects=False).headers["location"] == "/staff/account"
    account = hub.client.get("/staff/account")
    weak = hub.client.post(
        "/staff/account",
        data={"current": temporary, "password": "password123", "again": "password123", "csrf_token": csrf_of(account)},
    )
    assert weak.status_code == 422 and "太容易被猜到" in weak.text
    changed = hub.client.post(
        "/staff/account",
        data={
            "current": temporary,
            "password": OTHER_STATION_PASSWORD,
            "again": OTHER_STATION_PASSWORD,
            "csrf_token": csrf_of(account),
        },
    )
    assert changed.status_code == 200 and 'id="changed"' in changed.text
    assert hub.client.get("/staff").status_code == 200


def test_console_accounts_are_for_administrators(hub):
    station_user(hub)
    signed_in(hub)
    assert hub.client.get("/staff/users").status_code == 403
    assert hub.client.get("/staff/audit").status_code == 403


def test_behind_https_cookies_are_secure_and_browsers_are_told_to_stay(tmp_path):
    settings = Settings(home=tmp_path / "hub", public_url="https://hub.example.cn")
    admin.seed_hub(settings, 5, 7)
    admin.create_user(settings, "s1", "station", STATION_PASSWORD, [1])
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = client.get("/staff/login")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        done = client.post(
            "/staff/login",
            data={"name": "s1", "password": STATION_PASSWORD, "csrf_token": csrf_of(page)},
            follow_redirects=False,
        )
        cookie = done.headers["set-cookie"]
        assert "lingong_staff=" in cookie and "Secure" in cookie and "HttpOnly" in cookie


def _html_pages(hub) -> list[str]:
    """Every GET route with no path parameter, and the console's pages of records that exist."""
    from tests.integration.test_access_matrix import routes

    # The device sync routes are left bare on purpose (only devices call them; every byte counts there).
    return [
        path
        for method, path in routes(hub.app)
        if method == "GET" and "{" not in path and not path.startswith("/api/v1/sync/")
    ] + ["/p/1", "/p/999999", "/c/1", "/c/x", "/d/1", "/d/999999", "/staff/employers/1", "/staff/postings/1/edit"]


def test_every_page_carries_the_security_headers(hub):
    """Finding 2: no page sent a Content-Security-Policy. Every HTML answer now does — scripts from the
    hub itself or with the response's nonce, no framing — and every answer says nosniff and no-referrer."""
    signed_in(hub, "admin", ADMIN_PASSWORD)
    seen = 0
    for path in _html_pages(hub):
        r = hub.client.get(path, follow_redirects=False)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        if r.headers.get("content-type", "").startswith("text/html"):
            policy = r.headers["content-security-policy"]
            script = next(p for p in policy.split("; ") if p.startswith("script-src"))
            assert script.startswith("script-src 'self' 'nonce-") and "unsafe" not in script, path
            assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy, path
            assert not re.search(r"<script(?![^>]*\bsrc=\"/)(?![^>]*\bnonce=)", r.text), path  # no bare inline script
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", r.text), path  # no inline event handlers
            seen += 1
    assert seen >= 18  # the console, phone and order pages: not an empty loop
    assert hub.client.get("/docs").status_code == 404 and hub.client.get("/redoc").status_code == 404


def test_api_docs_when_asked_for_come_from_the_hub_itself(tmp_path):
    settings = Settings(home=tmp_path / "hub", api_docs=True)
    with TestClient(create_app(settings)) as client:
        docs = client.get("/docs")
        assert docs.status_code == 200 and "cdn" not in docs.text.lower() and "http" not in docs.text
        assert "script-src 'self'" in docs.headers["content-security-policy"]
        for asset in re.findall(r'(?:src|href)="([^"]+)"', docs.text):
            assert client.get(asset).status_code == 200, asset


# On PostgreSQL only (production's database): each command is a process of its own, 15–19 s a run,
# and what they change is the same rows on SQLite, whose sessions and locks the other tests cover.
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_the_admin_commands_disable_reset_and_revoke(hub):
    """`lingong admin …` on the hub's machine: the same powers as the users page, for when nobody can
    sign in (the last administrator locked out, a token leaked). Each is in the audit trail."""
    from tests.support.hub import lingong

    user_id = station_user(hub)
    token = {"Authorization": f"Bearer {admin.api_token(hub.settings, 's1')}"}
    cookie = signed_in(hub)
    env = {"LINGONG_DATABASE_URL": hub.settings.db_url}
    run = lambda *args, text=None: lingong("admin", *args, home=hub.settings.home, input=text, **env)
    listed = [line for line in run("users").stdout.splitlines() if '"s1"' in line]
    assert listed and '"api_tokens": true' in listed[0]
    assert "1 API token(s) of s1 revoked" in run("revoke-tokens", "s1").stdout
    assert hub.client.get("/api/v1/stations", headers=token).status_code == 401
    assert "disabled" in run("disable-user", "s1").stdout
    assert with_cookie(hub, cookie).status_code == 303
    run("enable-user", "s1")
    temporary = run("reset-password", "s1").stdout.rsplit(": ", 1)[1].strip()
    hub.client.cookies.clear()
    assert sign_in(hub.client, "s1", temporary).headers["location"] == "/staff"
    assert hub.client.get("/staff", follow_redirects=False).headers["location"] == "/staff/account"
    weak = lingong("admin", "set-password", "s1", home=hub.settings.home, input="1234567890\n", check=False, **env)
    assert weak.returncode == 2 and "太容易被猜到" in weak.stderr
    with hub.app.state.db.read() as s:
        from hub.audit.models import AuditEntry

        done = [
            e.action
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.via == "cli", AuditEntry.target == f"user_id={user_id}")
            )
        ]
    assert {"user.revoke_tokens", "user.disable", "user.enable", "user.reset_password"} <= set(done)
