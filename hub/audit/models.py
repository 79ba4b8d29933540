"""Audit entries: appended by the hub, never changed; purged only after the retention period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import Base, BigIntPK, JSONType, utcnow

# The database refuses to change an entry, and to delete one younger than this (the legal floor
# for 等保 2.0 audit records: six months); the configured retention may only be longer.
MIN_RETENTION_DAYS = 180


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_actor_at", "actor", "at"),
        Index("ix_audit_log_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Who: a staff user's id and name as they were (no foreign key: the trail outlives the user),
    # or "cli:<os user>" for commands on the hub machine, "system" for the hub's own sweeps.
    actor_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(60))
    via: Mapped[str] = mapped_column(String(10))  # console | token | cli | system | public
    address: Mapped[str] = mapped_column(String(45), default="")  # the client, as the hub sees it
    action: Mapped[str] = mapped_column(String(40))  # e.g. posting.publish, signin.failed
    target: Mapped[str] = mapped_column(String(80), default="")  # e.g. posting_id=12
    station_id: Mapped[int | None]
    outcome: Mapped[int] = mapped_column(default=0)  # the HTTP status the action answered with
    # What changed, by field name, never a worker's name, phone or ID number.
    detail: Mapped[dict] = mapped_column(JSONType, default=dict)
