"""Credit restoration (Art. 45; SM-3; D-7 to D-9): applying, handling, and its effects.

Applying. The subject (or the person it authorises) applies online or through the API; staff
at a service window register a paper application for it. The application names the record or
the listing, how the conduct was corrected and the obligations performed (with proof files),
and makes the credit pledge of the matter ``restoration`` in the same transaction (Art. 26, 45;
``pcip.pledges``). Before the minimum publicity period ends it is refused with the date it
becomes possible (``eligibility``). Nothing is charged: there is no fee anywhere (Art. 45
para 4).

Handling. The unit that owns the data handles the case (the platform, for a record, may too):
a named restoration officer is assigned (Art. 45 para 4), the case is accepted or not within
3 working days and decided within 10 (``deadlines``, data with citations, D-9); overdue steps
raise an alert once (``overdue_check``).

Effects, in the approving transaction (SM-3 ``APPROVED`` -> ``EXECUTED``):
* a record: a ``restored`` record event (``pcip.records``' append-only dated facts). The
  disclosure rules read it (``RecordFacts.restored_on``): from that day no inquiry mode provides
  the record, and the subject's own view keeps it, marked restored. Restoration writes the fact;
  disclosure, below it, never imports restoration.
* a listing of a seriously untrustworthy entity: the listing is removed through the lists
  service (``pcip.lists.designation.remove``), which ends the responsible persons' linked
  records with it (Art. 45 para 3, D-7); the persons concerned are named only in a sealed
  audit entry (D-8).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.disclosure.service import held_records
from pcip.errors import Collect, Conflict, Forbidden, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import Term, msg
from pcip.lists import designation as listings
from pcip.lists import linked
from pcip.lists import types as list_types
from pcip.lists.models import Designation
from pcip.lists.schemas import EndIn
from pcip.lists.states import State as ListState
from pcip.lists.states import state_of as list_state_of
from pcip.objections.deadlines import Deadline
from pcip.objections.effects import record_event
from pcip.objections.evidence import CheckedFile, EvidenceFile, check, write_sealed
from pcip.pledges.service import make_pledge
from pcip.records.models import CreditRecord, RecordEvent
from pcip.restoration import deadlines as limits
from pcip.restoration.eligibility import Opening, listing_opens, record_opens
from pcip.restoration.models import (
    RestorationAlert,
    RestorationApplication,
    RestorationEvent,
    RestorationProof,
)
from pcip.restoration.states import CLOSED, State, officer_of, state_of
from pcip.subjects.models import Subject

ARTICLE = "Art. 45"
#: Art. 45 para 4: restoration is free of charge; shown wherever an application is made.
FEE = 0


class TooEarly(ValidationError):
    """Art. 45, docs/facts.md section 3: the minimum publicity period has not ended."""

    code = "too_early"

    def __init__(self, possible_from: date, field: str) -> None:
        super().__init__(msg("restoration.too_early", day=possible_from.isoformat()), field=field)
        self.possible_from = possible_from

    def as_dict(self, locale: str = "en") -> dict[str, Any]:
        return {**super().as_dict(locale), "possible_from": self.possible_from.isoformat()}


@dataclass(frozen=True)
class Case:
    application: RestorationApplication
    events: list[RestorationEvent]
    state: State
    officer: str | None
    deadlines: list[Deadline]
    proofs: list[RestorationProof]

    @property
    def overdue(self) -> bool:
        return any(d.overdue and d.met_on is None for d in self.deadlines)


# --- reading ----------------------------------------------------------------------------------


def _events(session: Session, ids: Sequence[int]) -> dict[int, list[RestorationEvent]]:
    out: dict[int, list[RestorationEvent]] = defaultdict(list)
    if ids:
        rows = session.scalars(
            select(RestorationEvent)
            .where(RestorationEvent.application_id.in_(list(ids)))
            .order_by(RestorationEvent.id)
        )
        for e in rows:
            out[e.application_id].append(e)
    return out


def _proofs(session: Session, application_id: int) -> list[RestorationProof]:
    return list(
        session.scalars(
            select(RestorationProof)
            .where(RestorationProof.application_id == application_id)
            .order_by(RestorationProof.id)
        )
    )


def case_of(
    session: Session,
    application: RestorationApplication,
    events: list[RestorationEvent] | None = None,
    cal: WorkCalendar | None = None,
) -> Case:
    if events is None:
        events = _events(session, [application.id])[application.id]
    return Case(
        application,
        events,
        state_of(events),
        officer_of(events),
        limits.deadlines(session, application, events, clock.today(), cal),
        _proofs(session, application.id),
    )


def _cases(session: Session, applications: Sequence[RestorationApplication]) -> list[Case]:
    logs = _events(session, [a.id for a in applications])
    cal = work_calendar(session)
    return [case_of(session, a, logs[a.id], cal) for a in applications]


def _hidden(application_id: int) -> NotFound:
    return NotFound(msg("restoration.no_case", id=application_id), field="restoration_id")


def may_handle(principal: Principal, a: RestorationApplication) -> bool:
    """The caller handles this case: the owning unit's staff, or the platform for a record."""
    if not allowed(principal, Permission.RESTORATION_HANDLE):
        return False
    if principal.role is ActorKind.PROVIDER:
        return a.provider_id is not None and a.provider_id == principal.provider_id
    # The platform (the public credit service establishment) handles records' cases; a
    # listing is removed by the department that listed it.
    return principal.role is ActorKind.OPERATOR and a.designation_id is None


