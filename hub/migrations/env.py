"""Alembic environment: the engine comes from hub.migrate, the metadata from hub.models."""

from alembic import context

from hub.models import metadata

engine = context.config.attributes["engine"]

if context.is_offline_mode():  # `lingong migrate --sql`: the statements, printed for a DBA
    context.configure(
        url=context.config.attributes["url"],
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=engine.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration rebuilds a table (copy, drop the old, rename): with foreign keys
            # enforced, dropping a table other rows refer to fails, so an SQLite hub holding data
            # could not upgrade. SQLite's own recipe: off (outside any transaction), checked after.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=sqlite,  # SQLite needs table rebuilds to ALTER
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows whose references are gone: {broken[:5]}")
            connection.commit()
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
