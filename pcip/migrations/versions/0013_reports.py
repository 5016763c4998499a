"""Credit reports (Art. 29) and assessment batch runs (Art. 30; issue 18).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "credit_report",
        sa.Column("id", _ID, nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("subject_id", _ID, nullable=False),
        sa.Column("mode", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("requester", sa.String(length=128), nullable=False),
        sa.Column("requester_display", sa.String(length=200), nullable=False),
        sa.Column("inquiry_id", _ID, nullable=False),
        sa.Column("authorization_id", _ID, nullable=True),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("issued_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("content", _JSON, nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["authorization_id"],
            ["subject_authorization.id"],
            name=op.f("fk_credit_report_authorization_id_subject_authorization"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_credit_report_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_report")),
        sa.UniqueConstraint("number", name=op.f("uq_credit_report_number")),
    )
    with op.batch_alter_table("credit_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credit_report_subject_id"), ["subject_id"])
        batch_op.create_index(batch_op.f("ix_credit_report_requester"), ["requester"])
        batch_op.create_index(batch_op.f("ix_credit_report_pdf_sha256"), ["pdf_sha256"])
    op.create_table(
        "assessment_run",
        sa.Column("id", _ID, nullable=False),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("started_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=128), nullable=False),
        sa.Column("subjects", sa.Integer(), nullable=False),
        sa.Column("distribution", _JSON, nullable=False),
        sa.Column("reasons", _JSON, nullable=False),
        sa.Column("millis", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_run")),
    )


def downgrade() -> None:
    op.drop_table("assessment_run")
    with op.batch_alter_table("credit_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credit_report_pdf_sha256"))
        batch_op.drop_index(batch_op.f("ix_credit_report_requester"))
        batch_op.drop_index(batch_op.f("ix_credit_report_subject_id"))
    op.drop_table("credit_report")