def _takes_part(principal: Principal) -> None:
    """Roles with no part in restoration are refused outright (401/403), before any lookup."""
    if not (
        allowed(principal, Permission.RESTORATION_APPLY)
        or allowed(principal, Permission.RESTORATION_HANDLE)
    ):
        require(principal, Permission.RESTORATION_APPLY)


def get(session: Session, principal: Principal, application_id: int) -> Case:
    """A case its subject or its handler may read; to anyone else it does not exist."""
    _takes_part(principal)
    a = session.get(RestorationApplication, application_id)
    if a is None:
        raise _hidden(application_id)
    if principal.role is ActorKind.SUBJECT and principal.subject_id == a.subject_id:
        return case_of(session, a)
    if may_handle(principal, a):
        return case_of(session, a)
    if principal.anonymous:
        require(principal, Permission.RESTORATION_APPLY)  # 401
    raise _hidden(application_id)


def mine(session: Session, principal: Principal) -> list[Case]:
    require(principal, Permission.RESTORATION_APPLY)
    if principal.subject_id is None:
        raise Forbidden(msg("common.sign_in_as_subject"))
    rows = session.scalars(
        select(RestorationApplication)
        .where(RestorationApplication.subject_id == principal.subject_id)
        .order_by(RestorationApplication.id.desc())
    )
    return _cases(session, list(rows))


def queue(session: Session, principal: Principal, *, open_only: bool = False) -> list[Case]:
    """The cases the caller handles (its unit's; the platform's: every record case)."""
    require(principal, Permission.RESTORATION_HANDLE)
    query = select(RestorationApplication).order_by(RestorationApplication.id.desc())
    if principal.role is ActorKind.PROVIDER:
        query = query.where(RestorationApplication.provider_id == principal.provider_id)
    else:
        query = query.where(RestorationApplication.designation_id.is_(None))
    cases = _cases(session, list(session.scalars(query.limit(500))))
    return [c for c in cases if c.state not in CLOSED] if open_only else cases


# --- applying ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    subject_id: int
    provider_id: int | None
    record: CreditRecord | None
    designation: Designation | None
    opening: Opening


def record_opening(session: Session, record: CreditRecord) -> Opening:
    """When restoration of ``record`` may be requested (its latest version's facts)."""
    subject = session.get(Subject, record.subject_id)
    assert subject is not None
    held = next((h for h in held_records(session, subject) if h.record.id == record.id), None)
    if held is None:
        return Opening(None, "not held")
    return record_opens(held.latest.facts)


def openings_for(session: Session, subject_id: int) -> dict[int, Opening]:
    """For the subject's own view: each negative record's first day restoration may be asked."""
    subject = session.get(Subject, subject_id)
    if subject is None:
        return {}
    return {h.record.id: record_opens(h.latest.facts) for h in held_records(session, subject)}


def my_openings(session: Session, principal: Principal) -> dict[int, Opening]:
    """The subject's own negative records and when restoration of each opens."""
    require(principal, Permission.RESTORATION_APPLY)
    if principal.subject_id is None:
        raise Forbidden(msg("common.sign_in_as_subject"))
    return {
        rid: o
        for rid, o in openings_for(session, principal.subject_id).items()
        if o.basis != "not untrustworthiness information"
    }


