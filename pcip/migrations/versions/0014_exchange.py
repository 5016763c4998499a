"""Exchange (Art. 6, 20, 24-25; issue 21): the JetStream intake ledger and its dead letters,
the change feed, the receivers registry and their deliveries.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, pcip.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "exchange_intake",
        sa.Column("id", _ID, nullable=False),
        sa.Column("provider_uscc", sa.String(length=18), nullable=False),
        sa.Column("sharing_batch_id", sa.String(length=128), nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("stream_seq", _ID, nullable=False),
        sa.Column("batch_id", _ID, nullable=True),
        sa.Column("list_import_id", _ID, nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("payload_sha256", sa.String(length=64), nullable=False),
        sa.Column("attestation", _JSON, nullable=False),
        _at("received_at"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_exchange_intake_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["list_import_id"],
            ["list_import.id"],
            name=op.f("fk_exchange_intake_list_import_id_list_import"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_intake")),
        sa.UniqueConstraint(
            "provider_uscc", "sharing_batch_id", name=op.f("uq_exchange_intake_provider_uscc")
        ),
    )
    op.create_index(
        op.f("ix_exchange_intake_batch_id"), "exchange_intake", ["batch_id"], unique=False
    )
    op.create_table(
        "exchange_dead_letter",
        sa.Column("id", _ID, nullable=False),
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("stream_seq", _ID, nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        _at("received_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_dead_letter")),
        sa.UniqueConstraint("stream", "stream_seq", name=op.f("uq_exchange_dead_letter_stream")),
    )
    op.create_table(
        "exchange_changes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=True),
        sa.Column("subject_id", _ID, nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=64), nullable=False),
        _at("occurred_at"),
        sa.Column("payload", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_changes")),
        sa.UniqueConstraint("source", "source_key", name=op.f("uq_exchange_changes_source")),
    )
    op.create_index(
        op.f("ix_exchange_changes_record_id"), "exchange_changes", ["record_id"], unique=False
    )
    op.create_table(
        "exchange_receiver",
        sa.Column("id", _ID, nullable=False),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scopes", _JSON, nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_hint", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("acked_cursor", _ID, nullable=False),
        _at("created_at"),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_receiver")),
        sa.UniqueConstraint("code", name=op.f("uq_exchange_receiver_code")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_exchange_receiver_key_sha256")),
    )
    op.create_table(
        "exchange_delivery",
        sa.Column("id", _ID, nullable=False),
        sa.Column("receiver_id", _ID, nullable=False),
        sa.Column("change_id", _ID, nullable=False),
        sa.Column("record_id", _ID, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("first_sent_at"),
        _at("last_sent_at"),
        _at("next_attempt_at", True),
        _at("acked_at", True),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["exchange_changes.id"],
            name=op.f("fk_exchange_delivery_change_id_exchange_changes"),
        ),
        sa.ForeignKeyConstraint(
            ["receiver_id"],
            ["exchange_receiver.id"],
            name=op.f("fk_exchange_delivery_receiver_id_exchange_receiver"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_delivery")),
        sa.UniqueConstraint(
            "receiver_id", "change_id", name=op.f("uq_exchange_delivery_receiver_id")
        ),
    )
    op.create_table(
        "exchange_watermark",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_exchange_watermark")),
    )


def downgrade() -> None:
    op.drop_table("exchange_watermark")
    op.drop_table("exchange_delivery")
    op.drop_table("exchange_receiver")
    op.drop_index(op.f("ix_exchange_changes_record_id"), table_name="exchange_changes")
    op.drop_table("exchange_changes")
    op.drop_table("exchange_dead_letter")
    op.drop_index(op.f("ix_exchange_intake_batch_id"), table_name="exchange_intake")
    op.drop_table("exchange_intake")
