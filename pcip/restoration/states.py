"""SM-3 states, derived from a case's append-only events (never stored).

``submitted`` -> ``assigned`` (a named restoration officer, Art. 45 para 4) -> ``under_review``
(accepted) <-> ``materials_requested`` -> ``restored`` (approved and executed in one step) |
``rejected`` (reasons and remedies given). ``not_accepted`` ends a case before review.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol


class State(StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    NOT_ACCEPTED = "not_accepted"
    UNDER_REVIEW = "under_review"
    MATERIALS_REQUESTED = "materials_requested"
    RESTORED = "restored"
    REJECTED = "rejected"


CLOSED = frozenset({State.NOT_ACCEPTED, State.RESTORED, State.REJECTED})


class _Event(Protocol):
    kind: str


def state_of(events: Sequence[_Event]) -> State:
    kinds = [e.kind for e in events]
    if "executed" in kinds or "approved" in kinds:
        return State.RESTORED
    if "rejected" in kinds:
        return State.REJECTED
    if "not_accepted" in kinds:
        return State.NOT_ACCEPTED
    if "accepted" in kinds:
        last = next(
            (k for k in reversed(kinds) if k in ("materials_requested", "materials_received")),
            None,
        )
        return State.MATERIALS_REQUESTED if last == "materials_requested" else State.UNDER_REVIEW
    if "assigned" in kinds:
        return State.ASSIGNED
    return State.SUBMITTED


def officer_of(events: Sequence[object]) -> str | None:
    """The restoration officer named last (Art. 45 para 4)."""
    name = None
    for e in events:
        if getattr(e, "kind", None) == "assigned":
            name = getattr(e, "details", {}).get("officer")
    return name
