"""Objections, their records, events, evidence and notices; proactive corrections (Art. 40-42).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 00:52:40.074820
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objection",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("applicant", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("ground", sa.String(length=16), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("received_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=128), nullable=False),
        sa.Column("repeat_of", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("route", sa.String(length=16), nullable=True),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.CheckConstraint(
            "(route = 'transferred') = (provider_id IS NOT NULL)",
            name=op.f("ck_objection_transfer"),
        ),
        sa.CheckConstraint(
            "channel IN ('web', 'mobile', 'desk', 'mail', 'credit_china', 'department')",
            name=op.f("ck_objection_channel"),
        ),
        sa.CheckConstraint(
            "ground IN ('error', 'omission', 'beyond_period')", name=op.f("ck_objection_ground")
        ),
        sa.CheckConstraint(
            "route IS NULL OR route IN ('self', 'transferred')", name=op.f("ck_objection_route")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_objection_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["repeat_of"], ["objection.id"], name=op.f("fk_objection_repeat_of_objection")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objection_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_objection_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "objection_event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "objection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column(
            "payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.CheckConstraint(
            "kind IN ('received', 'labelled', 'not_accepted', 'self_review', 'transferred', 'pu_received', 'pu_result_returned', 'paused', 'resumed', 'decided', 'notified', 'reexam_requested', 'reexam_decided', 'closed')",
            name=op.f("ck_objection_event_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_event_objection_id_objection"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_event_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_event")),
    )
    with op.batch_alter_table("objection_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_objection_event_objection_kind", ["objection_id", "kind"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_objection_event_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "objection_evidence",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "objection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("stored_path", sa.String(length=255), nullable=False),
        sa.Column("uploaded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_evidence_objection_id_objection"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_evidence_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_evidence")),
    )
    with op.batch_alter_table("objection_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_evidence_objection_id"), ["objection_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_objection_evidence_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_objection_evidence_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "objection_notice",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "objection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("issued_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("issued_by", sa.String(length=128), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('outcome', 'not_accepted', 'reexam_outcome', 'status_update')",
            name=op.f("ck_objection_notice_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_notice_objection_id_objection"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_notice_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_notice")),
    )
    with op.batch_alter_table("objection_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_notice_objection_id"), ["objection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_objection_notice_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "objection_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "objection_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_record_objection_id_objection"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_objection_record_record_id_credit_record"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_record_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_record")),
        sa.UniqueConstraint(
            "objection_id", "record_id", name=op.f("uq_objection_record_objection_id")
        ),
    )
    with op.batch_alter_table("objection_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_record_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_objection_record_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "record_correction",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("recorded_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('corrected', 'supplemented', 'provision_stopped')",
            name=op.f("ck_record_correction_outcome"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["provider.id"], name=op.f("fk_record_correction_provider_id_provider")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["credit_record.id"],
            name=op.f("fk_record_correction_record_id_credit_record"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_record_correction_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_correction")),
    )
    with op.batch_alter_table("record_correction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_record_correction_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_record_correction_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("record_correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_correction_subject_id"))
        batch_op.drop_index(batch_op.f("ix_record_correction_record_id"))

    op.drop_table("record_correction")
    with op.batch_alter_table("objection_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_record_subject_id"))
        batch_op.drop_index(batch_op.f("ix_objection_record_record_id"))

    op.drop_table("objection_record")
    with op.batch_alter_table("objection_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_notice_subject_id"))
        batch_op.drop_index(batch_op.f("ix_objection_notice_objection_id"))

    op.drop_table("objection_notice")
    with op.batch_alter_table("objection_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_evidence_subject_id"))
        batch_op.drop_index(batch_op.f("ix_objection_evidence_sha256"))
        batch_op.drop_index(batch_op.f("ix_objection_evidence_objection_id"))

    op.drop_table("objection_evidence")
    with op.batch_alter_table("objection_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_event_subject_id"))
        batch_op.drop_index("ix_objection_event_objection_kind")

    op.drop_table("objection_event")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_subject_id"))
        batch_op.drop_index(batch_op.f("ix_objection_received_at"))
        batch_op.drop_index(batch_op.f("ix_objection_provider_id"))

    op.drop_table("objection")
