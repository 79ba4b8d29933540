"""The hub's database: engine set-up for SQLite (WAL) and PostgreSQL, sessions, column types."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Engine, Enum, Integer, create_engine
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from floor import sqlite

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a real bigint.
BigIntPK = BigInteger().with_variant(Integer, "sqlite")
JSONType = JSON().with_variant(JSONB(), "postgresql")


def str_enum(cls: type[enum.StrEnum]) -> Enum:
    """A portable enum column that stores the members' values (a VARCHAR with a CHECK)."""
    return Enum(
        cls,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        create_constraint=True,
        name=cls.__name__.lower(),
    )


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, whatever the database keeps (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar = {dt.datetime: UTCDateTime()}


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine with the pragmas and transaction behaviour the hub relies on."""
    if url.startswith("sqlite"):
        return sqlite.engine(url, synchronous="FULL", pool_size=pool_size)
    # hide_parameters: an error's text (and so a traceback in a log) never quotes a statement's values.
    return create_engine(url, pool_size=pool_size, max_overflow=20, pool_pre_ping=True, hide_parameters=True)


def insert_ignore(session: Session, table, values: dict, *, returning=None):
    """INSERT that quietly does nothing when a unique key exists already (both databases); with
    `returning` (a column), that column of the row inserted, or None when nothing was. `values` are
    plain values keyed by column name, passed with the statement (not SQL expressions; a key that
    names no column is ignored, as execution parameters are)."""
    statement = _insert_ignore(session.get_bind().dialect.name, table, returning)
    result = session.execute(statement, values)
    return None if returning is None else result.scalar()


@functools.cache
def _insert_ignore(dialect: str, table, returning):
    """The statement, made once for each table: an event's intake makes one or two, and building
    them afresh each time was a sixth of its CPU (cProfile, 1,000 events on PostgreSQL)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).on_conflict_do_nothing()
    return statement if returning is None else statement.returning(returning)


class Database:
    """One per process: the engine, and sessions whose commit can wake the change feed."""

    def __init__(self, url: str, *, pool_size: int = 10):
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._after_change: list[Callable[[], None]] = []

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def on_feed_change(self, callback: Callable[[], None]) -> None:
        """Call `callback` after any transaction that appended to the change log commits."""
        self._after_change.append(callback)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
        finally:
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any exception."""
        session = self._factory()
        session.connection(execution_options={"write": True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            changed = session.info.pop("feed_changed", False)
            session.close()
        if changed:
            for callback in self._after_change:
                callback()

    def dispose(self) -> None:
        self.engine.dispose()
