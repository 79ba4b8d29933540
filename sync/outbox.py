"""The outbox: events numbered by the device, sealed where they carry personal data, kept until acknowledged
(and for two weeks after, in case the hub is restored from a backup that lacks them)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Table, delete, func, insert, literal, select, update

from floor.idnumber import ID_IN_TEXT
from floor.phone import MOBILE_IN_TEXT
from wire import sealed
from wire.events import SEALED, Person

log = logging.getLogger(__name__)
# As long as the hub's backups are kept (deploy/lingong-backup.service: the newest 14 daily archives):
# a hub restored from one of them gets back what a device had acknowledged in the 14 days before
# (counted from each acknowledgement; an archive older than that, restored later, misses the rest).
KEEP_SENT_S = 14 * 86400
KEEP_SENT_MIN = 2000  # kept whatever their age: a few days of a busy kiosk's events, a few MB


class Holder(Protocol):
    """What the outbox needs of the store that holds it (sync.store.DeviceStore), named here so
    that the two modules do not import each other."""

    engine: Engine
    outbox: Outbox
    clock: Callable[[], float]
    writing: Callable[[], AbstractContextManager[Connection]]
    enrollment: Callable[[], Any]


def _dumps(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


class PersonalDataInClear(ValueError):
    """An event body about to be queued carries an ID number or a phone outside the sealed part."""


class UserAction:
    """The transaction of one user action; `emit` queues an event inside it."""

    def __init__(self, store: Holder, conn: Connection):
        self.store = store
        self.conn = conn
        self.emitted: list[int] = []
        self.uids: list[str] = []

    def emit(self, kind: str, body: Mapping[str, Any], *, person: Person | None = None) -> int:
        """Queues an event and returns its number. `person` (ID number, name, phone) is sealed to
        the hub's public key here, bound to this device, kind and number, before anything reaches
        the disk (the row is numbered first, in this same transaction, and filled in then)."""
        text = _dumps(body)
        if ID_IN_TEXT.search(text) or MOBILE_IN_TEXT.search(text):
            raise PersonalDataInClear(f"{kind} event carries an ID number or phone in clear; pass it as person=")
        uid = uuid.uuid4().hex
        table = self.store.outbox.table
        n = self.conn.execute(
            insert(table).values(uid=uid, kind=kind, at=self.store.clock(), body=text if person is None else "{}")
        ).inserted_primary_key[0]
        if person is not None:
            enrollment = self.store.enrollment()
            person_box = sealed.seal(
                enrollment.hub_public_key, person, sealed.event_context(enrollment.device_id, kind, n)
            )
            self.conn.execute(update(table).where(table.c.n == n).values(body=_dumps({**body, SEALED: person_box})))
        self.emitted.append(n)
        self.uids.append(uid)
        return n


class Outbox:
    """Reading and acknowledging queued events (the sync agent's side of the outbox)."""

    def __init__(self, store: Holder, table: Table, results: Table, sent: Table):
        self.store = store
        self.table = table
        self.results = results
        self.sent = sent

    def pending(self, limit: int = 200) -> list[dict]:
        stmt = select(self.table).order_by(self.table.c.n).limit(limit)
        with self.store.engine.connect() as conn:
            return [
                {"n": r.n, "uid": r.uid, "kind": r.kind, "at": r.at, "body": json.loads(r.body)}
                for r in conn.execute(stmt)
            ]

    def count(self) -> int:
        with self.store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self.table)).scalar() or 0

    def acknowledge(self, applied_through: int, results: list[dict]) -> None:
        """Moves what the hub has applied to the sent events and remembers its answers (a rejection,
        a code); sent events older than KEEP_SENT_S go."""
        now = self.store.clock()
        t, done = self.table, self.table.c.n <= applied_through
        with self.store.writing() as conn:
            fields = [c.name for c in t.c]  # the event as queued: `sent` adds only when it was acknowledged
            conn.execute(insert(self.sent).from_select([*fields, "acked_at"], select(*t.c, literal(now)).where(done)))
            conn.execute(delete(t).where(done))
            # By age, but never the newest KEEP_SENT_MIN: a clock that jumped forward must not
            # empty the table at the next acknowledgement.
            newest = conn.execute(select(func.max(self.sent.c.n))).scalar() or 0
            conn.execute(
                delete(self.sent).where(
                    self.sent.c.acked_at < now - KEEP_SENT_S, self.sent.c.n <= newest - KEEP_SENT_MIN
                )
            )
            # The hub's answers go by the same rule (a booking's is read at the worker's next visit,
            # within days): without it they were the one table that grew for ever.
            r = self.results.c
            conn.execute(delete(self.results).where(r.at < now - KEEP_SENT_S, r.n <= newest - KEEP_SENT_MIN))
            rows = [
                {
                    "n": r["n"],
                    "kind": r.get("kind", ""),
                    "status": r["status"],
                    "reason": r.get("reason", ""),
                    "ref": r.get("ref", ""),
                    "at": now,
                }
                for r in results
                if r["status"] != "duplicate"
            ]
            if rows:
                conn.execute(insert(self.results).prefix_with("OR REPLACE"), rows)

    def acked_through(self) -> int | None:
        """The highest number the hub has acknowledged (of those kept), sent with every batch."""
        with self.store.engine.connect() as conn:
            return conn.execute(select(func.max(self.sent.c.n))).scalar()

    def resend_after(self, hub_has: int) -> int:
        """The hub holds this device's events up to `hub_has` only (restored from a backup older
        than its acknowledgements): the kept events after it go back to the outbox, in their
        order and with their numbers, so the hub applies each once. Returns how many."""
        s = self.sent
        with self.store.writing() as conn:
            rows = conn.execute(select(*(s.c[c.name] for c in self.table.c)).where(s.c.n > hub_has)).all()
            if rows:
                conn.execute(insert(self.table), [dict(r._mapping) for r in rows])
                conn.execute(delete(s).where(s.c.n > hub_has))
        if rows:
            lost = min(r.n for r in rows) - hub_has - 1  # acknowledged before what is kept
            log.warning(
                "the hub lacks %d acknowledged event(s) (restored from a backup?): sending them again%s",
                len(rows),
                f"; {lost} acknowledged earlier were no longer kept" if lost > 0 else "",
            )
        return len(rows)

    def result(self, n: int) -> dict | None:
        with self.store.engine.connect() as conn:
            row = conn.execute(select(self.results).where(self.results.c.n == n)).first()
        return dict(row._mapping) if row is not None else None
