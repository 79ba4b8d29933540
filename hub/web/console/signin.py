"""Signing in to the console (rate-limited, with lockout), the administrators' second factor
(enrolled at their first sign-in with a QR code), signing out, and changing one's own password."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from hub.audit import service as audit
from hub.deps import DbDep, KeysDep, LimitsDep, SessionStaffDep, SettingsDep
from hub.errors import HubError, Invalid, TooMany
from hub.metrics.instruments import LOGIN_FAILURES
from hub.staff import cookie as staff_session
from hub.staff import passwords, sessions, totp
from hub.staff import service as staff_service
from hub.staff.models import StaffUser
from hub.web.pages import render

from .forms import console_router, form_of

router = console_router()


WRONG = "用户名或密码不对。连续输错 {after} 次，账号会锁定 {minutes} 分钟（管理员可以解锁）。"


def _record_refusal(session, reason: str, name: str, address: str) -> None:
    """A refused sign-in in the audit trail. The name is kept only when it is an account's: what
    someone typed into the name field may be a password, a phone or an ID number."""
    known = session.scalar(select(StaffUser.id).where(StaffUser.name == name)) is not None if len(name) <= 40 else False
    audit.record(session, f"signin.{reason}", actor=name if known else "(不存在的用户名)", address=address, outcome=401)


def _lockout(settings) -> staff_service.Lockout:
    return staff_service.Lockout(after=settings.lockout_after, minutes=settings.lockout_min)


def _login_page(request: Request, error: str, name: str = "", status: int = 200, retry_after: int | None = None):
    response = render(request, "staff/login.html", {"error": error, "name": name}, status)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _login_page(request, "")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, db: DbDep, limits: LimitsDep, settings: SettingsDep):
    form = await form_of(request)
    name, password = str(form.get("name", ""))[:60], str(form.get("password", ""))
    address = staff_session.client_address(request)
    try:
        limits.hit(limits.login_address, address)
        limits.hit(limits.login, f"{address}\x00{name}")
    except TooMany as exc:
        LOGIN_FAILURES.labels("throttled").inc()
        with db.write() as session:
            _record_refusal(session, "throttled", name, address)
        return _login_page(request, "尝试次数太多，请过一会儿再试", name, 429, exc.retry_after)
    with db.write() as session:
        try:
            user = staff_service.sign_in(session, name, password, _lockout(settings))
        except staff_service.SignInRefused as refused:
            LOGIN_FAILURES.labels(refused.reason).inc()  # "wrong" or "locked"
            _record_refusal(session, refused.reason, name, address)
            # The same words whether the name exists, the password was wrong or the account is
            # locked: nothing here tells a guesser which names are real.
            return _login_page(
                request, WRONG.format(after=settings.lockout_after, minutes=round(settings.lockout_min)), name, 401
            )
        second = user.role.value == "admin"
        audit.record(
            session,
            "signin.password" if second else "signin.ok",
            by=staff_service.principal(user),
            address=address,
            outcome=303,
        )
        response = RedirectResponse("/staff/login/second" if second else "/staff", status_code=303)
        staff_session.start(request, response, session, user, sessions.PASSWORD if second else sessions.FULL)
        return response


def _second_page(request: Request, user, keys, error: str = "", status: int = 200) -> HTMLResponse:
    enrolling = not totp.enrolled(user)
    context = {"error": error, "enrolling": enrolling, "name": user.name}
    if enrolling:
        uri, svg = totp.provisioning(user, keys.id_secret)
        context.update(qr=svg, secret=totp.secret_of(user, keys.id_secret), uri=uri)
    return render(request, "staff/second_factor.html", context, status)


@router.get("/login/second", response_class=HTMLResponse)
def second_factor_page(request: Request, db: DbDep, keys: KeysDep) -> HTMLResponse:
    """The code from the administrator's authenticator app; the first time, a QR code to add it."""
    with db.write() as session:
        row = staff_session.pending(request, session)
        if row.user.totp_secret is None:
            totp.start_enrolment(row.user, keys.id_secret)
        return _second_page(request, row.user, keys)


