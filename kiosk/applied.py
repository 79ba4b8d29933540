"""Applications this kiosk took, kept until the worker hears whether the job was still there.

An application made offline may reach the hub after its posting was filled, closed or ran out;
the hub keeps it for the station's staff (posting_ended) and says so in its answer. The worker hears
it at their next card here. Records are known by the same keyed hash of the ID number as the
booking records (kiosk.bookings), carry the job's title only, and go once told, once the hub took
the application as usual, or after RETAIN_S."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, delete, insert, select

from sync.store import DeviceStore
from wire.protocol import POSTING_ENDED

RETAIN_S = 30 * 86400  # a worker not back within a month has heard from the station by then

_metadata = MetaData()
applied = Table(
    "kiosk_applied",
    _metadata,
    Column("n", Integer, primary_key=True),  # the application event's number in the outbox
    Column("who", String, nullable=False, index=True),
    Column("title", String, nullable=False),
    Column("at", Float, nullable=False),
)


class AppliedLog:
    def __init__(self, store: DeviceStore, who: Callable[[str], str]) -> None:
        self.store = store
        self.who = who
        _metadata.create_all(store.engine)

    def remember(self, conn: Connection, n: int, id_number: str, title: str) -> None:
        """In the application's own transaction: the event and this record are written together."""
        conn.execute(insert(applied).values(n=n, who=self.who(id_number), title=title, at=self.store.clock()))

    def ended(self, id_number: str) -> list[str]:
        """Titles of this worker's applications from here that arrived after their job had ended;
        those and every other the hub has answered are then forgotten (still waiting ones stay)."""
        with self.store.engine.connect() as conn:
            rows = list(conn.execute(select(applied).where(applied.c.who == self.who(id_number)).order_by(applied.c.n)))
        answered = [(row, self.store.outbox.result(row.n)) for row in rows]
        answered = [(row, result) for row, result in answered if result is not None]
        self._forget([row.n for row, _result in answered])
        return [row.title for row, r in answered if r["status"] == "applied" and r["reason"] == POSTING_ENDED]

    def purge(self) -> None:
        with self.store.writing() as conn:
            conn.execute(delete(applied).where(applied.c.at < self.store.clock() - RETAIN_S))

    def _forget(self, numbers: list[int]) -> None:
        if numbers:
            with self.store.writing() as conn:
                conn.execute(delete(applied).where(applied.c.n.in_(numbers)))
