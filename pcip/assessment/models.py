"""Batch runs of the assessment (Art. 30): only the distribution is kept, never a subject's
grade (a grade is derived when asked, from the facts of that day)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pcip.db import Base, BigId, Json, UTCDateTime


class AssessmentRun(Base):
    __tablename__ = "assessment_run"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    model_version: Mapped[str] = mapped_column(String(32))
    #: The day the facts were read as of.
    on: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(128))
    subjects: Mapped[int] = mapped_column(Integer)
    #: {"A": n, "B": n, "C": n, "D": n}
    distribution: Mapped[dict[str, Any]] = mapped_column(Json)
    #: Reason code -> number of subjects it applied to.
    reasons: Mapped[dict[str, Any]] = mapped_column(Json)
    #: Wall-clock milliseconds the run took.
    millis: Mapped[int] = mapped_column(Integer)
