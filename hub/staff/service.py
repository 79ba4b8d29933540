"""Staff users: creation, passwords (Argon2id) and sign-in with lockout, disabling, API tokens, and
what each principal may touch."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.errors import Conflict, Forbidden, HubError, Invalid, NotFound
from hub.stations.models import Station
from hub.tokens import hash_secret

from . import passwords, sessions
from .models import ApiToken, Role, StaffUser

_hasher = PasswordHasher()


@dataclass(frozen=True)
class Principal:
    """An authenticated staff member, as the routes see them."""

    user_id: int
    name: str
    role: Role
    station_ids: frozenset[int]

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def may_station(self, station_id: int | None) -> bool:
        return self.is_admin or (station_id is not None and station_id in self.station_ids)

    def require_station(self, station_id: int | None) -> None:
        if not self.may_station(station_id):
            raise Forbidden("这个驿站不是您的", code="staff.station_not_yours")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("只有管理员可以这样做", code="staff.admin_only")


def principal(user: StaffUser) -> Principal:
    return Principal(user.id, user.name, user.role, user.station_ids)


NAME = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,40}$")


def user_problems(session: Session, name: str, role: Role | None, station_ids: list[int] = ()) -> list[HubError]:
    """Everything wrong with a new account at once (a console form shows them together)."""
    found: list[HubError] = []
    if not NAME.match(name):
        found.append(Invalid("用户名为2到40个汉字、字母、数字或 _ . -", code="staff.name_invalid", field="name"))
    elif session.scalar(select(StaffUser.id).where(StaffUser.name == name)) is not None:
        found.append(Conflict(f"已经有叫 {name} 的账号了", code="staff.name_taken", field="name"))
    if role is None:
        found.append(Invalid("请选择角色", code="staff.role_needed", field="role"))
    if role is Role.STATION and not station_ids:
        found.append(Invalid("驿站工作人员至少要选一个驿站", code="staff.station_needed", field="station_ids"))
    if any(session.get(Station, sid) is None for sid in station_ids):
        found.append(Invalid("选择的驿站不存在", code="staff.station_unknown", field="station_ids"))
    return found


def create_user(
    session: Session, name: str, role: Role, password: str | None, station_ids: list[int] = ()
) -> StaffUser:
    found = user_problems(session, name, role, station_ids)
    if found:
        raise found[0]
    stations = [session.get(Station, sid) for sid in station_ids]
    user = StaffUser(name=name, role=role, stations=stations)
    if password is not None:
        set_password(user, password)
    session.add(user)
    session.flush()
    return user


def set_password(user: StaffUser, password: str, *, must_change: bool = False) -> None:
    passwords.check(password, name=user.name)
    user.password_hash = _hasher.hash(password)
    user.password_changed_at = dt.datetime.now(dt.UTC)
    user.must_change_password = must_change


@dataclass(frozen=True)
class Lockout:
    """So many wrong passwords in a row lock the account for a while."""

    after: int = 5
    minutes: float = 15


class SignInRefused(Exception):
    """Why a sign-in failed: "wrong" (name or password: never said which), "locked" (until when)."""

    def __init__(self, reason: str, until: dt.datetime | None = None):
        super().__init__(reason)
        self.reason = reason
        self.until = until


def _password_matches(user: StaffUser, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash or "", password)
    except (VerificationError, InvalidHashError):
        return False


def _typed_matches(user: StaffUser, typed: str) -> bool:
    """A temporary password is read out in groups of four: with or without the blanks, it is the same."""
    return _password_matches(user, typed) or (
        user.must_change_password and _password_matches(user, "".join(typed.split()))
    )


def sign_in(session: Session, name: str, password: str, lockout: Lockout, now: dt.datetime | None = None) -> StaffUser:
    """The user whose password this is, or SignInRefused. A wrong password counts towards the
    lockout; while locked, even the right one is refused."""
    now = now or dt.datetime.now(dt.UTC)
    user = session.scalar(select(StaffUser).where(StaffUser.name == name)) if len(name) <= 40 else None
    if user is None or user.disabled_at is not None or not user.password_hash:
        _hasher.hash(password[: passwords.MAX_LENGTH])  # same work either way: no hint that the name exists
        raise SignInRefused("wrong")
    if user.locked_until is not None and user.locked_until > now:
        _hasher.hash(password[: passwords.MAX_LENGTH])  # as long as a wrong password takes: no hint
        raise SignInRefused("locked", user.locked_until)
    if not _typed_matches(user, password[: passwords.MAX_LENGTH + 1]):
        count_failure(user, lockout, now)
        raise SignInRefused("locked" if user.locked_until else "wrong", user.locked_until)
    if user.role is not Role.ADMIN:
        # Administrators' count goes on through the second factor: a right password must not wipe
        # the wrong codes tried before it (that would make the codes guessable without end).
        user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def count_failure(user: StaffUser, lockout: Lockout, now: dt.datetime | None = None) -> None:
    """A wrong password or second-factor code; the last one allowed locks the account."""
    now = now or dt.datetime.now(dt.UTC)
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= lockout.after:
        user.locked_until, user.failed_logins = now + dt.timedelta(minutes=lockout.minutes), 0


def by_name(session: Session, name: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.name == name))
    if user is None:
        raise NotFound(f"没有叫「{name}」的账号", code="staff.not_found")
    return user


def get_user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"没有编号为 {user_id} 的账号", code="staff.not_found")
    return user


# Letters and digits that cannot be misread or misheard (no 0/o, 1/l/i): the temporary password is
# read out once, on the phone or face to face.
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """For an administrator's reset: read out once, changed at the next sign-in (twelve characters,
    about 59 bits; shown in groups of four — see `grouped` — and taken with or without the blanks)."""
    return "".join(secrets.choice(READABLE) for _ in range(12))


def grouped(password: str) -> str:
    return " ".join(password[i : i + 4] for i in range(0, len(password), 4))


def check_current(user: StaffUser, current: str, lockout: Lockout) -> None:
    """The current password, typed to change it: a wrong one counts towards the lockout."""
    now = dt.datetime.now(dt.UTC)
    if (user.locked_until is not None and user.locked_until > now) or not _typed_matches(user, current):
        count_failure(user, lockout, now)
        raise Invalid("现在的密码不对", code="password.current_wrong", field="current")


def change_password(user: StaffUser, current: str, new: str, lockout: Lockout) -> None:
    """One's own new password: the current one must be right (a wrong one counts towards the
    lockout, like a wrong sign-in), and the new one different (not the temporary one kept)."""
    check_current(user, current, lockout)
    if _typed_matches(user, new):
        raise Invalid("新密码不能和现在的一样", code="password.unchanged", field="password")
    set_password(user, new)


def set_temporary(user: StaffUser, password: str) -> None:
    """A password made by `temporary_password` (random, so no policy to check), to be replaced by
    the person at their next sign-in."""
    user.password_hash = _hasher.hash(password)
    user.password_changed_at, user.must_change_password = dt.datetime.now(dt.UTC), True
    user.failed_logins, user.locked_until = 0, None


def reset_password(session: Session, user: StaffUser) -> str:
    """A temporary password, every session and API token of the user ended (a reset is what one
    does when an account may be in someone else's hands), the account unlocked."""
    password = temporary_password()
    set_temporary(user, password)
    sessions.end_all(session, user.id)
    revoke_tokens(session, user)
    return password


def disable(session: Session, user: StaffUser) -> None:
    """Out at once: sessions ended, tokens revoked; the account and its history stay."""
    if user.disabled_at is None:
        user.disabled_at = dt.datetime.now(dt.UTC)
    sessions.end_all(session, user.id)
    revoke_tokens(session, user)


def enable(user: StaffUser) -> None:
    user.disabled_at, user.failed_logins, user.locked_until = None, 0, None


def create_token(session: Session, user: StaffUser, label: str = "") -> str:
    token = "st_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=hash_secret(token), label=label))
    session.flush()
    return token


def authenticate_token(session: Session, token: str) -> Principal | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_secret(token)))
    if row is None or row.revoked_at is not None or row.user.disabled_at is not None:
        return None
    return principal(row.user)


def revoke_tokens(session: Session, user: StaffUser) -> int:
    now = dt.datetime.now(dt.UTC)
    rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = now
    return len(rows)
