"""State machine SM-1 (docs/decisions.md#state-machines) as a pure replay of the event log.

No state column exists: the state of a case is what its events say, replayed here. The same
table that replays the log refuses an illegal next step, so the service can never append an
event the replay would not accept.

Two readings of SM-1 are made explicit:

* The re-examination runs from the day the D&R department receives the application (Art. 40
  para 4), so ``reexam_requested`` is also SM-1's ``REEXAM_REVIEW``: pausable and decidable.
* ``REEXAM_NOTIFIED`` is SM-1's "result notified" step between ``REEXAM_DECIDED`` and
  ``CLOSED``, so a case cannot be closed before the applicant has the re-examination result.
* Art. 40 para 4 sets no time limit for applying for re-examination, so closing a case (Art.
  41 para 3: it joins the archive) does not end the right: a closed case that was never
  re-examined can still be re-examined once (``CLOSED -> REEXAM_REQUESTED``). A case is
  re-examined once; the re-examination result ends the objection procedure (Art. 46 then
  offers complaint, administrative reconsideration or litigation). docs/objections.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pcip.errors import Conflict
from pcip.kernel.messages import Either, Message, Term, msg


class State(StrEnum):
    RECEIVED = "received"
    LABELLED = "labelled"
    NOT_ACCEPTED = "not_accepted"
    SELF_REVIEW = "self_review"
    TRANSFERRED = "transferred"
    PU_REVIEW = "pu_review"
    PU_RESULT_RETURNED = "pu_result_returned"
    PAUSED = "paused"
    DECIDED = "decided"
    NOTIFIED = "notified"
    REEXAM_REQUESTED = "reexam_requested"
    REEXAM_DECIDED = "reexam_decided"
    REEXAM_NOTIFIED = "reexam_notified"
    CLOSED = "closed"


class Kind(StrEnum):
    RECEIVED = "received"
    LABELLED = "labelled"
    NOT_ACCEPTED = "not_accepted"
    SELF_REVIEW = "self_review"
    TRANSFERRED = "transferred"
    PU_RECEIVED = "pu_received"
    PU_RESULT_RETURNED = "pu_result_returned"
    PAUSED = "paused"
    RESUMED = "resumed"
    DECIDED = "decided"
    NOTIFIED = "notified"
    REEXAM_REQUESTED = "reexam_requested"
    REEXAM_DECIDED = "reexam_decided"
    CLOSED = "closed"


S = State
#: Art. 41 para 2: the states whose handling time can be paused (inspection, testing,
#: evaluation, expert review).
PAUSABLE = frozenset({S.SELF_REVIEW, S.PU_REVIEW, S.REEXAM_REQUESTED})
#: The label is on while the case is handled or re-examined (Art. 40 para 2, Art. 41 para 1).
LABELLED_STATES = frozenset(
    {
        S.LABELLED,
        S.SELF_REVIEW,
        S.TRANSFERRED,
        S.PU_REVIEW,
        S.PU_RESULT_RETURNED,
        S.PAUSED,
        S.REEXAM_REQUESTED,
    }
)
#: D-2: before the outcome, a status notice may be sent (it moves nothing).
STATUS_NOTICE_STATES = frozenset(
    {S.LABELLED, S.SELF_REVIEW, S.TRANSFERRED, S.PU_REVIEW, S.PU_RESULT_RETURNED, S.PAUSED}
)
#: D-4: a case whose handling reached a decision (or a refusal): the basis of repeat checks.
CONCLUDED = frozenset(
    {
        S.NOT_ACCEPTED,
        S.DECIDED,
        S.NOTIFIED,
        S.REEXAM_REQUESTED,
        S.REEXAM_DECIDED,
        S.REEXAM_NOTIFIED,
        S.CLOSED,
    }
)

#: kind -> (states it may follow, state it leads to). ``resumed`` and ``notified`` are special.
_MOVES: dict[Kind, tuple[frozenset[State], State]] = {
    Kind.LABELLED: (frozenset({S.RECEIVED}), S.LABELLED),
    Kind.NOT_ACCEPTED: (frozenset({S.RECEIVED, S.LABELLED}), S.NOT_ACCEPTED),
    Kind.SELF_REVIEW: (frozenset({S.LABELLED}), S.SELF_REVIEW),
    Kind.TRANSFERRED: (frozenset({S.LABELLED}), S.TRANSFERRED),
    Kind.PU_RECEIVED: (frozenset({S.TRANSFERRED}), S.PU_REVIEW),
    Kind.PU_RESULT_RETURNED: (frozenset({S.PU_REVIEW}), S.PU_RESULT_RETURNED),
    Kind.PAUSED: (PAUSABLE, S.PAUSED),
    Kind.DECIDED: (frozenset({S.SELF_REVIEW, S.PU_RESULT_RETURNED}), S.DECIDED),
    Kind.REEXAM_REQUESTED: (
        frozenset({S.NOTIFIED, S.NOT_ACCEPTED, S.CLOSED}),
        S.REEXAM_REQUESTED,
    ),
    Kind.REEXAM_DECIDED: (frozenset({S.REEXAM_REQUESTED}), S.REEXAM_DECIDED),
    Kind.CLOSED: (frozenset({S.NOTIFIED, S.NOT_ACCEPTED, S.REEXAM_NOTIFIED}), S.CLOSED),
}
#: notice kind -> (states, next state); ``None`` keeps the state (D-2 status update).
_NOTICES: dict[str, tuple[frozenset[State], State | None]] = {
    "outcome": (frozenset({S.DECIDED}), S.NOTIFIED),
    "reexam_outcome": (frozenset({S.REEXAM_DECIDED}), S.REEXAM_NOTIFIED),
    "status_update": (STATUS_NOTICE_STATES, None),
}


@dataclass(frozen=True)
class Position:
    """Where a case stands; ``paused_from`` is the state a pause returns to (Art. 41 para 2);
    ``reexamined``: a re-examination was requested once already (Art. 40 para 4)."""

    state: State
    paused_from: State | None = None
    reexamined: bool = False

    def allowed(self, kind: Kind, payload: Mapping[str, Any] | None = None) -> bool:
        try:
            self.after(kind, payload)
        except Conflict:
            return False
        return True

    def after(self, kind: Kind, payload: Mapping[str, Any] | None = None) -> Position:
        """The position after an event of ``kind``, or Conflict naming the current state."""
        once = self.reexamined
        if kind is Kind.RESUMED:
            if self.state is not S.PAUSED or self.paused_from is None:
                raise _refuse(self.state, kind, frozenset({S.PAUSED}))
            return Position(self.paused_from, reexamined=once)
        if kind is Kind.NOTIFIED:
            notice = str((payload or {}).get("notice", ""))
            if notice not in _NOTICES:
                raise Conflict(msg("objections.unknown_notice", notice=notice), field="notice")
            states, target = _NOTICES[notice]
            if self.state not in states:
                raise _refuse(
                    self.state,
                    kind,
                    states,
                    msg("objections.send_notice", notice=Term("notice", notice)),
                )
            return self if target is None else Position(target, reexamined=once)
        if kind is Kind.RECEIVED:
            raise Conflict(msg("objections.received_once"), field="state")
        states, target = _MOVES[kind]
        if self.state not in states:
            raise _refuse(self.state, kind, states)
        if kind is Kind.REEXAM_REQUESTED:
            if once:
                raise Conflict(
                    msg("objections.reexamined_once"),
                    field="state",
                )
            once = True
        return Position(target, self.state if target is S.PAUSED else None, once)


def _refuse(
    state: State, kind: Kind, allowed: Iterable[State], action: Message | None = None
) -> Conflict:
    return Conflict(
        msg(
            "objections.wrong_state",
            state=Term("state", state.value),
            state_code=state.value,
            action=action or Term("event", kind.value, "action"),
            allowed=Either([Term("state", s.value) for s in sorted(allowed)]),
            allowed_codes=" or ".join(sorted(s.value for s in allowed)),
        ),
        field="state",
    )


def replay(events: Iterable[tuple[str, Mapping[str, Any]]]) -> Position:
    """The position after the log ``(kind, payload), ...``; the first must be ``received``."""
    position: Position | None = None
    for kind_text, payload in events:
        kind = Kind(kind_text)
        if position is None:
            if kind is not Kind.RECEIVED:
                raise Conflict(
                    msg("objections.log_starts_received", received=Term("event", "received")),
                    field="state",
                )
            position = Position(S.RECEIVED)
            continue
        position = position.after(kind, payload)
    if position is None:
        raise Conflict(msg("objections.no_events"), field="state")
    return position
