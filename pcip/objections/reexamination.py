"""Re-examination by the development and reform department (Art. 40 para 4): the subject's
request, a paper application registered by the department, and its decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission
from pcip.errors import Collect, ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.objections import effects
from pcip.objections import evidence as files
from pcip.objections.casework import (
    Changes,
    _audit,
    _choice,
    _event,
    _guard,
    _store_evidence,
    _text,
)
from pcip.objections.decisions import _decide
from pcip.objections.log import get, record_ids
from pcip.objections.models import (
    Notice,
    Objection,
    ObjectionEvent,
)
from pcip.objections.schemas import DecisionIn, PaperReexamIn, ReexamIn
from pcip.objections.states import Kind
from pcip.objections.steps import step


@step(
    "request_reexam", Kind.REEXAM_REQUESTED, Permission.OBJECTION_FILE, schema=ReexamIn, files=True
)
def request_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    statement: str,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the subject applies to the D&R department for re-examination (on
    the platform, its own case only)."""
    return _request_reexam(
        session, actor, objection_id, statement=statement, evidence=evidence, files_dir=files_dir
    )


def _request_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    statement: str,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
    paper: PaperApplication | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the D&R department registers the application; its 3 working days run
    from the day it received it. Art. 41 para 1: the label is back on while it is
    re-examined.

    The Regulations set no time limit for applying: a case closed without a re-examination
    can still be re-examined, once (``states.py``). ``paper``: an application received on
    paper at the department's window or by post, registered by its staff; the receipt time
    is when it arrived there (not in the future, not before the case's last notice).
    """
    # Issue 19.8: every field is checked before the application is refused.
    problems = Collect()
    with problems:
        statement = _text(statement, "statement", limit=20_000)
    checked: list[files.CheckedFile] = []
    with problems:
        checked = files.check(evidence)
    if paper is not None:
        with problems:
            _text(paper.applicant, "applicant", limit=200)
        with problems:
            _choice(paper.channel, PAPER_CHANNELS, "channel")
    problems.raise_any()
    objection = get(session, objection_id, lock=True)
    current = _guard(session, objection, Kind.REEXAM_REQUESTED)
    payload: dict[str, Any] = {"statement": statement}
    if paper is not None:
        payload.update(_paper(session, objection, paper))
    evidence_ids = _store_evidence(session, actor, objection, checked, files_dir)
    payload["evidence"] = evidence_ids
    ids = record_ids(session, objection.id)
    effects.label_on(session, actor, objection.id, ids, clock.today())
    event = _event(session, actor, objection, Kind.REEXAM_REQUESTED, payload)
    _audit(
        session,
        actor,
        objection,
        "reexam_request",
        "Art. 40 para 4; Art. 41 para 1",
        {
            "evidence": evidence_ids,
            "records": ids,
            "from_state": current.state.value,
            **{k: payload[k] for k in ("channel", "received_at", "applicant") if k in payload},
        },
    )
    return event


@dataclass(frozen=True)
class PaperApplication:
    """A re-examination application received on paper (Art. 40 para 4), as staff register it."""

    applicant: str
    channel: str  # desk or mail
    received_at: datetime | None = None


#: How a paper application reaches the department.
PAPER_CHANNELS = ("desk", "mail")


def _paper(session: Session, objection: Objection, paper: PaperApplication) -> dict[str, Any]:
    applicant = _text(paper.applicant, "applicant", limit=200)
    channel = _choice(paper.channel, PAPER_CHANNELS, "channel")
    now = clock.now()
    at = paper.received_at or now
    if at.tzinfo is None or at > now:
        raise ValidationError(msg("objections.receipt_time"), field="received_at")
    last_notice = session.scalar(
        select(Notice.issued_at)
        .where(Notice.objection_id == objection.id)
        .order_by(Notice.issued_at.desc())
        .limit(1)
    )
    if last_notice is not None and at < last_notice:
        raise ValidationError(
            msg("objections.paper_before_notice", day=clock.legal_day(last_notice).isoformat()),
            field="received_at",
        )
    return {"applicant": applicant, "channel": channel, "received_at": at.isoformat()}


@step(
    "register_reexam",
    Kind.REEXAM_REQUESTED,
    Permission.OBJECTION_REEXAMINE,
    schema=PaperReexamIn,
    files=True,
)
def register_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    applicant: str,
    channel: str,
    statement: str,
    received_at: datetime | None = None,
    evidence: Sequence[files.EvidenceFile] = (),
    files_dir: Path | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the department's staff register a paper application for
    re-examination received at its window (or by post), dated when it arrived."""
    return _request_reexam(
        session,
        actor,
        objection_id,
        statement=statement,
        evidence=evidence,
        files_dir=files_dir,
        paper=PaperApplication(applicant, channel, received_at),
    )


@step("decide_reexam", Kind.REEXAM_DECIDED, Permission.OBJECTION_REEXAMINE, schema=DecisionIn)
def decide_reexam(
    session: Session,
    actor: Actor,
    objection_id: int,
    *,
    outcome: str,
    reasons: str,
    changes: Changes | None = None,
    withdrawal: Mapping[str, Any] | None = None,
) -> ObjectionEvent:
    """Art. 40 para 4: the D&R department's result; a changed outcome applies Art. 42 to the
    records, and the label comes off in the same transaction (Art. 42 para 2)."""
    return _decide(
        session,
        actor,
        objection_id,
        outcome,
        reasons,
        changes,
        withdrawal,
        step=(Kind.REEXAM_DECIDED, "re-examination", "reexam_decide", "Art. 40 para 4; Art. 42"),
    )
