"""The console's session cookie: a random token naming a session kept on the hub
(hub.staff.sessions), HttpOnly, SameSite, Secure behind HTTPS, scoped to /staff. Each request reads
the session and its user again, so logout, a disabled account and idle time take effect at once."""

from __future__ import annotations

import datetime as dt

from fastapi import Request, Response

from hub.staff import sessions
from hub.staff.models import StaffSession, StaffUser
from hub.staff.service import Principal, principal

COOKIE = "lingong_staff"
ACCOUNT_PATH = "/staff/account"


class LoginRequired(Exception):
    """No valid session: the console answers with the login page."""


class PasswordChangeRequired(Exception):
    """An administrator reset this password: nothing else until the person has chosen their own."""


def lifetimes(request: Request) -> sessions.Lifetimes:
    settings = request.app.state.settings
    return sessions.Lifetimes(
        idle=dt.timedelta(minutes=settings.session_idle_min), absolute=dt.timedelta(hours=settings.session_max_h)
    )


def client_address(request: Request) -> str:
    """The client as the hub sees it: the connecting address, or what a trusted proxy said it was."""
    return request.client.host if request.client else ""


def start(request: Request, response: Response, db_session, user: StaffUser, stage: str) -> None:
    token = sessions.start(db_session, user, stage=stage, address=client_address(request), lifetimes=lifetimes(request))
    # No max-age: the cookie dies with the browser; the hub ends the session on its own clock anyway.
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="lax", path="/staff", secure=request.app.state.settings.https
    )


def end(request: Request, response: Response, db_session) -> StaffSession | None:
    """Ends this request's session (in the caller's transaction) and drops the cookie; returns the
    session that was live, if any."""
    row = find_row(request, db_session)
    if row is not None:
        sessions.end(db_session, request.cookies.get(COOKIE, ""))
    response.delete_cookie(
        COOKIE, path="/staff", secure=request.app.state.settings.https, httponly=True, samesite="lax"
    )
    return row


def find_row(request: Request, db_session) -> StaffSession | None:
    """This request's live session, whatever its stage (None when there is none)."""
    return sessions.find(db_session, request.cookies.get(COOKIE, ""), lifetimes=lifetimes(request))


def pending(request: Request, db_session) -> StaffSession:
    """The session between the password and the second factor (LoginRequired if there is none)."""
    row = find_row(request, db_session)
    if row is None or row.stage != sessions.PASSWORD:
        raise LoginRequired
    return row


def current(request: Request) -> Principal:
    """The signed-in staff member (LoginRequired otherwise); remembered on the request for the
    audit trail."""
    db = request.app.state.db
    with db.read() as db_session:
        row = find_row(request, db_session)
        if row is None or row.stage != sessions.FULL:
            raise LoginRequired
        who, must_change, stale, row_id = (
            principal(row.user),
            row.user.must_change_password,
            sessions.stale(row),
            row.id,
        )
    if stale:
        with db.write() as db_session:
            sessions.touch(db_session, row_id)
    request.state.staff, request.state.staff_via = who, "console"
    if must_change and request.url.path != ACCOUNT_PATH and request.url.path != "/staff/logout":
        raise PasswordChangeRequired
    return who
