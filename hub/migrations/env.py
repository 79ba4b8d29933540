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
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs table rebuilds to ALTER
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
