"""The device store: what this device holds from the hub, its cursor and its outbox, in one SQLite file."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
)

from floor import sqlite
from wire import protocol
from wire.documents import PostingDoc

from .errors import NotEnrolled
from .outbox import Outbox, UserAction

SCHEMA_VERSION = 1
FILE_NAME = "device.db"

metadata = MetaData()
meta = Table("meta", metadata, Column("key", String, primary_key=True), Column("value", Text, nullable=False))
docs = Table(
    "docs",
    metadata,
    Column("kind", String, primary_key=True),
    Column("id", Integer, primary_key=True),
    Column("doc", Text, nullable=False),
)
# Postings get columns of their own: matching and walls filter and sort on them.
postings = Table(
    "postings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trade", Integer),
    Column("category", Integer),
    Column("employer", Integer),
    Column("urgent", Boolean),
    Column("start", String),
    Column("valid_from", Integer),
    Column("valid_to", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("pay_min", Integer),
    Column("pay_max", Integer),
    Column("unit", String),
    Column("settle", String),
    Column("age_min", Integer),
    Column("age_max", Integer),
    Column("stations", Text),
    Column("doc", Text, nullable=False),
    Index("ix_postings_trade", "trade"),
    Index("ix_postings_valid_to", "valid_to"),
)


def _event() -> list[Column]:
    """A queued event, as the outbox holds it and `sent` keeps it once acknowledged."""
    return [
        Column("uid", String, nullable=False),
        Column("kind", String, nullable=False),
        Column("at", Float, nullable=False),
        Column("body", Text, nullable=False),
    ]


outbox = Table(
    "outbox",
    metadata,
    Column("n", Integer, primary_key=True, autoincrement=True),
    *_event(),
    sqlite_autoincrement=True,  # numbers are never reused, even after rows are dropped
)
# Events the hub has acknowledged, kept (sealed as queued) for KEEP_SENT_S: a hub restored from an
# older backup has lost them, says so (its number for this device is lower), and they go again.
sent = Table(
    "sent",
    metadata,
    Column("n", Integer, primary_key=True),
    *_event(),
    Column("acked_at", Float, nullable=False),
)
event_results = Table(
    "event_results",
    metadata,
    Column("n", Integer, primary_key=True),
    Column("kind", String),
    Column("status", String),
    Column("reason", Text),
    Column("ref", String),
    Column("at", Float),
)


@dataclass(frozen=True)
class _Positional:
    """An INSERT compiled once to SQLite's positional form, with its parameter order."""

    sql: str
    keys: tuple[str, ...]

    def executemany(self, conn: sqlite3.Connection, rows: list[dict]) -> None:
        if rows:
            conn.executemany(self.sql, [tuple(row[k] for k in self.keys) for row in rows])


def _positional(stmt, engine) -> _Positional:
    compiled = stmt.compile(dialect=engine.dialect, column_keys=[c.key for c in stmt.table.columns])
    return _Positional(compiled.string, tuple(compiled.positiontup))


def _dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _posting_row(doc: PostingDoc) -> dict:
    """The postings table's row: the columns matching and expiry read, and the whole document."""
    return {
        "id": doc["id"],
        "trade": doc.get("trade"),
        "category": doc.get("category"),
        "employer": doc.get("employer"),
        "urgent": bool(doc.get("urgent")),
        "start": doc.get("start"),
        "valid_from": doc.get("from"),
        "valid_to": doc.get("to"),
        "lat": doc.get("lat"),
        "lon": doc.get("lon"),
        "pay_min": doc.get("pay_min"),
        "pay_max": doc.get("pay_max"),
        "unit": doc.get("unit"),
        "settle": doc.get("settle"),
        "age_min": doc.get("age_min"),
        "age_max": doc.get("age_max"),
        "stations": _dumps(doc["stations"]) if doc.get("stations") is not None else None,
        "doc": _dumps(doc),
    }


@dataclass(frozen=True)
class Enrollment:
    hub_url: str
    device_id: int
    token: str
    kind: str
    station_id: int
    hub_public_key: str
    public_url: str = ""
    update_key: str = ""  # the Ed25519 key releases must be signed with (device/update); "" for none


