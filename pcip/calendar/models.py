"""Stored year schedules: the working-day calendar the platform counts deadlines on (Art. 40)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, Json, UTCDateTime


class CalendarYear(Base):
    """One year's official holiday arrangement, as seeded or loaded by the operator.

    A year without a row is computed (weekends and statutory holidays) and provisional.
    Loading a year again replaces its row; the audit log keeps every version loaded.
    """

    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    holidays: Mapped[list[str]] = mapped_column(Json)  # ISO dates
    makeup_workdays: Mapped[list[str]] = mapped_column(Json)  # ISO dates
    source: Mapped[str] = mapped_column(String(255))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    loaded_by: Mapped[str] = mapped_column(String(128))
    official: Mapped[bool] = mapped_column(Boolean, default=True)
