"""Complaint deadlines (Art. 46, D-9), derived from the events and the working-day calendar.

The time limits are data with their citations (``data/deadlines.yaml``, checked on load with
``pcip.kernel.datafiles.validate_data``). The counting is the objections' own
(``pcip.objections.deadlines``: one ``Deadline`` shape, the same due/overdue/days-left rules);
nothing is stored, so loading a year's official schedule recounts every open deadline
(``recount``, listed in ``pcip.flows.schedules.DEADLINE_HOLDERS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.calendar.workdays import WorkCalendar
from pcip.complaints.models import Complaint, ComplaintEvent
from pcip.kernel.datafiles import validate_data
from pcip.objections.deadlines import Deadline, Period, periods_named
from pcip.objections.deadlines import count_deadline as count  # the objections' counting

DEADLINES_FILE = Path(__file__).parent / "data" / "deadlines.yaml"
CLOSING = frozenset({"not_accepted", "redirected", "answered"})


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["accept", "answer"]
    working_days: int = Field(ge=1, le=60)
    article: str = Field(pattern=r"^Art\. \d+")
    citation: str = Field(min_length=10)


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.complaint-deadlines/1"]
    periods: tuple[_Row, ...] = Field(min_length=2, max_length=2)


def load_periods(path: Path = DEADLINES_FILE) -> dict[str, Period]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = validate_data(_File, raw, field=path.name).periods
    return periods_named(rows, ("accept", "answer"))


_PERIODS = load_periods()
ACCEPT = _PERIODS["accept"]
ANSWER = _PERIODS["answer"]


def _first(events: Sequence[ComplaintEvent], kinds: frozenset[str] | set[str]) -> date | None:
    return next((e.on for e in events if e.kind in kinds), None)


def derive(
    complaint: Complaint, events: Sequence[ComplaintEvent], cal: WorkCalendar, today: date
) -> list[Deadline]:
    """Decide on acceptance within ACCEPT; answer within ANSWER (both from receipt). A
    complaint not accepted or redirected has no answer deadline."""
    decided = _first(events, {"accepted", "not_accepted", "redirected"})
    out = [count(cal, ACCEPT, complaint.received_on, decided, today, [])]
    if _first(events, {"not_accepted", "redirected"}) is None:
        out.append(
            count(cal, ANSWER, complaint.received_on, _first(events, {"answered"}), today, [])
        )
    return out


@dataclass(frozen=True)
class Recounted:
    """An open complaint's deadline that a newly loaded official schedule moved or settled."""

    complaint_id: int
    deadline: str
    due_before: date
    due_after: date
    provisional_before: bool
    provisional_after: bool

    def as_json(self) -> dict[str, object]:
        return {
            "complaint_id": self.complaint_id,
            "deadline": self.deadline,
            "due_before": self.due_before.isoformat(),
            "due_after": self.due_after.isoformat(),
            "provisional_before": self.provisional_before,
            "provisional_after": self.provisional_after,
        }


def events_of(session: Session, ids: Sequence[int]) -> dict[int, list[ComplaintEvent]]:
    out: dict[int, list[ComplaintEvent]] = {i: [] for i in ids}
    if not ids:
        return out
    for e in session.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id.in_(list(ids)))
        .order_by(ComplaintEvent.on, ComplaintEvent.id)
    ):
        out[e.complaint_id].append(e)
    return out


def is_open(events: Sequence[ComplaintEvent]) -> bool:
    return not any(e.kind in CLOSING for e in events)


def recount(
    session: Session, before: WorkCalendar, after: WorkCalendar, today: date
) -> list[Recounted]:
    """A schedule load: the open complaints' deadlines whose due date or mark moved."""
    complaints = list(session.scalars(select(Complaint).order_by(Complaint.id)))
    logs = events_of(session, [c.id for c in complaints])
    out: list[Recounted] = []
    for c in complaints:
        if not is_open(logs[c.id]):
            continue
        old = {d.name: d for d in derive(c, logs[c.id], before, today)}
        for d in derive(c, logs[c.id], after, today):
            was = old.get(d.name)
            if was is None or (was.due, was.provisional) == (d.due, d.provisional):
                continue
            out.append(Recounted(c.id, d.name, was.due, d.due, was.provisional, d.provisional))
    return out
