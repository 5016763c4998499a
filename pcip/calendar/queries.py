"""Questions about the stored calendar that the console, the API and the CLI all ask (Art. 40)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.calendar.models import CalendarYear


def stored_years(session: Session, *, newest_first: bool = False) -> list[CalendarYear]:
    """The years whose schedule is stored (loaded or seeded); other years are computed."""
    order = CalendarYear.year.desc() if newest_first else CalendarYear.year
    return list(session.scalars(select(CalendarYear).order_by(order)))
