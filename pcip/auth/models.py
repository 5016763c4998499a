"""Accounts, sessions and authorized third parties (Art. 22, 27).

Who can act, and how they prove it:

* staff accounts (operator, development and reform department, providing-unit staff) sign in
  with a username and an Argon2id-hashed password;
* credit subjects sign in with a real-name identity assertion from the configured identity
  provider; they have no password here;
* providing units' and authorized third parties' systems use API keys bound to their
  organisation (``ProviderKey`` in ``pcip.providers``; ``GranteeKey`` here).

A signed-in person holds an ``AuthSession``: a random token of which only the hash is stored.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, UTCDateTime

#: Staff roles an account may hold (docs/design.md#actors).
STAFF_ROLES = ("operator", "drc", "provider")


class Account(Base):
    """A staff member of the operator, a development and reform department, or a unit."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    #: Providing-unit staff belong to exactly one unit (Art. 22 authority-based inquiries).
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("role IN ('operator', 'drc', 'provider')", name="role"),
        CheckConstraint("(role = 'provider') = (provider_id IS NOT NULL)", name="unit_staff"),
    )


class Grantee(Base):
    """An organisation that may hold subjects' authorizations (Art. 22 authorized inquiry)."""

    __tablename__ = "grantee"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GranteeKey(Base):
    """An API key bound to one authorized third party (same scheme as ``ProviderKey``)."""

    __tablename__ = "grantee_key"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    grantee_id: Mapped[int] = mapped_column(ForeignKey("grantee.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(24), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthSession(Base):
    """A signed-in staff member or credit subject. Only the token's SHA-256 is stored."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: Web forms echo this (double submit bound to the session): CSRF protection.
    csrf_token: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("subject.id"), index=True)
    #: Real-name sign-in: the assertion's issuer and id. Unique, so an assertion is used once.
    assertion_issuer: Mapped[str | None] = mapped_column(String(255))
    assertion_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    #: The assertion came from the built-in development identity provider.
    development: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("(account_id IS NULL) <> (subject_id IS NULL)", name="one_principal"),
    )
