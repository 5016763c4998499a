"""SM-2 (docs/decisions.md#state-machines): a designation's state, derived from its dated facts.

Nothing stores the state: it follows from which steps have happened (their dates), the list
type's statement period counted on the working-day calendar (D-1, D-10) and today's date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pcip.calendar.workdays import DeadlineResult, WorkCalendar
from pcip.lists.models import Designation
from pcip.lists.schemas import ListTypeSpec


class State(StrEnum):
    DRAFT = "draft"
    OBJECTION_WINDOW = "objection_window"  # notice served, the statement period running
    WINDOW_LAPSED = "window_lapsed"  # the period ended without a statement
    STATEMENT_RECEIVED = "statement_received"
    RESPONDED = "responded"  # the statement was answered (objection rejected)
    DROPPED = "dropped"
    DECIDED = "decided"
    DECISION_SERVED = "decision_served"
    LISTED = "listed"
    REMOVED = "removed"
    EXPIRED = "expired"
    REVOKED = "revoked"


#: A listing in force: what the public list, linked persons and checks rest on.
IN_FORCE = frozenset({State.LISTED})
ENDED = frozenset({State.REMOVED, State.EXPIRED, State.REVOKED})


def statement_due(
    d: Designation, spec: ListTypeSpec, calendar: WorkCalendar
) -> DeadlineResult | None:
    """D-10: the end of the statement window, N working days after the notice was served."""
    if d.notice_served_on is None or spec.statement_period_working_days is None:
        return None
    return calendar.deadline(d.notice_served_on, spec.statement_period_working_days)


def state_of(d: Designation, spec: ListTypeSpec, calendar: WorkCalendar, on: date) -> State:
    if d.ended_on is not None and d.ended_on <= on:
        return State(d.end_kind or State.REMOVED)
    if d.listed_on is not None and d.listed_on <= on:
        if d.listed_until is not None and on > d.listed_until:
            return State.EXPIRED  # the list rule's period ran out (derived; the sweep records it)
        return State.LISTED
    if d.decision_served_on is not None:
        return State.DECISION_SERVED
    if d.decided_on is not None:
        return State.DECIDED
    if d.dropped_on is not None:
        return State.DROPPED
    if d.responded_on is not None:
        return State.RESPONDED
    if d.statement_received_on is not None:
        return State.STATEMENT_RECEIVED
    if d.notice_served_on is not None:
        due = statement_due(d, spec, calendar)
        if due is not None and on <= due.due:
            return State.OBJECTION_WINDOW
        return State.WINDOW_LAPSED
    return State.DRAFT


def in_force(d: Designation, on: date) -> bool:
    """Listed on ``on``: listed, not yet ended, within the list rule's period."""
    return (
        d.listed_on is not None
        and d.listed_on <= on
        and (d.ended_on is None or d.ended_on > on)
        and (d.listed_until is None or on <= d.listed_until)
    )
