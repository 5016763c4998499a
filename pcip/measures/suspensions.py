"""Art. 46: which measures a decision has suspended on a day (read by credit checks).

A measure stays in force while a reconsideration or litigation case is pending; only a
``MeasureSuspension`` fact (written with its document by ``pcip.complaints``) suspends it, and a
later 'lifted' fact ends the suspension. Derived per day from the facts, never a flag.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pcip.measures.models import MeasureSuspension


def suspended(
    session: Session,
    on: date,
    *,
    applications: Collection[int] = (),
    designations: Collection[int] = (),
) -> dict[tuple[str, int], MeasureSuspension]:
    """{("application" | "designation", id): the suspension in force on ``on``}."""
    if not applications and not designations:
        return {}
    rows = session.scalars(
        select(MeasureSuspension)
        .where(
            or_(
                MeasureSuspension.application_id.in_(list(applications)),
                MeasureSuspension.designation_id.in_(list(designations)),
            ),
            MeasureSuspension.effective_on <= on,
        )
        .order_by(MeasureSuspension.effective_on, MeasureSuspension.id)
    )
    latest: dict[tuple[str, int], MeasureSuspension] = {}
    for row in rows:
        key = (
            ("application", row.application_id)
            if row.application_id is not None
            else ("designation", row.designation_id or 0)
        )
        latest[key] = row
    return {k: v for k, v in latest.items() if v.kind == "suspended"}
