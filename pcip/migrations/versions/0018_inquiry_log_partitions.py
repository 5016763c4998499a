"""The inquiry log partitioned by month on PostgreSQL (issue 22 point 4).

``inquiry_log`` becomes ``PARTITION BY RANGE (at)`` with one partition per CST month from the
month of its oldest entry through three months after the current one, plus a DEFAULT
partition; the primary key becomes ``(id, at)``; the foreign keys to ``subject`` and
``subject_authorization`` and the three indexes are the same. Existing rows are moved in one
statement, the names swapped and the id sequence kept. Nothing refers to ``inquiry_log`` by
foreign key (a legal hold names its entry by id only). On SQLite the table stays as it is.

Downgrade: the rows go back into a plain table with ``id`` as its primary key.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 15:40:00
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone

from alembic import op
from sqlalchemy import text

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CST = timezone(timedelta(hours=8), "CST")
_AHEAD = 3
_INDEXES = (
    ("ix_inquiry_log_at", "(at)"),
    ("ix_inquiry_log_inquirer_at", "(inquirer, at)"),
    ("ix_inquiry_log_subject_at", "(subject_id, at)"),
)
_FKS = (
    ("fk_inquiry_log_subject_id_subject", "(subject_id) REFERENCES subject (id)"),
    (
        "fk_inquiry_log_authorization_id_subject_authorization",
        "(authorization_id) REFERENCES subject_authorization (id)",
    ),
)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _at(month: date) -> str:
    return datetime.combine(month, time(0), tzinfo=_CST).isoformat()


def _set_aside(old: str) -> None:
    """Rename the current table, its primary key index and its indexes out of the way."""
    op.execute(f"ALTER TABLE inquiry_log RENAME TO {old}")
    op.execute(f"ALTER INDEX pk_inquiry_log RENAME TO pk_{old}")
    for name, _ in _INDEXES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name.replace('inquiry_log', old)}")


def _build(old: str, primary_key: str, partition_by: str) -> None:
    op.execute(
        f"CREATE TABLE inquiry_log (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE) {partition_by}"
    )
    op.execute(f"ALTER TABLE inquiry_log ADD CONSTRAINT pk_inquiry_log PRIMARY KEY {primary_key}")
    for name, definition in _FKS:
        op.execute(f"ALTER TABLE inquiry_log ADD CONSTRAINT {name} FOREIGN KEY {definition}")


def _finish(old: str) -> None:
    op.execute(f"INSERT INTO inquiry_log SELECT * FROM {old}")  # then index: faster
    for name, columns in _INDEXES:
        op.execute(f"CREATE INDEX {name} ON inquiry_log {columns}")
    op.execute("ALTER SEQUENCE inquiry_log_id_seq OWNED BY inquiry_log.id")
    op.execute(f"DROP TABLE {old}")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from pcip import clock

    old = "inquiry_log_unpartitioned"
    _set_aside(old)
    _build(old, "(id, at)", "PARTITION BY RANGE (at)")
    oldest = bind.scalar(text(f"SELECT min(at) FROM {old}"))
    this_month = clock.today().replace(day=1)
    month = min(oldest.astimezone(_CST).date(), this_month).replace(day=1) if oldest else this_month
    last = this_month
    for _ in range(_AHEAD):
        last = _next_month(last)
    while month <= last:
        after = _next_month(month)
        op.execute(
            f"CREATE TABLE inquiry_log_p{month:%Y%m} PARTITION OF inquiry_log "
            f"FOR VALUES FROM ('{_at(month)}') TO ('{_at(after)}')"
        )
        month = after
    op.execute("CREATE TABLE inquiry_log_default PARTITION OF inquiry_log DEFAULT")
    _finish(old)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    old = "inquiry_log_partitioned"
    _set_aside(old)
    _build(old, "(id)", "")
    _finish(old)  # DROP TABLE of the partitioned table drops its partitions
