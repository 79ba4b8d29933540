"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from hub import migrate
from hub.db import make_engine
from hub.models import metadata


def test_migrations_match_the_models_and_rerun_as_no_op(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        migrate.upgrade(engine, tmp_path)
        assert migrate.is_current(engine)
        migrate.upgrade(engine, tmp_path)  # a second start changes nothing
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == [], f"models and migrations differ: {diff}"
    finally:
        engine.dispose()


def test_the_newest_files_revision_is_alembics_head():
    """A hub on a current database starts without Alembic, trusting the newest file's name
    (hub.migrate.newest_file): a migration named out of turn would make it skip one."""
    assert migrate.newest_file() == migrate.head()
