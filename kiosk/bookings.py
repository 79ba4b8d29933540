"""Interview bookings this kiosk took, kept until the worker has been told how they went.

A booking made offline may find its slot taken by the time the hub sees it; the worker hears so
on their next visit to this kiosk. To know them again without keeping who they are, each record
carries a keyed hash of the ID number (HMAC-SHA256 under a random secret of this device's), and
is deleted once told or once its slot is over."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, Text, delete, insert, select

from sync.store import DeviceStore

_metadata = MetaData()
bookings = Table(
    "kiosk_bookings",
    _metadata,
    Column("n", Integer, primary_key=True),  # the booking event's number in the outbox
    Column("who", String, nullable=False, index=True),
    Column("slot", Text, nullable=False),
    Column("ends", Float, nullable=False),
)
secret_table = Table("kiosk_secret", _metadata, Column("id", Integer, primary_key=True), Column("key", String))

CONFIRMED, TAKEN, WAITING = "confirmed", "taken", "waiting"


class BookingLog:
    def __init__(self, store: DeviceStore) -> None:
        self.store = store
        _metadata.create_all(store.engine)
        with store.writing() as conn:
            key = conn.execute(select(secret_table.c.key)).scalar()
            if key is None:
                key = secrets.token_hex(32)
                conn.execute(insert(secret_table).values(id=1, key=key))
        self._key = bytes.fromhex(key)

    def who(self, id_number: str) -> str:
        return hmac.new(self._key, id_number.encode(), hashlib.sha256).hexdigest()

    def remember(self, conn: Connection, n: int, id_number: str, slot: dict) -> None:
        """In the booking's own transaction: the event and this record are written together."""
        conn.execute(
            insert(bookings).values(
                n=n, who=self.who(id_number), ends=float(slot["end"]), slot=json.dumps(slot, ensure_ascii=False)
            )
        )

    def news(self, id_number: str, now: float | None = None) -> list[dict]:
        """This worker's bookings from here, each with how it went (confirmed, taken with the
        hub's reason, or still waiting to be sent); taken ones and past ones are then forgotten."""
        now = now or time.time()
        who = self.who(id_number)
        with self.store.engine.connect() as conn:
            rows = list(conn.execute(select(bookings).where(bookings.c.who == who).order_by(bookings.c.n)))
        told, out = [], []
        for row in rows:
            result = self.store.outbox.result(row.n)
            status = WAITING if result is None else CONFIRMED if result["status"] == "applied" else TAKEN
            out.append(
                {"n": row.n, "status": status, "reason": (result or {}).get("reason", ""), "slot": json.loads(row.slot)}
            )
            if status == TAKEN or row.ends < now:
                told.append(row.n)
        self.forget(told)
        return out

    def forget(self, numbers: list[int]) -> None:
        if numbers:
            with self.store.writing() as conn:
                conn.execute(delete(bookings).where(bookings.c.n.in_(numbers)))

    def purge(self, now: float | None = None) -> None:
        """Records whose slot is over carry nothing anyone needs."""
        with self.store.writing() as conn:
            conn.execute(delete(bookings).where(bookings.c.ends < (now or time.time())))
