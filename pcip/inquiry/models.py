"""Authorizations, the inquiry log, legal holds and abnormal-volume alerts (Art. 22, 28, 39).

The log is the platform's truthful record of who read what about whom (Art. 22, D-18). It is
written in the same transaction as the read, kept three years from the inquiry, then purged
unless a legal hold covers it; the subject can read every entry about them (Art. 39, D-26).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime


class Authorization(Base):
    """A subject's authorization of a third party (Art. 22; Art. 39: separate, revocable)."""

    __tablename__ = "subject_authorization"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"), index=True)
    grantee_id: Mapped[int] = mapped_column(ForeignKey("grantee.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(200))
    #: Channels the grantee may inquire through: api, web, mobile, desk.
    channels: Mapped[list[str]] = mapped_column(Json)
    #: Scope: item codes and/or Art. 18 scope categories (both empty is not allowed).
    scope_items: Mapped[list[str]] = mapped_column(Json)
    scope_categories: Mapped[list[int]] = mapped_column(Json)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    granted_via: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InquiryLog(Base):
    """One inquiry: who, mode, channel, purpose, subject, records and versions returned.

    On PostgreSQL the table is partitioned by CST month on ``at`` (migration 0018,
    ``pcip.inquiry.partitions``): its primary key there is ``(id, at)``, as a partitioned
    table's must include the partition key. The mapping keeps ``id`` alone as the identity
    (one sequence numbers every entry) and SQLite keeps the plain table, so the metadata here
    describes the columns, indexes and foreign keys of both; the partitioning is the
    migration's.
    """

    __tablename__ = "inquiry_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    mode: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(Text)
    #: "public:anonymous", "provider:<uscc>/account:<id>", "grantee:<uscc>", "subject:<id>".
    inquirer: Mapped[str] = mapped_column(String(128))
    #: The organisation name shown to the subject (never a member of the public's identity).
    inquirer_display: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id"))
    authorization_id: Mapped[int | None] = mapped_column(ForeignKey("subject_authorization.id"))
    #: Authority inquiries: the past day asked about (None: the day of the inquiry).
    as_of: Mapped[date | None] = mapped_column(Date)
    #: D-26: the law requiring confidentiality, as cited by the reason below (the subject then
    #: sees that the unit inquired, and when, without the details).
    confidential_basis: Mapped[str | None] = mapped_column(String(255))
    #: D-26: the reason code from ``pcip.inquiry.confidential.REASONS`` (None: not confidential).
    confidential_reason: Mapped[str | None] = mapped_column(String(64))
    #: [[record_id, version], ...] exactly as returned.
    returned: Mapped[list[Any]] = mapped_column(Json)
    returned_count: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_inquiry_log_subject_at", "subject_id", "at"),
        Index("ix_inquiry_log_inquirer_at", "inquirer", "at"),
        Index("ix_inquiry_log_at", "at"),
    )


class LegalHold(Base):
    """Keeps inquiry log entries past their purge date (D-18): one entry, or a whole subject."""

    __tablename__ = "legal_hold"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    inquiry_id: Mapped[int | None] = mapped_column(BigId, index=True)
    reason: Mapped[str] = mapped_column(Text)
    placed_by: Mapped[str] = mapped_column(String(128))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_by: Mapped[str | None] = mapped_column(String(128))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InquiryAlert(Base):
    """Art. 28: an account's inquiry volume above the configured threshold in one hour."""

    __tablename__ = "inquiry_alert"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    inquirer: Mapped[str] = mapped_column(String(128))
    inquirer_display: Mapped[str] = mapped_column(String(200))
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(Integer)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(128))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("inquirer", "window_start"),)


class InquiryScopeGrant(Base):
    """Art. 22(2): a catalog item a providing unit's duties need beyond the items it provides.

    A unit's authority inquiries see the items it is registered to provide (Art. 20) and the
    items the operator granted it here, each with the legal basis of the duty that needs it.
    A grant is revoked by dating it (``revoked_at``), never deleted: the scope on any past
    day can be told.
    """

    __tablename__ = "inquiry_scope_grant"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    #: The law or regulation (article) assigning the duty that needs this item.
    legal_basis: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(String(128))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(128))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(Text)
