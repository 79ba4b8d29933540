"""Console sessions kept on the hub: the cookie holds a random token, the database its hash and the
session's state. A session ends at logout, when its user is disabled, after the idle time and after
the absolute lifetime, whichever comes first; nothing the browser keeps can outlive that."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import StaffSession, StaffUser

PASSWORD, FULL = "password", "full"  # stages: the second factor still to come / signed in
PENDING = dt.timedelta(minutes=5)  # from the password to the second factor
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_seen_at is written at most this often


@dataclass(frozen=True)
class Lifetimes:
    idle: dt.timedelta
    absolute: dt.timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session, user: StaffUser, *, stage: str, address: str, lifetimes: Lifetimes, now: dt.datetime | None = None
) -> str:
    """A new session; returns the token for the cookie (only its hash is kept)."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    expires = now + (PENDING if stage == PASSWORD else lifetimes.absolute)
    session.add(
        StaffSession(
            token_hash=_hash(token),
            user_id=user.id,
            stage=stage,
            address=address[:45],
            created_at=now,
            last_seen_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return token


def find(session: Session, token: str, *, lifetimes: Lifetimes, now: dt.datetime | None = None) -> StaffSession | None:
    """The live session for this token, or None: unknown, ended, expired, idle too long, or its user
    disabled. Reads only (see `touch`), so most console requests write nothing."""
    if not token or len(token) > 100:
        return None
    now = now or dt.datetime.now(dt.UTC)
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    if row is None or row.ended_at is not None or row.user.disabled_at is not None:
        return None
    if now >= row.expires_at or now - row.last_seen_at > lifetimes.idle:
        return None
    return row


def stale(row: StaffSession, now: dt.datetime | None = None) -> bool:
    """Its last use is worth writing down (the idle clock restarts from it)."""
    return (now or dt.datetime.now(dt.UTC)) - row.last_seen_at >= TOUCH_EVERY


def touch(session: Session, session_id: int, now: dt.datetime | None = None) -> None:
    session.execute(
        update(StaffSession)
        .where(StaffSession.id == session_id, StaffSession.ended_at.is_(None))
        .values(last_seen_at=now or dt.datetime.now(dt.UTC))
    )


def promote(row: StaffSession, lifetimes: Lifetimes, now: dt.datetime | None = None) -> None:
    """The second factor matched: a full session from now on."""
    now = now or dt.datetime.now(dt.UTC)
    row.stage, row.last_seen_at, row.expires_at = FULL, now, now + lifetimes.absolute


def end(session: Session, token: str, now: dt.datetime | None = None) -> None:
    row = session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    if row is not None and row.ended_at is None:
        row.ended_at = now or dt.datetime.now(dt.UTC)


def end_all(session: Session, user_id: int, *, keep: int | None = None, now: dt.datetime | None = None) -> int:
    """Ends every live session of a user (but `keep`): disabled, password changed or reset."""
    stmt = update(StaffSession).where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(StaffSession.id != keep)
    return session.execute(stmt.values(ended_at=now or dt.datetime.now(dt.UTC))).rowcount or 0