def _target(
    session: Session, subject_id: int, record_id: int | None, designation_id: int | None
) -> Target:
    if (record_id is None) == (designation_id is None):
        raise ValidationError(msg("restoration.name_one_target"), field="record_id")
    if record_id is not None:
        record = session.get(CreditRecord, record_id)
        if record is None or record.subject_id != subject_id:
            raise NotFound(msg("common.no_record_of_subject", id=record_id), field="record_id")
        opening = record_opening(session, record)
        if opening.basis == "not untrustworthiness information":
            raise ValidationError(msg("restoration.only_untrustworthiness"), field="record_id")
        ended = session.scalar(
            select(RecordEvent.kind).where(
                RecordEvent.record_id == record.id,
                RecordEvent.kind.in_(("restored", "removed", "basis_revoked", "withdrawn")),
            )
        )
        if ended is not None:
            raise Conflict(
                msg("restoration.record_not_provided", id=record_id, why=Term("reason", ended)),
                field="record_id",
            )
        return Target(subject_id, record.provider_id, record, None, opening)
    d = session.get(Designation, designation_id)
    if d is None or d.subject_id != subject_id:
        raise NotFound(msg("restoration.no_listing", id=designation_id), field="designation_id")
    spec = list_types.get(d.list_type)
    if list_state_of(d, spec, work_calendar(session), clock.today()) is not ListState.LISTED:
        raise Conflict(
            msg("restoration.listing_not_in_force", id=designation_id), field="designation_id"
        )
    if d.provider_id is None:
        raise ValidationError(msg("restoration.imported_list"), field="designation_id")
    return Target(subject_id, d.provider_id, None, d, listing_opens(d))


def check_fields(
    correction: str, applicant_name: str | None, files: Sequence[EvidenceFile]
) -> tuple[str, str, list[CheckedFile]]:
    """Art. 45 para 1: the application's own fields, every one checked before it is refused
    (issue 19.8): (the correction statement, the applicant's name or "", the checked files)."""
    problems = Collect()
    correction = correction.strip()
    if not 10 <= len(correction) <= 4000:
        with problems:
            raise ValidationError(msg("restoration.correction_length"), field="correction")
    name = (applicant_name or "").strip()
    if len(name) > 100:
        with problems:
            raise ValidationError(msg("common.at_most_chars", n=100), field="applicant_name")
    checked: list[CheckedFile] = []
    with problems:
        checked = check(files, field="files")
    problems.raise_any()
    return correction, name, checked


def apply(
    session: Session,
    principal: Principal,
    *,
    record_id: int | None = None,
    designation_id: int | None = None,
    correction: str,
    files: Sequence[EvidenceFile] = (),
    channel: str = "online",
    subject_id: int | None = None,
    applicant_name: str | None = None,
    authorised: bool = False,
    files_dir: Path | None = None,
) -> RestorationApplication:
    """Art. 45 para 1: apply for restoration, with the credit pledge made in the same step.

    The subject applies for itself (``online`` or ``api``); staff register a paper application
    at a service window (``window``) for ``subject_id``. Refused with ``TooEarly`` (naming the
    first possible day) before the minimum publicity period ends.
    """
    if principal.role is ActorKind.SUBJECT:
        require(principal, Permission.RESTORATION_APPLY)
        if channel not in ("online", "api"):
            raise ValidationError(msg("restoration.subject_channel"), field="channel")
        if subject_id is not None and subject_id != principal.subject_id:
            raise Forbidden(msg("restoration.own_records"))
        subject_id = principal.subject_id
    else:
        require(principal, Permission.RESTORATION_REGISTER)
        channel = "window"
        if subject_id is None:
            raise ValidationError(msg("restoration.name_subject"), field="subject_id")
    assert subject_id is not None
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject_id")
    correction, name, checked = check_fields(correction, applicant_name, files)
    name = name or subject.name
    target = _target(session, subject_id, record_id, designation_id)
    today = clock.today()
    if target.opening.on is not None and today < target.opening.on:
        raise TooEarly(target.opening.on, "designation_id" if designation_id else "record_id")
    open_case = session.scalars(
        select(RestorationApplication).where(
            RestorationApplication.subject_id == subject_id,
            (RestorationApplication.record_id == record_id)
            if record_id is not None
            else (RestorationApplication.designation_id == designation_id),
        )
    ).all()
    for other in open_case:
        if state_of(_events(session, [other.id])[other.id]) not in CLOSED:
            raise Conflict(msg("restoration.case_open", id=other.id), field="record_id")
    pledge = make_pledge(
        session,
        principal,
        subject_id=subject_id,
        matter="restoration",
        concerning=f"record {record_id}" if record_id else f"listing {designation_id}",
        provider_id=target.provider_id,
        channel=channel,
    )
    a = RestorationApplication(
        subject_id=subject_id,
        record_id=record_id,
        designation_id=designation_id,
        provider_id=target.provider_id,
        channel=channel,
        applicant_name=name,
        authorised_by_subject=authorised,
        correction=correction,
        pledge_id=pledge.id,
        received_on=today,
        received_at=clock.now(),
        received_by=str(principal.actor),
    )
    session.add(a)
    session.flush()
    for f in checked:
        session.add(
            RestorationProof(
                application_id=a.id,
                file_name=f.name,
                content_type=f.type.content_type,
                size=len(f.data),
                sha256=f.sha256,
                stored_path=write_sealed(session, f, files_dir),
                uploaded_at=clock.now(),
                uploaded_by=str(principal.actor),
            )
        )
    _event(
        session,
        principal.actor,
        a,
        "submitted",
        today,
        {
            "channel": channel,
            "pledge_id": pledge.id,
            "proof_files": len(checked),
            "fee": FEE,
            "notice": "restoration application received; restoration is free of charge",
        },
    )
    return a


