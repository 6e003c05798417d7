"""Alembic environment for newsbrief: runs on the connection the Store hands over.

`summaries.store.engine.migrate` puts an open connection, already inside a transaction, in
``config.attributes["connection"]``. For hand use (``alembic revision --autogenerate``) a
``sqlalchemy.url`` main option is accepted instead.
"""

from __future__ import annotations

from alembic import context

from summaries.store.engine import engine_for
from summaries.store.schema import include_schema_object, metadata

config = context.config


def run_migrations() -> None:
    """Run the pending migrations on the given connection, or on one opened from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            include_object=include_schema_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection in config.attributes and no sqlalchemy.url option")
    engine = engine_for(url)
    try:
        with engine.connect() as conn:
            context.configure(
                connection=conn,
                target_metadata=metadata,
                include_object=include_schema_object,
            )
            with context.begin_transaction():
                context.run_migrations()
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported")
run_migrations()
