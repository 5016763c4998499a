"""Cases in a chosen SM-1 state, made through the real service functions (for API tests)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.objections import service
from tests.objections.builders import (
    AS_DRC,
    AS_OPERATOR,
    TXT,
    as_subject,
    subject_of,
    unit_of,
)

SUBJECT = Actor(ActorKind.SUBJECT, "subject", "the applicant")

Step = Callable[[Session, int], object]

#: The steps that lead to each state, after receipt.
_PATHS: dict[str, tuple[str, ...]] = {
    "received": (),
    "labelled": ("label",),
    "self_review": ("label", "self"),
    "paused": ("label", "self", "pause"),
    "transferred": ("label", "transfer"),
    "pu_review": ("label", "transfer", "pu_receive"),
    "decided": ("label", "self", "decide"),
    "notified": ("label", "self", "decide", "notify"),
    # D-2: the unit's result is decided and notified in the same step.
    "notified_transferred": ("label", "transfer", "pu_receive", "pu_return"),
    "closed": ("label", "self", "decide", "notify", "close"),
    "reexam_requested": ("label", "self", "decide", "notify", "reexam"),
    "reexam_decided": ("label", "self", "decide", "notify", "reexam", "decide_reexam"),
}


def _steps(platform: Platform) -> dict[str, Step]:
    files = platform.settings.files_dir
    return {
        "label": lambda s, o: service.apply_label(s, AS_OPERATOR, o),
        "self": lambda s, o: service.start_self_review(s, AS_OPERATOR, o),
        "pause": lambda s, o: service.pause(
            s, AS_OPERATOR, o, pause_type="testing", reason="送检", evidence=[TXT], files_dir=files
        ),
        "transfer": lambda s, o: service.transfer(s, AS_OPERATOR, o),
        "pu_receive": lambda s, o: service.pu_receive(s, unit_of(s, o), o),
        "pu_return": lambda s, o: service.pu_return(
            s, unit_of(s, o), o, outcome="upheld", reasons="经核实无误"
        ),
        "decide": lambda s, o: service.decide(s, AS_OPERATOR, o, outcome="upheld", reasons="无误"),
        "notify": lambda s, o: service.notify(s, AS_OPERATOR, o),
        "reexam": lambda s, o: service.request_reexam(
            s, subject_of(s, o), o, statement="不服，申请复核", files_dir=files
        ),
        "decide_reexam": lambda s, o: service.decide_reexam(
            s, AS_DRC, o, outcome="upheld", reasons="维持"
        ),
        "close": lambda s, o: service.close(s, AS_OPERATOR, o),
    }


def case_in(platform: Platform, subject_id: int, record_ids: Sequence[int], state: str) -> int:
    """A new objection by ``subject_id`` to ``record_ids``, taken to ``state``; its id."""
    steps = _steps(platform)
    with platform.transaction() as s:
        received = service.receive(
            s,
            as_subject(subject_id),
            subject_id=subject_id,
            record_ids=record_ids,
            ground="error",
            statement="罚款金额有误",
            applicant="申请人",
            channel="web",
            evidence=[TXT],
            files_dir=platform.settings.files_dir,
        )
        oid = received.objection.id
        for step in _PATHS[state]:
            steps[step](s, oid)
    return oid
