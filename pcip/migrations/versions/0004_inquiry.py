"""Accounts, sessions, grantees, authorizations, the inquiry log, holds, alerts, record events.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 00:38:20.074423
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "grantee",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grantee")),
        sa.UniqueConstraint("uscc", name=op.f("uq_grantee_uscc")),
    )
    op.create_table(
        "inquiry_alert",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("inquirer", sa.String(length=128), nullable=False),
        sa.Column("inquirer_display", sa.String(length=200), nullable=False),
        sa.Column("window_start", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("raised_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_by", sa.String(length=128), nullable=True),
        sa.Column("acknowledged_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_alert")),
        sa.UniqueConstraint("inquirer", "window_start", name=op.f("uq_inquiry_alert_inquirer")),
    )
    op.create_table(
        "account",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(role = 'provider') = (provider_id IS NOT NULL)", name=op.f("ck_account_unit_staff")
        ),
        sa.CheckConstraint("role IN ('operator', 'drc', 'provider')", name=op.f("ck_account_role")),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_account_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("username", name=op.f("uq_account_username")),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "grantee_key",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "grantee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("key_id", sa.String(length=24), nullable=False),
        sa.Column("secret_sha256", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["grantee_id"], ["grantee.id"], name=op.f("fk_grantee_key_grantee_id_grantee")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grantee_key")),
        sa.UniqueConstraint("key_id", name=op.f("uq_grantee_key_key_id")),
    )
    with op.batch_alter_table("grantee_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grantee_key_grantee_id"), ["grantee_id"], unique=False)

    op.create_table(
        "legal_hold",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "inquiry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_by", sa.String(length=128), nullable=False),
        sa.Column("placed_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=128), nullable=True),
        sa.Column("released_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_legal_hold_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_hold")),
    )
    with op.batch_alter_table("legal_hold", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legal_hold_inquiry_id"), ["inquiry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legal_hold_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "subject_authorization",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "grantee_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column(
            "channels",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "scope_items",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "scope_categories",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("granted_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("granted_via", sa.String(length=16), nullable=False),
        sa.Column("revoked_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["grantee_id"], ["grantee.id"], name=op.f("fk_subject_authorization_grantee_id_grantee")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_subject_authorization_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_authorization")),
    )
    with op.batch_alter_table("subject_authorization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_authorization_grantee_id"), ["grantee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subject_authorization_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "auth_session",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("assertion_issuer", sa.String(length=255), nullable=True),
        sa.Column("assertion_id", sa.String(length=128), nullable=True),
        sa.Column("development", sa.Boolean(), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(account_id IS NULL) <> (subject_id IS NULL)",
            name=op.f("ck_auth_session_one_principal"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_auth_session_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_auth_session_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("assertion_id", name=op.f("uq_auth_session_assertion_id")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_auth_session_token_sha256")),
    )
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_session_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_auth_session_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "inquiry_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("inquirer", sa.String(length=128), nullable=False),
        sa.Column("inquirer_display", sa.String(length=200), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "authorization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("confidential_basis", sa.String(length=255), nullable=True),
        sa.Column(
            "returned",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("returned_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["subject_authorization.id"],
            name=op.f("fk_inquiry_log_authorization_id_subject_authorization"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_inquiry_log_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_log")),
    )
    with op.batch_alter_table("inquiry_log", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_log_at", ["at"], unique=False)
        batch_op.create_index("ix_inquiry_log_inquirer_at", ["inquirer", "at"], unique=False)
        batch_op.create_index("ix_inquiry_log_subject_at", ["subject_id", "at"], unique=False)

    op.create_table(
        "record_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("cause_type", sa.String(length=32), nullable=True),
        sa.Column("cause_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.CheckConstraint(
            "kind IN ('objection_label_on', 'objection_label_off', 'provision_stopped', 'basis_revoked', 'restored', 'removed')",
            name=op.f("ck_record_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_record_event_record_id_credit_record"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_record_event_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_event")),
    )
    with op.batch_alter_table("record_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_event_record_id"), ["record_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_event_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_event_subject_id"))
        batch_op.drop_index(batch_op.f("ix_record_event_record_id"))

    op.drop_table("record_event")
    with op.batch_alter_table("inquiry_log", schema=None) as batch_op:
        batch_op.drop_index("ix_inquiry_log_subject_at")
        batch_op.drop_index("ix_inquiry_log_inquirer_at")
        batch_op.drop_index("ix_inquiry_log_at")

    op.drop_table("inquiry_log")
    with op.batch_alter_table("auth_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_session_subject_id"))
        batch_op.drop_index(batch_op.f("ix_auth_session_account_id"))

    op.drop_table("auth_session")
    with op.batch_alter_table("subject_authorization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_authorization_subject_id"))
        batch_op.drop_index(batch_op.f("ix_subject_authorization_grantee_id"))

    op.drop_table("subject_authorization")
    with op.batch_alter_table("legal_hold", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legal_hold_subject_id"))
        batch_op.drop_index(batch_op.f("ix_legal_hold_inquiry_id"))

    op.drop_table("legal_hold")
    with op.batch_alter_table("grantee_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grantee_key_grantee_id"))

    op.drop_table("grantee_key")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_provider_id"))

    op.drop_table("account")
    op.drop_table("inquiry_alert")
    op.drop_table("grantee")
