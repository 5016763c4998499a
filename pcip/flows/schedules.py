"""Loading a year's official working-day schedule (Art. 40; D-1), told to every area that holds
working-day deadlines.

The calendar stores the schedule and writes the audit row; each holder names the open
deadlines the new schedule moved or settled, which the row lists (``recounted``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pcip.calendar.schedule import YearSchedule
from pcip.calendar.service import DeadlineHolder, LoadResult, load
from pcip.complaints.deadlines import recount as recount_complaints
from pcip.kernel.actors import Actor
from pcip.objections.tracking import recount as recount_objections
from pcip.restoration.service import recount as recount_restoration

#: Every area holding deadlines counted in working days. Restoration (Art. 49) and the
#: designations with working-day periods add their recount here.
DEADLINE_HOLDERS: tuple[DeadlineHolder, ...] = (
    recount_objections,
    recount_restoration,
    recount_complaints,
)


def load_schedule(session: Session, actor: Actor, schedule: YearSchedule) -> LoadResult:
    """Load ``schedule`` and recount every area's open working-day deadlines on it."""
    return load(session, actor, schedule, holders=DEADLINE_HOLDERS)
