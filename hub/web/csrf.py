"""CSRF protection for the hub's forms: a random token in a SameSite, HttpOnly cookie and the same
token in the form (double submit); a post whose two do not match is refused."""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from hub.errors import Forbidden

COOKIE = "lingong_csrf"


def token_for(request: Request) -> str:
    """The visitor's token (a new one when they have none): put it in the form, and `remember` it."""
    existing = request.cookies.get(COOKIE, "")
    return existing if len(existing) == 43 else secrets.token_urlsafe(32)


def remember(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=6 * 3600, path="/")


def check(request: Request, submitted: str) -> None:
    cookie = request.cookies.get(COOKIE, "")
    if not cookie or not submitted or not hmac.compare_digest(cookie, submitted):
        raise Forbidden("表单已过期，请刷新页面后再提交", code="form.expired")
