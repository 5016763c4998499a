"""Key fingerprints checked at every start; the audit head anchor present from the start (#23).

``key_fingerprint``: one row per key the data depends on (data, index, record and audit keys),
filled from the key file at the first start after this migration (``pcip.kernel.keys.check``).

The audit chain's head anchor (``platform_meta.audit_head``) is written here for a database
that has no entries yet ("0:" and 64 zeros), so that from now on a missing anchor always means
it was removed, and the writer refuses to start a fresh chain over a wiped one.

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-28 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pcip.db

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HEAD = "0:" + "0" * 64


def upgrade() -> None:
    op.create_table(
        "key_fingerprint",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("added_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('data', 'index', 'record', 'audit')", name=op.f("ck_key_fingerprint_kind")
        ),
        sa.CheckConstraint(
            "state IN ('active', 'retired', 'pending')", name=op.f("ck_key_fingerprint_state")
        ),
        sa.PrimaryKeyConstraint("kind", "key_id", name=op.f("pk_key_fingerprint")),
    )
    bind = op.get_bind()
    has_head = bind.execute(sa.text("SELECT 1 FROM platform_meta WHERE key = 'audit_head'")).first()
    has_events = bind.execute(sa.text("SELECT 1 FROM audit_event LIMIT 1")).first()
    if has_head is None and has_events is None:
        bind.execute(
            sa.text("INSERT INTO platform_meta (key, value) VALUES ('audit_head', :v)"),
            {"v": GENESIS_HEAD},
        )


def downgrade() -> None:
    op.execute("DELETE FROM platform_meta WHERE key IN ('keys_active', 'key_rotation')")
    op.drop_table("key_fingerprint")