def _event(
    session: Session,
    actor: Actor,
    a: RestorationApplication,
    kind: str,
    on: date,
    details: dict[str, Any],
    *,
    article: str = ARTICLE,
) -> RestorationEvent:
    event = RestorationEvent(
        application_id=a.id, kind=kind, on=on, at=clock.now(), by=str(actor), details=details
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        actor,
        f"restoration.{kind}",
        object_type="restoration",
        object_id=a.id,
        article=article,
        details={
            "subject_id": a.subject_id,
            "record_id": a.record_id,
            "designation_id": a.designation_id,
            **{k: v for k, v in details.items() if k != "notice"},
        },
    )
    return event


# --- handling ---------------------------------------------------------------------------------


def _handled(
    session: Session,
    principal: Principal,
    application_id: int,
    allowed_states: set[State],
    step: str,
) -> Case:
    require(principal, Permission.RESTORATION_HANDLE)
    a = session.get(RestorationApplication, application_id)
    if a is None or not may_handle(principal, a):
        raise _hidden(application_id)
    case = case_of(session, a)
    if case.state not in allowed_states:
        raise Conflict(
            msg(
                "common.cannot_step_in_state",
                step=Term("restoration_action", step),
                step_code=step,
                state=Term("restoration_state", case.state.value),
                state_code=case.state.value,
            ),
            field="restoration_id",
        )
    return case


def _text(value: str, field: str, *, low: int = 2, high: int = 4000) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high:
        raise ValidationError(msg("common.length_between", low=low, high=high), field=field)
    return value


def assign(session: Session, principal: Principal, application_id: int, officer: str) -> Case:
    """Art. 45 para 4: the dedicated restoration officer who handles the case, by name."""
    case = _handled(
        session,
        principal,
        application_id,
        {State.SUBMITTED, State.ASSIGNED, State.UNDER_REVIEW, State.MATERIALS_REQUESTED},
        "assign",
    )
    name = _text(officer, "officer", high=100)
    _event(
        session,
        principal.actor,
        case.application,
        "assigned",
        clock.today(),
        {"officer": name, "notice": f"restoration officer: {name}"},
        article="Art. 45 para 4",
    )
    return case_of(session, case.application)


def accept(session: Session, principal: Principal, application_id: int) -> Case:
    """Accept the application for review (within 3 working days of receipt)."""
    case = _handled(session, principal, application_id, {State.ASSIGNED}, "accept")
    _event(
        session,
        principal.actor,
        case.application,
        "accepted",
        clock.today(),
        {"officer": case.officer, "notice": "application accepted for review"},
    )
    return case_of(session, case.application)


