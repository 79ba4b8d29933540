"""Appending to the change log (the only way a change reaches devices) and reading it back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import event, func, insert, select, text, tuple_
from sqlalchemy.orm import Session

from wire.protocol import DELETE, PUT, digest

from .models import ChangeLog, FeedState
from .scope import Scope, View, parse

# Transactions that append to the change log take this lock first (PostgreSQL), so sequence
# numbers commit in order and a reader that has seen seq N has seen everything below N.
FEED_LOCK_KEY = 0x6C696E67
NOTIFY_CHANNEL = "lingong_feed"
# A change log row no device sees, written when the hub is restored from a backup (hub.backup):
# the sequence continues at `seq`, and a cursor between `after` (the backup's head) and `seq`
# belongs to a timeline the restore threw away (see hub.feed.cache.FeedCache.items).
RESTORED = "restored"
NOBODY = '{"s":null,"d":0}'  # a device's own document, and no device has id 0


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def epoch(value: dt.datetime | None) -> int | None:
    return int(value.timestamp()) if value is not None else None


@dataclass(frozen=True)
class Change:
    """One document as devices should now hold it: `doc` None means it is gone (a tombstone)."""

    kind: str
    entity_id: int
    scope: Scope
    doc: dict | None
    reason: str = ""


def _lock(session: Session) -> None:
    if session.info.get("feed_locked"):
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": FEED_LOCK_KEY})
        # Delivered at commit to every hub process listening (see hub.feed.cache).
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})
    # SQLite: the hub's write transactions begin IMMEDIATE, which serialises them already.
    # Kept with the transaction (or savepoint) it was taken in: see _given_back.
    session.info["feed_locked"] = session.get_nested_transaction() or session.get_transaction()


@event.listens_for(Session, "after_soft_rollback")
def _given_back(session: Session, rolled_back) -> None:
    """A savepoint rolled back gives back the lock and the notice taken inside it (an event's
    handler refused, an imported row refused): the next change in the transaction takes them again."""
    held = session.info.get("feed_locked")
    while held is not None:
        if held is rolled_back:
            session.info.pop("feed_locked", None)
            return
        held = held.parent


def lock(session: Session) -> None:
    """Takes the feed's lock for this transaction (before reading what the feed holds to decide
    whether to publish: another process may be publishing the same)."""
    _lock(session)


def _states(session: Session, keys: list[tuple[str, int]]) -> dict[tuple[str, int], FeedState]:
    found: dict[tuple[str, int], FeedState] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        stmt = select(FeedState).where(tuple_(FeedState.kind, FeedState.entity_id).in_(chunk))
        found.update({(s.kind, s.entity_id): s for s in session.scalars(stmt)})
    return found


def record(session: Session, changes: Sequence[Change]) -> None:
    """Appends the changes to the log and the feed state, in the caller's transaction."""
    if not changes:
        return
    _lock(session)
    states = _states(session, [(c.kind, c.entity_id) for c in changes])
    # Visible-to before each change, following earlier changes to the same document in this batch.
    current = {key: (s.op, s.scope) for key, s in states.items()}
    rows = []
    for c in changes:
        key = (c.kind, c.entity_id)
        before_op, before_scope = current.get(key, (None, None))
        op = PUT if c.doc is not None else DELETE
        doc = c.doc if c.doc is not None else {"id": c.entity_id, "reason": c.reason, **c.scope.tombstone_fields()}
        scope = c.scope.to_json()
        rows.append(
            dict(
                kind=c.kind,
                entity_id=c.entity_id,
                op=op,
                doc=dumps(doc),
                scope=scope,
                prev_scope=before_scope if before_op == PUT else None,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        current[key] = (op, scope)
    seqs = session.scalars(insert(ChangeLog).returning(ChangeLog.seq, sort_by_parameter_order=True), rows).all()
    for c, row, seq in zip(changes, rows, seqs):
        key = (c.kind, c.entity_id)
        state = states.get(key)
        if state is None:
            state = states[key] = FeedState(kind=c.kind, entity_id=c.entity_id)
            session.add(state)
        state.seq, state.op, state.doc, state.scope = seq, row["op"], row["doc"], row["scope"]
    session.flush()
    session.info["feed_changed"] = True


def mark_restored(session: Session, now: float) -> tuple[int, int]:
    """Continues the sequence after a restore, beyond every cursor a device can hold: those were
    all issued before now, by a hub that wrote fewer than a million changes a second since the
    backup (or since an earlier restore, whose marker was itself a clock reading). Returns the
    backup's head and the marker's sequence number."""
    after = head(session)
    seq = max(after + 1, int(now * 1_000_000))
    session.execute(
        insert(ChangeLog).values(
            seq=seq,
            kind=RESTORED,
            entity_id=0,
            op=DELETE,
            doc=dumps({"id": 0, "after": after}),
            scope=NOBODY,
            prev_scope=None,
            created_at=dt.datetime.fromtimestamp(now, dt.UTC),
        )
    )
    if session.get_bind().dialect.name == "postgresql":  # SQLite takes max(seq) + 1 by itself
        session.execute(text("SELECT setval(pg_get_serial_sequence('change_log', 'seq'), :s)"), {"s": seq})
    return after, seq


def restored_after(session: Session, cursor: int) -> dt.datetime | None:
    """When the hub was restored, if `cursor` was issued by a hub whose later changes that restore
    lost (it lies between the backup's head and the restore's marker, so the marker is the row
    after it: one index lookup); else None. Asked once per cursor in a session: a batch's events
    mostly carry the same cursor, and a restore is made with the hub stopped, never meanwhile."""
    known = session.info.setdefault("restored_after", {})
    if cursor not in known:
        known[cursor] = _restored_after(session, cursor)
    return known[cursor]


def _restored_after(session: Session, cursor: int) -> dt.datetime | None:
    row = session.execute(
        select(ChangeLog.kind, ChangeLog.doc, ChangeLog.created_at)
        .where(ChangeLog.seq > cursor)
        .order_by(ChangeLog.seq)
        .limit(1)
    ).first()
    if row is None or row.kind != RESTORED or json.loads(row.doc)["after"] >= cursor:
        return None
    return row.created_at


def head(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(ChangeLog.seq), 0))) or 0


def read_since(session: Session, since: int, limit: int | None = None) -> list[ChangeLog]:
    stmt = select(ChangeLog).where(ChangeLog.seq > since).order_by(ChangeLog.seq)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def read_latest(session: Session, count: int) -> list[ChangeLog]:
    rows = session.scalars(select(ChangeLog).order_by(ChangeLog.seq.desc()).limit(count)).all()
    return list(reversed(rows))


def consistent_reads(session: Session) -> None:
    """The reads that follow in this transaction all see one database state (PostgreSQL's
    default isolation gives each statement its own snapshot; SQLite's read transaction does not)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def live_documents(session: Session) -> list[tuple[str, int, str, str]]:
    """(kind, id, doc, scope) of every document a device may hold now (expiry is the reader's)."""
    rows = session.execute(
        select(FeedState.kind, FeedState.entity_id, FeedState.doc, FeedState.scope).where(FeedState.op == PUT)
    )
    return [tuple(r) for r in rows]


def view_digest(session: Session, view: View, now: float) -> str:
    """What `sync.store.DeviceStore.digest` must equal on a device with this view, once caught up."""
    rows = session.execute(
        select(FeedState.kind, FeedState.entity_id, FeedState.doc, FeedState.scope).where(FeedState.op == PUT)
    )
    return digest([(k, i, d) for k, i, d, s in rows if view.sees(k, parse(s))], now)
