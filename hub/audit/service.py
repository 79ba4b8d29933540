"""Writing audit entries, searching them, and dropping those past the retention period."""

from __future__ import annotations

import datetime as dt
import getpass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.staff.service import Principal

from .models import MIN_RETENTION_DAYS, AuditEntry

PAGE = 100


def record(
    session: Session,
    action: str,
    *,
    by: Principal | None = None,
    actor: str = "",
    via: str = "console",
    address: str = "",
    target: str = "",
    station_id: int | None = None,
    outcome: int = 0,
    detail: dict | None = None,
) -> None:
    """One entry, in the caller's transaction (so it commits with the action or not at all)."""
    session.add(
        AuditEntry(
            actor_id=by.user_id if by else None,
            actor=(by.name if by else actor)[:60],
            via=via,
            address=address[:45],
            action=action[:40],
            target=target[:80],
            station_id=station_id,
            outcome=outcome,
            detail=detail or {},
        )
    )


def record_cli(
    session: Session, action: str, *, target: str = "", station_id: int | None = None, detail: dict | None = None
) -> None:
    """An administrative command run on the hub's own machine, by whoever is logged in there."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    record(session, action, actor=f"cli:{who}", via="cli", target=target, station_id=station_id, detail=detail)


def search(
    session: Session,
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    station_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    before_id: int | None = None,
    limit: int = PAGE,
) -> list[AuditEntry]:
    """Newest first; `action` matches a prefix ("posting." finds every posting action)."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action, autoescape=True))
    if target:
        stmt = stmt.where(AuditEntry.target.contains(target, autoescape=True))
    if station_id is not None:
        stmt = stmt.where(AuditEntry.station_id == station_id)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.scalars(stmt))


def purge(session: Session, days: int, now: dt.datetime | None = None) -> int:
    """Entries older than `days` (never fewer than the legal floor: the database refuses those)."""
    days = max(days, MIN_RETENTION_DAYS)
    cutoff = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=days + 1)  # a day's margin for the guard
    return session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff)).rowcount or 0