def _reasons_and_remedies(reasons: str, remedies: str) -> dict[str, str]:
    """A refusal's reasons and remedies, both checked before either is refused (issue 19.8)."""
    problems = Collect()
    out: dict[str, str] = {}
    with problems:
        out["reasons"] = _text(reasons, "reasons")
    with problems:
        out["remedies"] = _text(remedies, "remedies")
    problems.raise_any()
    return out


def not_accept(
    session: Session, principal: Principal, application_id: int, reasons: str, remedies: str
) -> Case:
    """Not accepted (e.g. not the unit's data, incomplete beyond repair), with reasons and
    remedies."""
    case = _handled(
        session, principal, application_id, {State.SUBMITTED, State.ASSIGNED}, "not accept"
    )
    _event(
        session,
        principal.actor,
        case.application,
        "not_accepted",
        clock.today(),
        {**_reasons_and_remedies(reasons, remedies), "notice": "application not accepted"},
    )
    return case_of(session, case.application)


def request_materials(
    session: Session, principal: Principal, application_id: int, what: str
) -> Case:
    case = _handled(session, principal, application_id, {State.UNDER_REVIEW}, "request materials")
    _event(
        session,
        principal.actor,
        case.application,
        "materials_requested",
        clock.today(),
        {"what": _text(what, "what"), "notice": "further materials requested"},
    )
    return case_of(session, case.application)


def supply_materials(
    session: Session,
    principal: Principal,
    application_id: int,
    note: str,
    files: Sequence[EvidenceFile] = (),
    files_dir: Path | None = None,
) -> Case:
    """The subject (or staff at a window) supplies what was asked."""
    _takes_part(principal)
    a = session.get(RestorationApplication, application_id)
    own = (
        principal.role is ActorKind.SUBJECT
        and a is not None
        and a.subject_id == principal.subject_id
    )
    if principal.role is ActorKind.SUBJECT:
        require(principal, Permission.RESTORATION_APPLY)
    if a is None or not (own or may_handle(principal, a)):
        raise _hidden(application_id)
    case = case_of(session, a)
    if case.state is not State.MATERIALS_REQUESTED:
        raise Conflict(msg("restoration.no_materials_requested"), field="restoration_id")
    checked = check(files, field="files")
    for f in checked:
        session.add(
            RestorationProof(
                application_id=a.id,
                file_name=f.name,
                content_type=f.type.content_type,
                size=len(f.data),
                sha256=f.sha256,
                stored_path=write_sealed(session, f, files_dir),
                uploaded_at=clock.now(),
                uploaded_by=str(principal.actor),
            )
        )
    _event(
        session,
        principal.actor,
        a,
        "materials_received",
        clock.today(),
        {"note": _text(note, "note"), "proof_files": len(checked)},
    )
    return case_of(session, a)


def reject(
    session: Session, principal: Principal, application_id: int, reasons: str, remedies: str
) -> Case:
    """SM-3 ``REJECTED``: the conditions are not met; reasons and remedies are given."""
    case = _handled(
        session,
        principal,
        application_id,
        {State.UNDER_REVIEW, State.MATERIALS_REQUESTED},
        "reject",
    )
    _event(
        session,
        principal.actor,
        case.application,
        "rejected",
        clock.today(),
        {**_reasons_and_remedies(reasons, remedies), "notice": "restoration not granted"},
    )
    return case_of(session, case.application)


def approve(session: Session, principal: Principal, application_id: int, reasons: str) -> Case:
    """SM-3 ``APPROVED`` -> ``EXECUTED`` in one transaction: provision stops in every mode from
    today; a listing is removed and its linked persons' records end (Art. 45 para 3, D-7, D-8)."""
    case = _handled(session, principal, application_id, {State.UNDER_REVIEW}, "approve")
    a = case.application
    today = clock.today()
    _event(
        session,
        principal.actor,
        a,
        "approved",
        today,
        {
            "reasons": _text(reasons, "reasons"),
            "officer": case.officer,
            "notice": "credit restored",
        },
    )
    effects: dict[str, Any]
    if a.record_id is not None:
        record = session.get(CreditRecord, a.record_id)
        assert record is not None
        record_event(
            session,
            principal.actor,
            record,
            "restored",
            today,
            ("restoration", a.id),
            "credit restored (Art. 45)",
        )
        effects = {"record_id": record.id, "restored_on": today.isoformat()}
    else:
        assert a.designation_id is not None
        effects = _remove_listing(session, principal, a, today)
    _event(session, principal.actor, a, "executed", today, effects)
    return case_of(session, a)


