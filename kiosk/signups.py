"""Seats this kiosk asked for (a course's, a bus's), kept until the worker has heard whether they got one.

A sign-up made offline may find the course or bus full (or closed) by the time the hub sees it; the
worker hears so at their next card here, as with a booking, or on the receipt while still there.
Records are known by the kiosk's keyed hash of the ID number (kiosk.bookings), carry the offering's
title only, and go once the hub has answered and the worker was told, or after RETAIN_S."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, delete, insert, select

from sync.store import DeviceStore

RETAIN_S = 30 * 86400  # sign-ups close within weeks; a worker not back by then has been called

_metadata = MetaData()
signups = Table(
    "kiosk_signups",
    _metadata,
    Column("n", Integer, primary_key=True),  # the sign-up event's number in the outbox
    Column("who", String, nullable=False, index=True),
    Column("title", String, nullable=False),
    Column("at", Float, nullable=False),
)


class SignupLog:
    def __init__(self, store: DeviceStore, who: Callable[[str], str]) -> None:
        self.store = store
        self.who = who
        _metadata.create_all(store.engine)

    def remember(self, conn: Connection, n: int, id_number: str, title: str) -> None:
        """In the sign-up's own transaction: the event and this record are written together."""
        conn.execute(insert(signups).values(n=n, who=self.who(id_number), title=title, at=self.store.clock()))

    def answered(self, id_number: str) -> list[tuple[str, str, str]]:
        """(title, status, the hub's reason) of this worker's sign-ups from here that the hub has
        answered — a seat given as well as one refused: the receipt asked them to come back and see;
        every answered record is then forgotten (those still waiting to be sent stay)."""
        with self.store.engine.connect() as conn:
            rows = list(conn.execute(select(signups).where(signups.c.who == self.who(id_number)).order_by(signups.c.n)))
        answered = [(row, self.store.outbox.result(row.n)) for row in rows]
        answered = [(row, result) for row, result in answered if result is not None]
        numbers = [row.n for row, _result in answered]
        if numbers:
            with self.store.writing() as conn:
                conn.execute(delete(signups).where(signups.c.n.in_(numbers)))
        return [(row.title, r["status"], r.get("reason", "")) for row, r in answered]

    def answer(self, n: int) -> dict | None:
        """The hub's answer to sign-up `n` once there is one; the record then goes (the worker, still at
        the receipt, is told there and need not hear it again at their next card)."""
        result = self.store.outbox.result(n)
        if result is not None:
            with self.store.writing() as conn:
                conn.execute(delete(signups).where(signups.c.n == n))
        return result

    def purge(self) -> None:
        with self.store.writing() as conn:
            conn.execute(delete(signups).where(signups.c.at < self.store.clock() - RETAIN_S))