class DeviceStore:
    """Feed batches commit whole or not at all (WAL); a user action and its outbox rows commit
    together and reach the disk before the call returns (synchronous=FULL for that commit)."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.clock = clock  # the device's own clock (lingong bench van runs it through simulated days)
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.engine = sqlite.engine(f"sqlite:///{self.path}", synchronous="NORMAL", pool_size=4)
        metadata.create_all(self.engine)
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.path.chmod(0o600)
        self.outbox_changed = threading.Event()
        self.outbox = Outbox(self, outbox, event_results, sent)
        self._cursor: int | None = None  # this object is the store's only writer: cache it
        self._cursor_known = False
        self._upsert_posting = _positional(insert(postings).prefix_with("OR REPLACE"), self.engine)
        self._upsert_doc = _positional(insert(docs).prefix_with("OR REPLACE"), self.engine)
        self._upsert_meta = _positional(insert(meta).prefix_with("OR REPLACE"), self.engine)

    @classmethod
    def in_home(cls, home: Path, *, clock: Callable[[], float] = time.time) -> DeviceStore:
        return cls(Path(home) / FILE_NAME, clock=clock)

    def close(self) -> None:
        self.engine.dispose()

    # ---- transactions --------------------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _driver_writing(self) -> Iterator[sqlite3.Connection]:
        """The feed's hot path: one transaction on the pooled driver connection, running SQL
        compiled once from the tables above. A kiosk applies a batch per change on every
        device, and SQLAlchemy's per-statement machinery cost more than SQLite's work here."""
        pooled = self.engine.raw_connection()
        conn = pooled.driver_connection
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        finally:
            pooled.close()

    def _write_meta(self, conn: sqlite3.Connection, **values: object) -> None:
        self._upsert_meta.executemany(conn, [{"key": k, "value": str(v)} for k, v in values.items()])
        if "cursor" in values:
            self._cursor, self._cursor_known = int(values["cursor"]), True

    @contextmanager
    def user_action(self) -> Iterator[UserAction]:
        """A worker's action: its local writes and outbox events in one durable transaction."""
        with self.engine.connect() as conn:
            # Set on the driver connection: SQLite refuses it inside a transaction, and
            # SQLAlchemy would begin one for any statement it runs itself.
            raw = conn.connection.dbapi_connection
            raw.execute("PRAGMA synchronous=FULL")
            action = UserAction(self, conn)
            try:
                with conn.execution_options(write=True).begin():
                    yield action
            finally:
                raw.execute("PRAGMA synchronous=NORMAL")
        if action.emitted:
            self.outbox_changed.set()

    # ---- enrollment and cursor --------------------------------------------------------------------
    def save_enrollment(self, e: Enrollment, event_base: int) -> None:
        with self._driver_writing() as conn:
            before = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('hub_url', 'device_id')").fetchall())
            self._write_meta(
                conn,
                hub_url=e.hub_url,
                device_id=e.device_id,
                token=e.token,
                kind=e.kind,
                station_id=e.station_id,
                hub_public_key=e.hub_public_key,
                public_url=e.public_url or e.hub_url,
                update_key=e.update_key,
            )
            self._drop_cursor(conn)
            # What an earlier enrollment acknowledged is never sent under another identity; the same
            # device enrolled again at the same hub (a token reissued after a restore) keeps it.
            if (before.get("hub_url"), before.get("device_id")) != (e.hub_url, str(e.device_id)):
                conn.execute("DELETE FROM sent")
            # Number the next event above anything the hub has seen from this device.
            row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
            conn.execute("DELETE FROM sqlite_sequence WHERE name = 'outbox'")
            conn.execute(
                "INSERT INTO sqlite_sequence(name, seq) VALUES ('outbox', ?)", (max(row[0] if row else 0, event_base),)
            )

    def _drop_cursor(self, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM meta WHERE key = 'cursor'")
        self._cursor, self._cursor_known = None, True

    def enrollment(self) -> Enrollment:
        with self.engine.connect() as conn:
            m = {key: value for key, value in conn.execute(select(meta.c.key, meta.c.value))}
        if "token" not in m:
            raise NotEnrolled(f"{self.path} holds no enrollment; run `lingong enroll --hub URL --code CODE`")
        return Enrollment(
            m["hub_url"],
            int(m["device_id"]),
            m["token"],
            m["kind"],
            int(m["station_id"]),
            m["hub_public_key"],
            m.get("public_url", m["hub_url"]),
            m.get("update_key", ""),
        )

    @property
    def cursor(self) -> int | None:
        if not self._cursor_known:
            with self.engine.connect() as conn:
                value = conn.execute(select(meta.c.value).where(meta.c.key == "cursor")).scalar()
            self._cursor, self._cursor_known = (int(value) if value is not None else None), True
        return self._cursor

    def advance_cursor(self, cursor: int) -> None:
        with self._driver_writing() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'cursor'").fetchone()
            if row is not None and int(row[0]) < cursor:
                self._write_meta(conn, cursor=cursor, last_sync_ok=self.clock())

    def forget_cursor(self) -> None:
        """The next sync takes a fresh snapshot."""
        with self._driver_writing() as conn:
            self._drop_cursor(conn)

    # ---- applying what the hub sends ------------------------------------------------------------------
    def replace_all(self, cursor: int, documents: Iterable[tuple[str, dict]]) -> int:
        """A snapshot: everything held is replaced in one transaction."""
        rows: list[dict] = []
        other: list[dict] = []
        for kind, doc in documents:
            if kind == "posting":
                rows.append(_posting_row(doc))
            else:
                other.append({"kind": kind, "id": doc["id"], "doc": _dumps(doc)})
        with self._driver_writing() as conn:
            conn.execute("DELETE FROM postings")
            conn.execute("DELETE FROM docs")
            self._upsert_posting.executemany(conn, rows)
            self._upsert_doc.executemany(conn, other)
            self._write_meta(conn, cursor=cursor, last_sync_ok=self.clock())
        return len(rows) + len(other)

    def apply_changes(self, cursor: int, changes: list[dict]) -> None:
        """A feed batch: applied whole, with its cursor, or not at all."""
        latest: dict[tuple[str, int], dict] = {}
        for change in changes:  # the last change to a document decides its state
            latest[(change["k"], change["id"])] = change
        put_postings, put_docs, del_postings, del_docs = [], [], [], []
        for (kind, ident), change in latest.items():
            if change["op"] == protocol.PUT:
                if kind == "posting":
                    put_postings.append(_posting_row(change["d"]))
                else:
                    put_docs.append({"kind": kind, "id": ident, "doc": _dumps(change["d"])})
            elif kind == "posting":
                del_postings.append((ident,))
            else:
                del_docs.append((kind, ident))
        with self._driver_writing() as conn:
            self._upsert_posting.executemany(conn, put_postings)
            self._upsert_doc.executemany(conn, put_docs)
            if del_postings:
                conn.executemany("DELETE FROM postings WHERE id = ?", del_postings)
            if del_docs:
                conn.executemany("DELETE FROM docs WHERE kind = ? AND id = ?", del_docs)
            self._write_meta(conn, cursor=cursor, last_sync_ok=self.clock())

    def mark_sync_ok(self) -> None:
        with self._driver_writing() as conn:
            self._write_meta(conn, last_sync_ok=self.clock())

    # ---- reading -------------------------------------------------------------------------------
    def last_sync_ok(self) -> float | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(meta.c.value).where(meta.c.key == "last_sync_ok")).scalar()
        return float(value) if value is not None else None

    def live_postings(self, now: float | None = None) -> list[dict]:
        """Postings in their validity window now (expiry is checked here, offline too)."""
        now = self.clock() if now is None else now
        stmt = select(postings.c.doc).where(postings.c.valid_to > now, postings.c.valid_from <= now)
        with self.engine.connect() as conn:
            return [json.loads(d) for d in conn.execute(stmt).scalars()]

    def posting_ids(self, now: float | None = None) -> list[int]:
        now = self.clock() if now is None else now
        stmt = select(postings.c.id).where(postings.c.valid_to > now, postings.c.valid_from <= now)
        with self.engine.connect() as conn:
            return list(conn.execute(stmt).scalars())

    def posting(self, posting_id: int) -> dict | None:
        with self.engine.connect() as conn:
            doc = conn.execute(select(postings.c.doc).where(postings.c.id == posting_id)).scalar()
        return json.loads(doc) if doc is not None else None

    def docs(self, kind: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(docs.c.doc).where(docs.c.kind == kind).order_by(docs.c.id)).scalars()
            return [json.loads(d) for d in rows]

    def doc(self, kind: str, ident: int) -> dict | None:
        with self.engine.connect() as conn:
            doc = conn.execute(select(docs.c.doc).where(docs.c.kind == kind, docs.c.id == ident)).scalar()
        return json.loads(doc) if doc is not None else None

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            out = {kind: n for kind, n in conn.exec_driver_sql("SELECT kind, count(*) FROM docs GROUP BY kind")}
            out["posting"] = conn.exec_driver_sql("SELECT count(*) FROM postings").scalar()
        return out

    def digest(self, now: float | None = None) -> str:
        """A hash of every live document held, comparable with the hub's digest for this device."""
        with self.engine.connect() as conn:
            rows = list(conn.execute(select(docs.c.kind, docs.c.id, docs.c.doc)))
            rows += [("posting", i, d) for i, d in conn.execute(select(postings.c.id, postings.c.doc))]
        return protocol.digest(rows, self.clock() if now is None else now)