def _remove_listing(
    session: Session, principal: Principal, a: RestorationApplication, today: date
) -> dict[str, Any]:
    assert a.designation_id is not None
    d = listings.remove(
        session,
        principal,
        a.designation_id,
        EndIn(reason=f"信用修复（第四十五条），修复案件 {a.id}", on=today),
    )
    # D-8: the responsible persons' linked records end with the listing (D-7) and are removed
    # from the store and every output; the only trace of whom they concerned is this sealed
    # audit entry, written in the same transaction.
    persons = linked.forget_linked_persons(session, d.id)
    audit.record(
        session,
        principal.actor,
        "restoration.linked_records_removed",
        object_type="restoration",
        object_id=a.id,
        article="Art. 45 para 3; D-7; D-8",
        details={
            "designation_id": d.id,
            "persons": [{"subject_id": pid, "role": role} for pid, role in persons],
            "restoration_decision": a.id,
        },
    )
    return {
        "designation_id": d.id,
        "listing_removed_on": today.isoformat(),
        "linked_persons": len(persons),
    }


# --- overdue steps and schedule loads ---------------------------------------------------------


ALERT_FOR = {"acceptance": "acceptance_overdue", "result": "result_overdue"}


def overdue_check(session: Session) -> int:
    """Raise an alert, once per case and kind, for every open step past its due date (D-9)."""
    rows = list(session.scalars(select(RestorationApplication)))
    raised = 0
    for case in _cases(session, rows):
        if case.state in CLOSED and not case.overdue:
            continue
        for d in case.deadlines:
            if (
                d.met_on is None
                and d.overdue
                and _raise(session, case.application, ALERT_FOR[d.name], d)
            ):
                raised += 1
    return raised


def _raise(session: Session, a: RestorationApplication, kind: str, d: Deadline) -> bool:
    exists = session.scalar(
        select(RestorationAlert.id).where(
            RestorationAlert.application_id == a.id, RestorationAlert.kind == kind
        )
    )
    if exists is not None:
        return False
    alert = RestorationAlert(
        application_id=a.id, kind=kind, raised_at=clock.now(), details=d.as_json()
    )
    try:
        with session.begin_nested():
            session.add(alert)
            session.flush()
    except IntegrityError:
        return False
    audit.record(
        session,
        Actor.system("restoration.alerts"),
        f"restoration.alert.{kind}",
        object_type="restoration",
        object_id=a.id,
        article="Art. 45 para 2; D-9",
        details={"alert_id": alert.id, "due": d.due.isoformat()},
    )
    return True


def alerts(session: Session, principal: Principal) -> list[RestorationAlert]:
    require(principal, Permission.RESTORATION_HANDLE)
    mine_ids = [c.application.id for c in queue(session, principal)]
    if not mine_ids:
        return []
    return list(
        session.scalars(
            select(RestorationAlert)
            .where(RestorationAlert.application_id.in_(mine_ids))
            .order_by(RestorationAlert.id.desc())
        )
    )


def recount(
    session: Session, before: WorkCalendar, after: WorkCalendar, today: date
) -> list[limits.Recounted]:
    """A schedule load (``pcip.flows.schedules``): the open cases' deadlines it moved."""
    rows = list(session.scalars(select(RestorationApplication)))
    logs = _events(session, [a.id for a in rows])
    out: list[limits.Recounted] = []
    for a in rows:
        if state_of(logs[a.id]) in CLOSED:
            continue
        old = {d.name: d for d in limits.derive(a, logs[a.id], before, today)}
        for d in limits.derive(a, logs[a.id], after, today):
            was = old.get(d.name)
            if was is None or (was.due, was.provisional) == (d.due, d.provisional):
                continue
            out.append(
                limits.Recounted(a.id, d.name, was.due, d.due, was.provisional, d.provisional)
            )
    return out


def subject_of_record(session: Session, record_id: int) -> int:
    """The subject a record is about (for a window application registered by record number)."""
    record = session.get(CreditRecord, record_id)
    if record is None:
        raise NotFound(msg("common.no_record", id=record_id), field="record_id")
    return record.subject_id
