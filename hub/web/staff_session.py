"""Staff sessions for the console: a signed, timed cookie (itsdangerous) naming the staff member,
HttpOnly and SameSite; each request re-reads the member so a disabled account is out at once."""
from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from hub.staff.models import StaffUser
from hub.staff.service import Principal, principal

COOKIE = "lingong_staff"
MAX_AGE_S = 12 * 3600


class LoginRequired(Exception):
    """No valid session: the console answers with the login page."""


def _serializer(request: Request) -> URLSafeTimedSerializer:
    # A key of its own, derived from the hub's secret: a session cookie can never be an ID hash.
    secret = hmac.new(request.app.state.keys.id_secret, b"staff-session", hashlib.sha256).digest()
    return URLSafeTimedSerializer(secret, salt="lingong-staff")


def start(request: Request, response: Response, user: StaffUser) -> None:
    token = _serializer(request).dumps({"u": user.id})
    response.set_cookie(COOKIE, token, max_age=MAX_AGE_S, httponly=True, samesite="lax", path="/staff")


def end(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/staff")


def current(request: Request) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token:
        raise LoginRequired
    try:
        user_id = _serializer(request).loads(token, max_age=MAX_AGE_S)["u"]
    except (BadSignature, KeyError, TypeError):
        raise LoginRequired from None
    with request.app.state.db.read() as session:
        user = session.get(StaffUser, user_id)
        if user is None or user.disabled_at is not None:
            raise LoginRequired
        return principal(user)
