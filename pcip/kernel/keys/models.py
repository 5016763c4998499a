"""Fingerprints of every key the stored data depends on (Art. 27)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, UTCDateTime


class KeyFingerprint(Base):
    """One key of the key file, known to this database by its id and a one-way fingerprint.

    ``active``: the key new data is written with (one per kind); ``retired``: replaced by a
    rotation (the key file keeps it); ``pending``: added by a rotation that has not finished.
    """

    __tablename__ = "key_fingerprint"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('data', 'index', 'record', 'audit')", name="kind"),
        CheckConstraint("state IN ('active', 'retired', 'pending')", name="state"),
    )
