"""Providing units (Art. 20, 56) and the catalog items each may submit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcip.db import Base, BigId, UTCDateTime


class Provider(Base):
    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: city or district level (Art. 20 sharing system; Art. 40 re-examination level).
    level: Mapped[str] = mapped_column(String(16), default="city")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    grants: Mapped[list[ProviderItem]] = relationship(
        back_populates="provider", order_by="ProviderItem.item_code", lazy="raise"
    )


class ProviderItem(Base):
    """Art. 20: a unit may submit only the items it is registered for."""

    __tablename__ = "provider_item"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    item_code: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime)

    provider: Mapped[Provider] = relationship(back_populates="grants", lazy="raise")

    __table_args__ = (UniqueConstraint("provider_id", "item_code"),)


class ProviderKey(Base):
    """An API key bound to one providing unit (its systems submit batches with it).

    The secret is 32 random bytes shown once; only its SHA-256 is stored. A slow password
    hash is unnecessary for a high-entropy secret and would cost every request.
    """

    __tablename__ = "provider_key"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    key_id: Mapped[str] = mapped_column(String(24), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
