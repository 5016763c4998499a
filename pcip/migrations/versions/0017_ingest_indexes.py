"""Indexes that no query or invariant used go (issue 22 point 3; docs/performance.md,
"What each index and foreign key of the record tables serves").

Every record ingested paid for them; nothing read through them:

* ``ix_credit_record_subject_id`` and ``ix_credit_record_provider_id``: each the first column
  of another index on the same table (``ix_credit_record_subject_item`` (subject_id,
  item_code) and the unique ``uq_credit_record_provider_id`` (provider_id, item_code,
  natural_key)), which serve every lookup by that column alone;
* ``ix_record_version_batch_id``: no query selects versions by batch (a batch's report reads
  ``rejected_row``; disclosure joins a version to its batch by the batch's primary key), and
  batches are never deleted, so the foreign key never searches by it;
* ``ix_responsible_link_person_id``: the links are read by organisation (``subject_id``) or by
  the pair; none by the person alone, and subjects are never deleted;
* ``ix_subject_name_name`` (migration 0006): former names are searched with ``LIKE``/``ILIKE``
  on both sides of the pattern (the trigram indexes serve that on PostgreSQL), never by equality
  or prefix, so no plan uses a plain B-tree on the name.

Unique constraints and foreign keys are all kept: each guards an invariant. The downgrade
restores the five indexes.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, columns): the indexes this revision drops, as they were created.
DROPPED = (
    ("ix_credit_record_subject_id", "credit_record", ["subject_id"]),
    ("ix_credit_record_provider_id", "credit_record", ["provider_id"]),
    ("ix_record_version_batch_id", "record_version", ["batch_id"]),
    ("ix_responsible_link_person_id", "responsible_link", ["person_id"]),
    ("ix_subject_name_name", "subject_name", ["name"]),
)


def upgrade() -> None:
    for name, table, _ in DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for name, table, columns in DROPPED:
        op.create_index(name, table, columns, unique=False)
