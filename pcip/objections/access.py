"""Who may see which objection case and take which step (Art. 40-42; Art. 27 need-to-know).

The permission matrix (``pcip.auth.permissions``) says what a role may do at all; this module
adds the case-level scope (and who pauses which stage), and ``objections.steps`` declares
which role takes each step, so the API, the web pages and the CLI share one answer:

* a subject sees only its own cases, and asks for re-examination of them (Art. 40 para 4);
* the operator (the public credit service establishment) registers and handles every case;
* a providing unit sees only the cases transferred to it (Art. 40 para 2(2));
* the development and reform department re-examines (Art. 40 para 4) and reads the archive.

A case outside the caller's scope answers "not found", never "forbidden": its existence is
itself information about a subject.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.errors import NotFound
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg
from pcip.objections.log import get
from pcip.objections.models import Evidence, Notice, Objection
from pcip.objections.states import Position, State

#: The permission that lets each role read a case at all.
_READ = (
    Permission.OBJECTION_ARCHIVE,
    Permission.OBJECTION_HANDLE,
    Permission.OBJECTION_TRANSFERRED,
    Permission.OBJECTION_FILE,
)


def can_read_any(principal: Principal) -> bool:
    return any(allowed(principal, p) for p in _READ)


def in_scope(principal: Principal, objection: Objection) -> bool:
    """Whether this caller may see this case (the matrix already let it read cases at all)."""
    role = principal.role
    if role is ActorKind.SUBJECT:
        return objection.subject_id == principal.subject_id
    if role is ActorKind.PROVIDER:
        return objection.provider_id is not None and objection.provider_id == principal.provider_id
    return allowed(principal, Permission.OBJECTION_ARCHIVE) or allowed(
        principal, Permission.OBJECTION_HANDLE
    )


def case(session: Session, principal: Principal, objection_id: int) -> Objection:
    """The case, if the caller may read it; otherwise 401/403 (no right) or 404 (not theirs)."""
    if not can_read_any(principal):
        require(principal, Permission.OBJECTION_ARCHIVE)  # raises with the precise status
    objection = get(session, objection_id)
    if not in_scope(principal, objection):
        raise NotFound(msg("objections.no_objection", id=objection_id), field="objection_id")
    return objection


def case_notice(
    session: Session, principal: Principal, objection_id: int, notice_id: int
) -> tuple[Objection, Notice]:
    """A notice of a case the caller may read (else 404, as for the case itself)."""
    objection = case(session, principal, objection_id)
    found = session.get(Notice, notice_id)
    if found is None or found.objection_id != objection.id:
        raise NotFound(
            msg("objections.no_notice", id=notice_id, objection=objection_id), field="notice_id"
        )
    return objection, found


def case_evidence(
    session: Session, principal: Principal, objection_id: int, evidence_id: int
) -> Evidence:
    """An evidence file of a case the caller may read (else 404, as for the case itself)."""
    objection = case(session, principal, objection_id)
    found = session.get(Evidence, evidence_id)
    if found is None or found.objection_id != objection.id:
        raise NotFound(
            msg("objections.no_evidence", id=evidence_id, objection=objection_id),
            field="evidence_id",
        )
    return found


def acting_case(
    session: Session, principal: Principal, objection_id: int, permission: Permission
) -> Objection:
    """The case, if the caller holds ``permission`` and the case is in its scope."""
    require(principal, permission)
    return case(session, principal, objection_id)


#: Who pauses (and resumes) each pausable stage: the one doing the verification (Art. 41(2)).
PAUSE_PERMISSION = {
    State.SELF_REVIEW: Permission.OBJECTION_HANDLE,
    State.PU_REVIEW: Permission.OBJECTION_TRANSFERRED,
    State.REEXAM_REQUESTED: Permission.OBJECTION_REEXAMINE,
}


def pause_permission(position: Position) -> Permission:
    """The permission needed to pause now, or to resume a pause (by the stage it paused)."""
    stage = position.paused_from if position.state is State.PAUSED else position.state
    if stage is None or stage not in PAUSE_PERMISSION:
        # Not pausable now: the operator is asked, and the state machine refuses with reasons.
        return Permission.OBJECTION_HANDLE
    return PAUSE_PERMISSION[stage]
