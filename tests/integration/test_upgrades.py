"""Upgrades: a database at the oldest schema, with a hub's rows in it, brought to the head intact; and
a hub told not to migrate at start (LINGONG_MIGRATE_ON_START=false) that refuses a schema behind."""

import json
import os

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from hub import admin, migrate
from hub.db import make_engine
from hub.postings.models import Posting
from hub.postings.service import posting_doc
from hub.settings import Settings
from lingong import cli

OLDEST = "0001"  # the first revision; every later one upgrades from it


@pytest.fixture
def db_url(sqlite_url):
    return sqlite_url


def _rows(engine, table: sa.Table, columns: list[str]) -> list[dict]:
    with engine.connect() as conn:
        key = list(table.primary_key.columns) or [table.c[columns[0]]]
        return [dict(r._mapping) for r in conn.execute(sa.select(*(table.c[c] for c in columns)).order_by(*key))]


def test_a_database_at_the_oldest_schema_upgrades_with_its_rows_and_their_meaning(tmp_path):
    # The rows: a seeded hub's, written at the head, then put into a database at 0001 (only the
    # columns 0001 has), as a hub of that version would have held them.
    settings = Settings(home=tmp_path / "today", database_url=f"sqlite:///{tmp_path / 'today.db'}")
    admin.seed_hub(settings, 12, 7)
    today = make_engine(settings.db_url, pool_size=1)
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}", pool_size=1)
    try:
        with today.begin() as conn:  # a closed and a full posting among the open ones
            conn.execute(sa.text("UPDATE postings SET status = 'closed' WHERE id = 1"))
            conn.execute(sa.text("UPDATE postings SET status = 'full' WHERE id = 2"))
        command.upgrade(migrate.config(old), OLDEST)
        at_oldest = sa.MetaData()
        at_oldest.reflect(old)
        now_meta = sa.MetaData()
        now_meta.reflect(today)
        kept: dict[str, list[str]] = {}
        with old.begin() as conn:
            for table in at_oldest.sorted_tables:
                if table.name == "alembic_version" or table.name not in now_meta.tables:
                    continue
                columns = [c.name for c in table.columns if c.name in now_meta.tables[table.name].columns]
                rows = _rows(today, now_meta.tables[table.name], columns)
                if table.name == "devices":  # what a 0001 device could hold that 0006 takes away
                    for row in rows:
                        config = json.loads(row["config"]) if isinstance(row["config"], str) else row["config"]
                        row["config"] = {**config, "browser_command": "chromium --kiosk", "reader": "/dev/../x"}
                if rows:
                    conn.execute(table.insert(), rows)
                kept[table.name] = columns
        assert sum(1 for name in kept if _rows(old, at_oldest.tables[name], kept[name])) >= 8

        migrate.upgrade(old, tmp_path)
        assert migrate.is_current(old)

        # Read back: every row, every column 0001 had, as it was (the devices' settings aside).
        upgraded = sa.MetaData()
        upgraded.reflect(old)
        for name, columns in kept.items():
            if name == "devices":
                columns = [c for c in columns if c != "config"]
            assert _rows(old, upgraded.tables[name], columns) == _rows(today, now_meta.tables[name], columns), name
        # Their meaning: the hub reads the postings as the same documents devices receive ...
        with Session(today) as a, Session(old) as b:
            docs_a = {p.id: posting_doc(p) for p in a.scalars(sa.select(Posting))}
            docs_b = {p.id: posting_doc(p) for p in b.scalars(sa.select(Posting))}
            # 不收费 needs a verified employer and a screening (0009): a 0001 hub did neither, so no
            # upgraded posting claims it; everything else reads as it did.
            assert not any(doc.pop("free") for doc in docs_b.values())
            assert {i: {**d, "free": False} for i, d in docs_a.items()} == {
                i: {**d, "free": False} for i, d in docs_b.items()
            }
            # ... what 0006 decided: a posting no longer open ended at its last change,
            ended = [p for p in b.scalars(sa.select(Posting)) if p.status.value != "open"]
            assert len(ended) == 2 and all(p.ended_at == p.updated_at for p in ended)
        # ... and no device keeps a program to run or a reader path (0006).
        with old.connect() as conn:
            for (config,) in conn.execute(sa.text("SELECT config FROM devices")):
                config = json.loads(config)
                assert "browser_command" not in config and config["reader"] == ""
    finally:
        today.dispose()
        old.dispose()


def test_a_hub_told_not_to_migrate_refuses_an_old_schema_until_lingong_migrate(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url, pool_size=1)
    try:
        command.upgrade(migrate.config(engine), "0011")
        with pytest.raises(migrate.SchemaBehind, match=r"at 0011, this version needs .*lingong migrate"):
            migrate.at_start(engine, tmp_path, migrate_on_start=False)
        assert migrate.revision(engine) == "0011"  # only checked
        # `lingong migrate`, in this process (the command sets the hub's umask: put back after).
        for key, value in (("HOME", str(tmp_path)), ("DATABASE_URL", url), ("MIGRATE_ON_START", "false")):
            monkeypatch.setenv(f"LINGONG_{key}", value)
        umask = os.umask(0o022)
        try:
            assert cli.main(["migrate"]) == 0
        finally:
            os.umask(umask)
        assert capsys.readouterr().out.strip() == f"database schema 0011 -> {migrate.head()}"
        migrate.at_start(engine, tmp_path, migrate_on_start=False)  # current now: the hub starts
    finally:
        engine.dispose()
