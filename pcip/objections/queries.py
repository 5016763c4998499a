"""Questions about objection cases that the console and the reports ask (Art. 40-42)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.objections.models import Objection
from pcip.objections.tracking import Case, cases_of


def all_cases(session: Session, today: date) -> list[Case]:
    """Every case, closed ones too, with its deadlines (oversight counts them all)."""
    objections = list(session.scalars(select(Objection).order_by(Objection.id)))
    return cases_of(session, objections, today)
