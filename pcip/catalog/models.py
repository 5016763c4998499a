"""Catalogs, their versions and items (Art. 16-18).

Items belong to a catalog *version*: a published version is never edited (Art. 17 publishes
versions with their effective dates), and records point at the exact item version they were
accepted under. Which version is in force on a day is derived from effective dates.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pcip.db import Base, BigId, Json, UTCDateTime


class Catalog(Base):
    __tablename__ = "catalog"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # national_basic, cq_supplement
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))

    versions: Mapped[list[CatalogVersion]] = relationship(
        back_populates="catalog", order_by="CatalogVersion.effective_from", lazy="raise"
    )


class CatalogVersion(Base):
    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    catalog_id: Mapped[int] = mapped_column(ForeignKey("catalog.id"), index=True)
    version: Mapped[str] = mapped_column(String(32))
    effective_from: Mapped[date] = mapped_column(Date)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    legal_basis: Mapped[str] = mapped_column(Text)

    catalog: Mapped[Catalog] = relationship(back_populates="versions", lazy="raise")
    items: Mapped[list[CatalogItem]] = relationship(
        back_populates="version", order_by="CatalogItem.code", lazy="raise"
    )

    __table_args__ = (UniqueConstraint("catalog_id", "version"),)


class CatalogItem(Base):
    __tablename__ = "catalog_item"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("catalog_version.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    scope_category: Mapped[int]
    polarity: Mapped[str] = mapped_column(String(16))
    info_class: Mapped[str] = mapped_column(String(16))
    disclosure_class: Mapped[str] = mapped_column(String(16))
    #: The full validated ItemSpec (fields, severity classes, periods, subject kinds...).
    spec: Mapped[dict[str, Any]] = mapped_column(Json)
    legal_basis: Mapped[str] = mapped_column(Text)

    version: Mapped[CatalogVersion] = relationship(back_populates="items", lazy="raise")

    __table_args__ = (
        UniqueConstraint("version_id", "code"),
        CheckConstraint("scope_category BETWEEN 1 AND 8", name="scope_category"),
        CheckConstraint("polarity IN ('positive', 'neutral', 'negative')", name="polarity"),
        CheckConstraint("info_class IN ('public', 'market', 'self_declared')", name="info_class"),
        CheckConstraint(
            "disclosure_class IN ('public', 'authorized', 'authority')", name="disclosure_class"
        ),
    )
