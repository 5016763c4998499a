"""Inquiry scopes, confidentiality reasons, withdrawn records, objection alerts (issue 14.5-10).

* ``inquiry_scope_grant``: the catalog items the operator grants a providing unit's authority
  inquiries beyond the items it provides, each with its legal basis (Art. 22(2)).
* ``inquiry_log.confidential_reason``: the reason code a unit gives, from a fixed list with
  citations, for keeping an authority inquiry confidential (D-26).
* ``record_event.kind`` may be ``withdrawn``: a record filed against the wrong subject or on a
  wrong basis, withdrawn from that subject by an objection's outcome (Art. 19, 21, 42).
* ``record_correction.outcome`` may be ``withdrawn`` (a unit or the operator withdraws a
  record on its own motion, Art. 42 para 3).
* ``objection.channel`` may be ``api``: filed with a bearer credential on the API (the channel
  is decided by the credential and route, Art. 22).
* ``objection_alert``: what the operator is told without having to look (D-2).

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-28 09:00:00
"""

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import pcip.db

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_EVENTS = (
    "'objection_label_on', 'objection_label_off', 'provision_stopped', 'basis_revoked', "
    "'restored', 'removed'"
)
_CHANNELS = "'web', 'mobile', 'desk', 'mail', 'credit_china', 'department'"
_CORRECTIONS = "'corrected', 'supplemented', 'provision_stopped'"


def _check(table: str, name: str, condition: str) -> None:
    """Replace a CHECK constraint (SQLite: the batch copy of the table carries the new one).

    On SQLite the copy reflects the tables it refers to; the expression index of ``subject``
    (migration 0006) cannot be reflected, which is harmless here (``subject`` is not copied).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
            batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)


def upgrade() -> None:
    op.create_table(
        "inquiry_scope_grant",
        sa.Column("id", _ID, nullable=False),
        sa.Column("provider_id", _ID, nullable=False),
        sa.Column("item_code", sa.String(length=64), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.String(length=128), nullable=False),
        sa.Column("granted_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_by", sa.String(length=128), nullable=True),
        sa.Column("revoked_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_inquiry_scope_grant_provider_id_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inquiry_scope_grant")),
    )
    with op.batch_alter_table("inquiry_scope_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inquiry_scope_grant_provider_id"), ["provider_id"], unique=False
        )

    with op.batch_alter_table("inquiry_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confidential_reason", sa.String(length=64), nullable=True))

    _check("record_event", "kind", f"kind IN ({_EVENTS}, 'withdrawn')")
    _check("objection", "channel", f"channel IN ({_CHANNELS}, 'api')")
    _check("record_correction", "outcome", f"outcome IN ({_CORRECTIONS}, 'withdrawn')")

    op.create_table(
        "objection_alert",
        sa.Column("id", _ID, nullable=False),
        sa.Column("objection_id", _ID, nullable=False),
        sa.Column("subject_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("raised_at", pcip.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "details", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("acknowledged_by", sa.String(length=128), nullable=True),
        sa.Column("acknowledged_at", pcip.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('unit_result_notified', 'not_transferred_wd1')",
            name=op.f("ck_objection_alert_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"],
            ["objection.id"],
            name=op.f("fk_objection_alert_objection_id_objection"),
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_objection_alert_subject_id_subject")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection_alert")),
        sa.UniqueConstraint(
            "objection_id", "kind", name=op.f("uq_objection_alert_objection_id_kind")
        ),
    )
    with op.batch_alter_table("objection_alert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objection_alert_objection_id"), ["objection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_objection_alert_subject_id"), ["subject_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("objection_alert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_alert_subject_id"))
        batch_op.drop_index(batch_op.f("ix_objection_alert_objection_id"))
    op.drop_table("objection_alert")
    # Rows using the new values cannot be kept under the old constraints.
    op.execute("DELETE FROM record_event WHERE kind = 'withdrawn'")
    op.execute("UPDATE objection SET channel = 'web' WHERE channel = 'api'")
    op.execute(
        "UPDATE record_correction SET outcome = 'provision_stopped' WHERE outcome = 'withdrawn'"
    )
    _check("record_correction", "outcome", f"outcome IN ({_CORRECTIONS})")
    _check("objection", "channel", f"channel IN ({_CHANNELS})")
    _check("record_event", "kind", f"kind IN ({_EVENTS})")
    with warnings.catch_warnings():  # SQLite copies the table (see ``_check``)
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection")
        with op.batch_alter_table("inquiry_log", schema=None) as batch_op:
            batch_op.drop_column("confidential_reason")
    with op.batch_alter_table("inquiry_scope_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inquiry_scope_grant_provider_id"))
    op.drop_table("inquiry_scope_grant")
