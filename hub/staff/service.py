"""Staff users: creation, passwords (Argon2id), API tokens, and what each principal may touch."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.devices.service import hash_secret
from hub.errors import Conflict, Forbidden, Invalid
from hub.stations.models import Station

from .models import ApiToken, Role, StaffUser

_hasher = PasswordHasher()
MIN_PASSWORD = 10


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
            raise Forbidden("this station is not yours")

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("administrators only")


def principal(user: StaffUser) -> Principal:
    return Principal(user.id, user.name, user.role, user.station_ids)


def create_user(session: Session, name: str, role: Role, password: str | None,
                station_ids: list[int] = ()) -> StaffUser:
    if session.scalar(select(StaffUser).where(StaffUser.name == name)):
        raise Conflict(f"a staff user named {name!r} exists already", field="name")
    stations = [session.get(Station, sid) for sid in station_ids]
    if any(s is None for s in stations):
        raise Invalid("unknown station", field="station_ids")
    user = StaffUser(name=name, role=role, stations=stations)
    if password is not None:
        set_password(user, password)
    session.add(user)
    session.flush()
    return user


def set_password(user: StaffUser, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters", field="password")
    user.password_hash = _hasher.hash(password)


def check_password(session: Session, name: str, password: str) -> StaffUser | None:
    user = session.scalar(select(StaffUser).where(StaffUser.name == name))
    if user is None or user.disabled_at is not None or not user.password_hash:
        _hasher.hash(password)  # same work either way: no timing hint that the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


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


def revoke_tokens(session: Session, user: StaffUser) -> None:
    now = dt.datetime.now(dt.UTC)
    for row in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))):
        row.revoked_at = now
