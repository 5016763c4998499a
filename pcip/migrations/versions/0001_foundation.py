"""Foundation: subjects, catalogs, providers, records, audit log (Art. 16-23, 27-28, 33).

Revision ID: 0001
Revises:
Create Date: 2026-11-26 22:55:55.615324
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=128), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column(
            "details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_action_at", ["action", "at"], unique=False)
        batch_op.create_index("ix_audit_event_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "basis_document",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("doc_type", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=128), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("issuer_uscc", sa.String(length=18), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("designation_citation", sa.String(length=255), nullable=True),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "doc_type IN ('judicial', 'admin_decision', 'designated')",
            name=op.f("ck_basis_document_doc_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_basis_document")),
        sa.UniqueConstraint("issuer", "number", name=op.f("uq_basis_document_issuer")),
    )
    op.create_table(
        "catalog",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_code")),
    )
    op.create_table(
        "platform_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_platform_meta")),
    )
    op.create_table(
        "provider",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("uscc", name=op.f("uq_provider_uscc")),
    )
    op.create_table(
        "subject",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("id_type", sa.String(length=16), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("registration_no", sa.String(length=32), nullable=True),
        sa.Column("id_index", sa.String(length=64), nullable=True),
        sa.Column("id_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("id_key", sa.String(length=16), nullable=True),
        sa.Column("id_masked", sa.String(length=48), nullable=True),
        sa.Column("document_type", sa.String(length=48), nullable=True),
        sa.Column("document_country", sa.String(length=3), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'person' AND id_index IS NOT NULL AND uscc IS NULL) OR (kind <> 'person' AND id_index IS NULL AND (uscc IS NOT NULL OR registration_no IS NOT NULL))",
            name=op.f("ck_subject_one_key"),
        ),
        sa.CheckConstraint(
            "kind IN ('person', 'legal_person', 'organisation')", name=op.f("ck_subject_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject")),
        sa.UniqueConstraint("id_index", name=op.f("uq_subject_id_index")),
        sa.UniqueConstraint("registration_no", name=op.f("uq_subject_registration_no")),
        sa.UniqueConstraint("uscc", name=op.f("uq_subject_uscc")),
    )
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.create_index("ix_subject_name", ["name"], unique=False)

    op.create_table(
        "batch",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("submitted_by", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("received_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=True),
        sa.Column("source_sha256", sa.String(length=64), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("finished_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_batch_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch")),
    )
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "catalog_version",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "catalog_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("published_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_id"], ["catalog.id"], name=op.f("fk_catalog_version_catalog_id_catalog")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")),
        sa.UniqueConstraint("catalog_id", "version", name=op.f("uq_catalog_version_catalog_id")),
    )
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_version_catalog_id"), ["catalog_id"], unique=False
        )

    op.create_table(
        "credit_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("polarity", sa.String(length=16), nullable=False),
        sa.Column("info_class", sa.String(length=16), nullable=False),
        sa.Column("natural_key", sa.String(length=255), nullable=False),
        sa.Column("created_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "info_class IN ('public', 'market', 'self_declared')",
            name=op.f("ck_credit_record_info_class"),
        ),
        sa.CheckConstraint(
            "polarity IN ('positive', 'neutral', 'negative')",
            name=op.f("ck_credit_record_polarity"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_credit_record_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_credit_record_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_record")),
        sa.UniqueConstraint(
            "provider_id", "item_code", "natural_key", name=op.f("uq_credit_record_provider_id")
        ),
    )
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credit_record_provider_id"), ["provider_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_credit_record_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_index(
            "ix_credit_record_subject_item", ["subject_id", "item_code"], unique=False
        )

    op.create_table(
        "provider_item",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("granted_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_provider_item_provider_id_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_item")),
        sa.UniqueConstraint("provider_id", "item_code", name=op.f("uq_provider_item_provider_id")),
    )
    with op.batch_alter_table("provider_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provider_item_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "responsible_link",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('legal_representative', 'principal', 'actual_controller', 'other_direct')",
            name=op.f("ck_responsible_link_role"),
        ),
        sa.CheckConstraint("subject_id <> person_id", name=op.f("ck_responsible_link_not_self")),
        sa.ForeignKeyConstraint(
            ["person_id"], ["subject.id"], name=op.f("fk_responsible_link_person_id_subject")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_responsible_link_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsible_link")),
    )
    with op.batch_alter_table("responsible_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responsible_link_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_responsible_link_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "subject_name",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_subject_name_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject_name")),
    )
    with op.batch_alter_table("subject_name", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subject_name_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "catalog_item",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "version_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("scope_category", sa.Integer(), nullable=False),
        sa.Column("polarity", sa.String(length=16), nullable=False),
        sa.Column("info_class", sa.String(length=16), nullable=False),
        sa.Column("disclosure_class", sa.String(length=16), nullable=False),
        sa.Column("spec", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "disclosure_class IN ('public', 'authorized', 'authority')",
            name=op.f("ck_catalog_item_disclosure_class"),
        ),
        sa.CheckConstraint(
            "info_class IN ('public', 'market', 'self_declared')",
            name=op.f("ck_catalog_item_info_class"),
        ),
        sa.CheckConstraint(
            "polarity IN ('positive', 'neutral', 'negative')", name=op.f("ck_catalog_item_polarity")
        ),
        sa.CheckConstraint(
            "scope_category BETWEEN 1 AND 8", name=op.f("ck_catalog_item_scope_category")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["catalog_version.id"],
            name=op.f("fk_catalog_item_version_id_catalog_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_item")),
        sa.UniqueConstraint("version_id", "code", name=op.f("uq_catalog_item_version_id")),
    )
    with op.batch_alter_table("catalog_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_item_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_catalog_item_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "record_version",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("basis_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("severity", sa.String(length=16), nullable=True),
        sa.Column("conduct_end_date", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("publicity_end", sa.Date(), nullable=True),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cause_type", sa.String(length=32), nullable=True),
        sa.Column("cause_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["basis_id"],
            ["basis_document.id"],
            name=op.f("fk_record_version_basis_id_basis_document"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.id"], name=op.f("fk_record_version_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["catalog_item.id"], name=op.f("fk_record_version_item_id_catalog_item")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_record_version_record_id_credit_record"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_record_version_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
        sa.UniqueConstraint("record_id", "version", name=op.f("uq_record_version_record_id")),
    )
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_version_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_version_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_version_subject_id"))
        batch_op.drop_index(batch_op.f("ix_record_version_batch_id"))

    op.drop_table("record_version")
    with op.batch_alter_table("catalog_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_item_version_id"))
        batch_op.drop_index(batch_op.f("ix_catalog_item_code"))

    op.drop_table("catalog_item")
    with op.batch_alter_table("subject_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subject_name_subject_id"))

    op.drop_table("subject_name")
    with op.batch_alter_table("responsible_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_responsible_link_subject_id"))
        batch_op.drop_index(batch_op.f("ix_responsible_link_person_id"))

    op.drop_table("responsible_link")
    with op.batch_alter_table("provider_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_item_provider_id"))

    op.drop_table("provider_item")
    with op.batch_alter_table("credit_record", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_record_subject_item")
        batch_op.drop_index(batch_op.f("ix_credit_record_subject_id"))
        batch_op.drop_index(batch_op.f("ix_credit_record_provider_id"))

    op.drop_table("credit_record")
    with op.batch_alter_table("catalog_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_version_catalog_id"))

    op.drop_table("catalog_version")
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_provider_id"))

    op.drop_table("batch")
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.drop_index("ix_subject_name")

    op.drop_table("subject")
    op.drop_table("provider")
    op.drop_table("platform_meta")
    op.drop_table("catalog")
    op.drop_table("basis_document")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_object")
        batch_op.drop_index("ix_audit_event_action_at")

    op.drop_table("audit_event")
