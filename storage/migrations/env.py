"""Alembic environment: migrations run from `storage.db.migrate` on the engine it passes in."""

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - registers the tables on SQLModel.metadata

config = context.config
target_metadata = SQLModel.metadata
LOCK_KEY = 0x66696777  # "figw": the advisory lock that serialises figwatch's migrations


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Instances started together migrate one after the other: the lock is held
                # until this transaction (PostgreSQL's DDL is transactional) commits, and the
                # next one then finds the schema current. SQLite: storage.db.migrate locks.
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            context.run_migrations()
        connection.commit()


run_migrations_online()
