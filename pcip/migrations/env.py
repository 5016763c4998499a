"""Alembic environment: runs on the engine pcip hands it (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

import pcip.models  # noqa: F401  (registers every table)
from pcip.db import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations through 'pcip init' (it passes the engine)")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things: batch mode rebuilds tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run()
