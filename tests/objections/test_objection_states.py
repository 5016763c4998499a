"""SM-1 as a pure replay (docs/decisions.md#state-machines): every legal path, and refusals."""

from __future__ import annotations

from typing import Any

import pytest

from pcip.errors import Conflict
from pcip.objections.states import Kind, Position, State, replay

Log = list[tuple[str, dict[str, Any]]]


def _log(*kinds: str, notice: str = "outcome") -> Log:
    return [(k, {"notice": notice} if k == "notified" else {}) for k in ("received", *kinds)]


@pytest.mark.parametrize(
    ("kinds", "end"),
    [
        ((), State.RECEIVED),
        (("not_accepted",), State.NOT_ACCEPTED),
        (("labelled", "not_accepted"), State.NOT_ACCEPTED),
        (("labelled", "self_review", "decided", "notified", "closed"), State.CLOSED),
        (
            ("labelled", "transferred", "pu_received", "pu_result_returned", "decided"),
            State.DECIDED,
        ),
        (("labelled", "self_review", "paused"), State.PAUSED),
        (("labelled", "self_review", "paused", "resumed"), State.SELF_REVIEW),
        (("labelled", "transferred", "pu_received", "paused", "resumed"), State.PU_REVIEW),
        (("not_accepted", "reexam_requested", "paused", "resumed"), State.REEXAM_REQUESTED),
        (("not_accepted", "reexam_requested", "reexam_decided"), State.REEXAM_DECIDED),
        (("not_accepted", "closed"), State.CLOSED),
    ],
)
def test_sm1_art40_42_legal_paths(kinds: tuple[str, ...], end: State) -> None:
    assert replay(_log(*kinds)).state is end


def test_sm1_art40_reexam_result_is_notified_before_closing() -> None:
    log = _log("labelled", "self_review", "decided", "notified", "reexam_requested")
    log += [("reexam_decided", {}), ("notified", {"notice": "reexam_outcome"}), ("closed", {})]
    assert replay(log).state is State.CLOSED
    with pytest.raises(Conflict, match="'reexam_decided'"):
        replay([*log[:-2], ("closed", {})])


def test_sm1_d2_status_notice_keeps_the_state() -> None:
    log = [*_log("labelled", "transferred"), ("notified", {"notice": "status_update"})]
    assert replay(log).state is State.TRANSFERRED


@pytest.mark.parametrize(
    ("kinds", "state"),
    [
        (("transferred",), "received"),
        (("labelled", "decided"), "labelled"),
        (("labelled", "paused"), "labelled"),
        (("labelled", "transferred", "pu_result_returned"), "transferred"),
        (("labelled", "self_review", "paused", "decided"), "paused"),
        (("labelled", "self_review", "decided", "closed"), "decided"),
        (("labelled", "self_review", "decided", "reexam_requested"), "decided"),
        (("labelled", "self_review", "resumed"), "self_review"),
        (("not_accepted", "labelled"), "not_accepted"),
    ],
)
def test_sm1_illegal_steps_name_the_current_state(kinds: tuple[str, ...], state: str) -> None:
    with pytest.raises(Conflict) as exc:
        replay(_log(*kinds))
    assert f"the objection is '{state}'" in exc.value.message


def test_sm1_log_starts_with_receipt() -> None:
    with pytest.raises(Conflict):
        replay([("labelled", {})])
    with pytest.raises(Conflict):
        replay([])
    # Issue 14.9: no time limit for re-examination, so a closed case that was never
    # re-examined can be; one that was cannot be re-examined again (Art. 40 para 4).
    assert Position(State.CLOSED).allowed(Kind.REEXAM_REQUESTED)
    assert not Position(State.CLOSED, reexamined=True).allowed(Kind.REEXAM_REQUESTED)
    assert Position(State.NOTIFIED).allowed(Kind.REEXAM_REQUESTED)