@router.post("/login/second", response_class=HTMLResponse)
async def second_factor(request: Request, db: DbDep, keys: KeysDep, settings: SettingsDep, limits: LimitsDep):
    form = await form_of(request)
    address = staff_session.client_address(request)
    with db.read() as session:
        user_id = staff_session.pending(request, session).user_id
    try:  # codes per account, whatever the address or how many sign-ins they are spread over
        limits.hit(limits.second_factor, str(user_id))
    except TooMany as exc:
        return _login_page(request, "尝试次数太多，请过一会儿再试", "", 429, exc.retry_after)
    with db.write() as session:
        row = staff_session.pending(request, session)
        user, who = row.user, staff_service.principal(row.user)
        if user.totp_secret is None:  # a code posted before the page that enrols was ever shown
            totp.start_enrolment(user, keys.id_secret)
        enrolling = not totp.enrolled(user)
        if user.locked_until is not None and user.locked_until > dt.datetime.now(dt.UTC):
            sessions.end(session, request.cookies.get(staff_session.COOKIE, ""))
            LOGIN_FAILURES.labels("locked").inc()
            audit.record(session, "signin.locked", by=who, address=address, outcome=401)
            return _login_page(
                request, WRONG.format(after=settings.lockout_after, minutes=round(settings.lockout_min)), user.name, 401
            )
        try:
            totp.verify(user, keys.id_secret, str(form.get("code", "")))
        except Invalid as exc:
            LOGIN_FAILURES.labels("second_factor").inc()
            staff_service.count_failure(user, _lockout(settings))
            audit.record(session, "signin.second_failed", by=who, address=address, outcome=401)
            return _second_page(request, user, keys, exc.message, 401)
        sessions.promote(row, staff_session.lifetimes(request))
        audit.record(
            session, "signin.second_enrolled" if enrolling else "signin.ok", by=who, address=address, outcome=303
        )
        user.failed_logins, user.locked_until = 0, None  # both factors right: the count starts again
        return RedirectResponse("/staff/account" if user.must_change_password else "/staff", status_code=303)


@router.post("/logout")
async def logout(request: Request, db: DbDep) -> RedirectResponse:
    await form_of(request)
    response = RedirectResponse("/staff/login?bye=1", status_code=303)
    with db.write() as session:
        ended = staff_session.end(request, response, session)
        if ended is not None:
            audit.record(
                session,
                "signout",
                by=staff_service.principal(ended.user),
                address=staff_session.client_address(request),
                outcome=303,
            )
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, staff: SessionStaffDep) -> HTMLResponse:
    return render(request, "staff/account.html", {"staff": staff, "errors": {}, "done": False})


@router.post("/account", response_class=HTMLResponse)
async def change_password(request: Request, staff: SessionStaffDep, db: DbDep, settings: SettingsDep):
    """One's own new password; every other session of the account ends."""
    form = await form_of(request)
    errors: dict[str, str] = {}
    with db.write() as session:
        user = staff_service.get_user(session, staff.user_id)
        current, new = str(form.get("current", "")), str(form.get("password", ""))
        if new != form.get("again", ""):  # every error at once: the mismatch, the policy, the current one
            errors["again"] = "两次输入的新密码不一样"
        try:
            passwords.check(new, name=user.name)
        except HubError as exc:
            errors[exc.field or "password"] = exc.message
        try:
            if errors:
                staff_service.check_current(user, current, _lockout(settings))
            else:
                staff_service.change_password(user, current, new, _lockout(settings))
        except HubError as exc:
            errors.setdefault(exc.field or "password", exc.message)
        if errors:
            if "current" not in errors:
                session.rollback()  # (a wrong current password is kept: it counts towards the lockout)
            return render(request, "staff/account.html", {"staff": staff, "errors": errors, "done": False}, 422)
        this = staff_session.find_row(request, session)
        sessions.end_all(session, user.id, keep=this.id if this is not None else None)
    return render(request, "staff/account.html", {"staff": staff, "errors": {}, "done": True})
