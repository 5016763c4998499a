"""Ingestion: rejected rows kept for download, batch errors and warnings, provider API keys (Art. 20, 23).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 23:23:29.163139
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_key",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("key_id", sa.String(length=24), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_provider_key_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_provider_key_key_id")),
    )
    with op.batch_alter_table("provider_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_key_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "rejected_row",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column(
            "values", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True
        ),
        sa.Column(
            "errors", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_rejected_row_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_row")),
    )
    with op.batch_alter_table("rejected_row", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rejected_row_batch_id"), ["batch_id"], unique=False)

    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "warnings",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=False,
                # Existing batches (from 0001) have no warnings.
                server_default=sa.text("'[]'"),
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_column("warnings")
        batch_op.drop_column("error")

    with op.batch_alter_table("rejected_row", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_row_batch_id"))

    op.drop_table("rejected_row")
    with op.batch_alter_table("provider_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_key_provider_id"))

    op.drop_table("provider_key")
