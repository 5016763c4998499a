"""Alembic environment: runs on the engine pcip hands it (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, Engine

import pcip.ops.models  # noqa: F401  (registers every table)
from pcip.db import Base

config = context.config
target_metadata = Base.metadata


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # SQLite rebuilds tables to alter them ("batch mode"); with foreign keys enforced, dropping
    # the old copy of a referenced table fails. The pragma only works outside a transaction,
    # so it goes straight to the driver connection, before SQLAlchemy begins one.
    raw: Any = connection.connection.driver_connection
    raw.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def run() -> None:
    engine = config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("run migrations through 'pcip init' (it passes the engine)")
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:  # the rebuilt tables must still satisfy every reference
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
        connection.commit()
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


run()
