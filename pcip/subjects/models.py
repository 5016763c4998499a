"""Credit subjects (Art. 19, 56), their names over time, and Art. 33 responsible-person links.

A subject is keyed only by its identifier (Art. 19). Organisations by USCC, kept in the clear
because it is public registration information; natural persons by a keyed blind index of the
normalised ID, the number itself encrypted at rest (Art. 27) and shown masked.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcip.db import Base, BigId, UTCDateTime


class Subject(Base):
    __tablename__ = "subject"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    id_type: Mapped[str] = mapped_column(String(16))
    #: Legal persons and organisations: the USCC (the only match key, Art. 19).
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    #: Individual businesses reported without a USCC: their registration number.
    registration_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    #: Natural persons: HMAC blind index of "type|country|number" (keyring.blind_index).
    id_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_key: Mapped[str | None] = mapped_column(String(16))
    id_masked: Mapped[str | None] = mapped_column(String(48))
    document_type: Mapped[str | None] = mapped_column(String(48))
    document_country: Mapped[str | None] = mapped_column(String(3))
    #: Decoded from the citizen ID: needed for Art. 3 (minors) without decrypting.
    birth_date: Mapped[date | None] = mapped_column(Date)
    region_code: Mapped[str | None] = mapped_column(String(6))
    #: Current name; every name ever reported is kept in subject_name.
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    names: Mapped[list[SubjectName]] = relationship(
        back_populates="subject", order_by="SubjectName.id", lazy="raise"
    )

    __table_args__ = (
        CheckConstraint("kind IN ('person', 'legal_person', 'organisation')", name="kind"),
        CheckConstraint(
            "(kind = 'person' AND id_index IS NOT NULL AND uscc IS NULL) OR "
            "(kind <> 'person' AND id_index IS NULL AND "
            "(uscc IS NOT NULL OR registration_no IS NOT NULL))",
            name="one_key",
        ),
        Index("ix_subject_name", "name"),
    )

    @property
    def is_state_organ(self) -> bool:
        """GB 32100: entity type 11 = state organ (Art. 8-10 government integrity)."""
        return bool(self.uscc and self.uscc.startswith("11"))


class SubjectName(Base):
    """Append-only name history (Art. 19: a new name never creates a new subject)."""

    __tablename__ = "subject_name"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Who reported it: "provider:<uscc>", "registration", "operator:<id>".
    source: Mapped[str] = mapped_column(String(128))

    subject: Mapped[Subject] = relationship(back_populates="names", lazy="raise")


class ResponsibleLink(Base):
    """Art. 33: an organisation's legal representative, principals, controllers, others."""

    __tablename__ = "responsible_link"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)  # organisation
    #: Not indexed: links are read by organisation or by the pair, and subjects are never deleted.
    person_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    role: Mapped[str] = mapped_column(String(32))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "role IN ('legal_representative', 'principal', 'actual_controller', 'other_direct')",
            name="role",
        ),
        CheckConstraint("subject_id <> person_id", name="not_self"),
    )
