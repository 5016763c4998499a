"""The designation workflow SM-2 (Art. 32-33, 44; D-10): every step by its role, audited.

A department (providing-unit staff) drafts a designation, serves the pre-designation notice
(facts, grounds, basis, rights) with proof of service, receives the subject's statement or
objection within the list type's period (working days, D-1), answers it, decides, serves the
written decision (facts, grounds, basis, measures, removal conditions and procedure, remedies)
and lists. Removal, expiry and revocation (Art. 44) end a listing by setting its end date and
kind; nothing is deleted. Every step appends an event and an audit row in the caller's
transaction.

Who may act: the designating unit's staff on its own designations (others are told it does not
exist); the subject files its own statement (staff may register one received on paper); the
operator and the development and reform department read every designation; the operator or
the unit revokes (Art. 44); the operator runs the expiry sweep.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, allowed, require
from pcip.calendar.service import work_calendar
from pcip.calendar.workdays import WorkCalendar
from pcip.errors import Collect, Conflict, NotFound, ValidationError
from pcip.kernel import audit
from pcip.kernel.enums import ActorKind, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Both, Either, Term, msg
from pcip.lists import types
from pcip.lists.models import Designation, DesignationEvent, DesignationPerson
from pcip.lists.schemas import (
    DecisionIn,
    DesignationOut,
    DraftIn,
    DropIn,
    EndIn,
    EventOut,
    LinkedPersonOut,
    ResponseIn,
    RevokeIn,
    ServiceIn,
    StatementIn,
)
from pcip.lists.states import State, state_of, statement_due
from pcip.providers.models import Provider
from pcip.subjects import service as subjects
from pcip.subjects.models import ResponsibleLink, Subject

#: Every step's audit article.
ARTICLE = "Art. 32"


def add_years(day: date, years: int) -> date:
    """The corresponding calendar date ``years`` later (29 Feb -> 28 Feb)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- access ---------------------------------------------------------------------------------


def _hidden(designation_id: int) -> NotFound:
    return NotFound(msg("lists.no_designation", id=designation_id), field="designation_id")


def get(session: Session, principal: Principal, designation_id: int) -> Designation:
    """A designation the caller may read: its unit's staff, the overseers, the subject once
    the notice is served; to anyone else it does not exist."""
    d = session.get(Designation, designation_id)
    if d is None:
        raise _hidden(designation_id)
    if allowed(principal, Permission.LIST_OVERSEE):
        return d
    if allowed(principal, Permission.LIST_DESIGNATE) and d.provider_id == principal.provider_id:
        return d
    if (
        allowed(principal, Permission.LIST_STATEMENT)
        and principal.subject_id == d.subject_id
        and d.notice_served_on is not None
    ):
        return d
    if principal.anonymous:
        require(principal, Permission.LIST_DESIGNATE)  # 401
    raise _hidden(designation_id)


def _own(session: Session, principal: Principal, designation_id: int) -> Designation:
    """A designation of the caller's own unit, for a department step."""
    require(principal, Permission.LIST_DESIGNATE)
    d = session.get(Designation, designation_id)
    if d is None or d.provider_id is None or d.provider_id != principal.provider_id:
        raise _hidden(designation_id)
    return d


def _event(
    session: Session,
    principal: Principal,
    d: Designation,
    kind: str,
    on: date,
    details: dict[str, Any],
    *,
    article: str = ARTICLE,
) -> None:
    session.add(
        DesignationEvent(
            designation_id=d.id,
            kind=kind,
            on=on,
            at=clock.now(),
            by=str(principal.actor),
            details=details,
        )
    )
    audit.record(
        session,
        principal.actor,
        f"designation.{kind}",
        object_type="designation",
        object_id=d.id,
        article=article,
        details={"list_type": d.list_type, "on": on.isoformat(), **details},
    )


def _state(session: Session, d: Designation, on: date | None = None) -> State:
    return state_of(d, types.get(d.list_type), work_calendar(session), on or clock.today())


def _expect(d: Designation, state: State, allowed_states: set[State], step: str) -> None:
    if state not in allowed_states:
        wanted = [Term("designation_state", s.value) for s in sorted(allowed_states)]
        raise Conflict(
            msg(
                "lists.wrong_state",
                step=Term("designation_action", step),
                step_code=step,
                id=d.id,
                state=Term("designation_state", state.value),
                state_code=state.value,
                wanted=Either(wanted),
                wanted_codes=" or ".join(sorted(s.value for s in allowed_states)),
            ),
            field="state",
        )


def _day(value: date | None, field: str, not_before: date | None = None) -> date:
    today = clock.today()
    day = value or today
    if day > today:
        raise ValidationError(msg("common.in_future"), field=field)
    if not_before is not None and day < not_before:
        raise ValidationError(msg("common.not_before", day=not_before.isoformat()), field=field)
    return day


# --- the steps --------------------------------------------------------------------------------


def draft(session: Session, ring: Keyring, principal: Principal, body: DraftIn) -> Designation:
    """A department opens a designation against a subject under a list type it designates."""
    require(principal, Permission.LIST_DESIGNATE)
    spec = types.get(body.list_type)
    if spec.origin != "platform":
        raise ValidationError(
            msg("lists.imported_elsewhere", list=Both(spec.name_zh, spec.name_en)),
            field="list_type",
        )
    if (body.uscc is None) == (body.citizen_id is None):
        raise ValidationError(msg("lists.one_identifier"), field="uscc")
    if body.uscc is not None:
        key = subjects.organisation_by_uscc(body.uscc, field="uscc")
    else:
        if spec.organisations_only:
            raise ValidationError(
                msg("lists.organisations_only", list=Both(spec.name_zh, spec.name_en)),
                field="citizen_id",
            )
        key = subjects.person_by_citizen_id(ring, body.citizen_id or "", field="citizen_id")
    unit = session.get(Provider, principal.provider_id) if principal.provider_id else None
    if unit is None:
        raise ValidationError(msg("lists.department_staff_only"), field="provider")
    subject = subjects.ensure(session, ring, key, body.name, f"provider:{unit.uscc}").subject
    if body.conduct_end_date is not None and body.conduct_end_date > clock.today():
        raise ValidationError(msg("common.in_future"), field="conduct_end_date")
    exists = session.scalar(
        select(Designation.id).where(
            Designation.list_type == spec.code,
            Designation.case_ref == body.case_ref,
            Designation.subject_id == subject.id,
        )
    )
    if exists is not None:
        raise Conflict(
            msg("lists.already_covered", id=exists, case=body.case_ref), field="case_ref"
        )
    d = Designation(
        list_type=spec.code,
        subject_id=subject.id,
        origin="platform",
        provider_id=unit.id,
        deciding_authority=unit.name,
        case_ref=body.case_ref,
        facts=body.facts,
        grounds=body.grounds,
        basis=body.basis,
        conduct_end_date=body.conduct_end_date,
        created_at=clock.now(),
    )
    session.add(d)
    session.flush()
    _event(session, principal, d, "drafted", clock.today(), {"case_ref": body.case_ref})
    return d


def serve_notice(
    session: Session, principal: Principal, designation_id: int, body: ServiceIn
) -> Designation:
    """Art. 32 para 3: the pre-designation notice (facts, grounds, basis, the right to state
    and object within the period) served, with proof of service. The window starts."""
    d = _own(session, principal, designation_id)
    _expect(d, _state(session, d), {State.DRAFT}, "serve the notice")
    on = _day(body.served_on, "served_on", d.created_at.date())
    d.notice_served_on = on
    d.notice_service = body.model_dump(mode="json")
    due = statement_due(d, types.get(d.list_type), work_calendar(session))
    assert due is not None
    _event(
        session,
        principal,
        d,
        "notice_served",
        on,
        {"method": body.method, "statement_due": due.due.isoformat()},
    )
    return d


def file_statement(
    session: Session, principal: Principal, designation_id: int, body: StatementIn
) -> Designation:
    """The subject's statement or objection (D-10). The subject files its own today; staff
    register one received on paper with its receipt date. A late statement is recorded as
    late: it no longer holds the decision back."""
    if principal.role is ActorKind.SUBJECT:
        d = get(session, principal, designation_id)
        require(principal, Permission.LIST_STATEMENT)
        if d.subject_id != principal.subject_id:
            raise _hidden(designation_id)
        if body.received_on is not None:
            raise ValidationError(msg("lists.receipt_today"), field="received_on")
    else:
        d = _own(session, principal, designation_id)
    state = _state(session, d)
    _expect(d, state, {State.OBJECTION_WINDOW, State.WINDOW_LAPSED}, "file a statement")
    assert d.notice_served_on is not None
    on = _day(body.received_on, "received_on", d.notice_served_on)
    due = statement_due(d, types.get(d.list_type), work_calendar(session))
    late = due is not None and on > due.due
    d.statement_received_on, d.statement = on, body.text
    _event(session, principal, d, "statement", on, {"late": late})
    return d


def respond(
    session: Session, principal: Principal, designation_id: int, body: ResponseIn
) -> Designation:
    """The department verifies the statement and answers it. Upheld: the designation is
    dropped (it cannot proceed on these facts); rejected: it may be decided."""
    d = _own(session, principal, designation_id)
    _expect(d, _state(session, d), {State.STATEMENT_RECEIVED}, "respond")
    on = clock.today()
    d.responded_on, d.response_outcome, d.response = on, body.outcome, body.reasons
    _event(session, principal, d, "responded", on, {"outcome": body.outcome})
    if body.outcome == "upheld":
        d.dropped_on = on
        _event(session, principal, d, "dropped", on, {"reason": "objection upheld"})
    return d


def drop(session: Session, principal: Principal, designation_id: int, body: DropIn) -> Designation:
    """The department abandons a designation before deciding (reasons recorded)."""
    d = _own(session, principal, designation_id)
    _expect(
        d,
        _state(session, d),
        {State.DRAFT, State.OBJECTION_WINDOW, State.WINDOW_LAPSED, State.RESPONDED},
        "drop",
    )
    on = clock.today()
    d.dropped_on = on
    _event(session, principal, d, "dropped", on, {"reason": body.reason})
    return d


def _persons(
    session: Session, ring: Keyring, d: Designation, body: DecisionIn
) -> list[tuple[Subject, str, str]]:
    """Art. 33: the persons named in the decision, and those on file for the organisation."""
    subject = session.get(Subject, d.subject_id)
    assert subject is not None
    if body.persons and subject.kind == SubjectKind.PERSON.value:
        raise ValidationError(msg("lists.persons_for_organisations"), field="persons")
    out: dict[tuple[int, str], tuple[Subject, str, str]] = {}
    for i, p in enumerate(body.persons):
        key = subjects.person_by_citizen_id(ring, p.citizen_id, field=f"persons.{i}.citizen_id")
        person = subjects.ensure(session, ring, key, p.name, f"designation:{d.id}").subject
        out[(person.id, p.role)] = (person, p.role, p.name)
    if subject.kind != SubjectKind.PERSON.value:
        links = session.scalars(
            select(ResponsibleLink).where(
                ResponsibleLink.subject_id == subject.id, ResponsibleLink.valid_to.is_(None)
            )
        )
        for link in links:
            linked = session.get(Subject, link.person_id)
            if linked is not None and (linked.id, link.role) not in out:
                out[(linked.id, link.role)] = (linked, link.role, linked.name)
    return list(out.values())


def check_sections(removal: str, remedies: str, problems: Collect | None = None) -> None:
    """Art. 32 para 3: the written decision states the removal conditions and the remedies;
    both are checked before either is refused (issue 19.8; ``problems`` holds the form's other
    errors)."""
    problems = Collect() if problems is None else problems
    if not removal.strip():
        with problems:
            raise ValidationError(msg("lists.removal_required"), field="removal")
    if not remedies.strip():
        with problems:
            raise ValidationError(msg("lists.remedies_required"), field="remedies")
    problems.raise_any()


def decide(
    session: Session, ring: Keyring, principal: Principal, designation_id: int, body: DecisionIn
) -> Designation:
    """Art. 32 para 3: decide, after the notice was served and the statement window closed
    or the statement was answered. The written decision must carry every section."""
    d = _own(session, principal, designation_id)
    state = _state(session, d)
    if state is State.DRAFT:
        raise Conflict(msg("lists.notice_not_served"), field="state")
    if state is State.OBJECTION_WINDOW:
        due = statement_due(d, types.get(d.list_type), work_calendar(session))
        assert due is not None
        raise Conflict(msg("lists.statement_window", day=due.due.isoformat()), field="state")
    if state is State.STATEMENT_RECEIVED:
        late = _late(session, d)
        if not late:
            raise Conflict(msg("lists.answer_statement"), field="state")
    else:
        _expect(d, state, {State.WINDOW_LAPSED, State.RESPONDED}, "decide")
    spec = types.get(d.list_type)
    check_sections(body.removal, body.remedies)
    persons = _persons(session, ring, d, body)
    on = clock.today()
    d.decided_on = on
    d.decision_number = body.decision_number
    d.decision = {
        "facts": d.facts,
        "grounds": d.grounds,
        "basis": d.basis,
        "measures": body.measures,
        "removal": body.removal,
        "remedies": body.remedies,
        "list_type": spec.code,
        "legal_basis": [c.model_dump(mode="json") for c in spec.legal_basis],
    }
    for person, role, name in persons:
        session.add(
            DesignationPerson(designation_id=d.id, person_id=person.id, role=role, name=name)
        )
    session.flush()
    _event(
        session,
        principal,
        d,
        "decided",
        on,
        {"decision_number": body.decision_number, "persons": len(persons)},
    )
    return d


def _late(session: Session, d: Designation) -> bool:
    due = statement_due(d, types.get(d.list_type), work_calendar(session))
    return (
        due is not None
        and d.statement_received_on is not None
        and d.statement_received_on > due.due
    )


def serve_decision(
    session: Session, principal: Principal, designation_id: int, body: ServiceIn
) -> Designation:
    """Art. 32 para 3: the written decision served on the subject, with proof."""
    d = _own(session, principal, designation_id)
    _expect(d, _state(session, d), {State.DECIDED}, "serve the decision")
    assert d.decided_on is not None
    on = _day(body.served_on, "served_on", d.decided_on)
    d.decision_served_on, d.decision_service = on, body.model_dump(mode="json")
    _event(session, principal, d, "decision_served", on, {"method": body.method})
    return d


def list_subject(
    session: Session, principal: Principal, designation_id: int, on: date | None = None
) -> Designation:
    """The subject enters the list; Art. 33 linked records for the named persons take effect.
    The listing lasts the list rule's period unless removed or revoked earlier."""
    d = _own(session, principal, designation_id)
    _expect(d, _state(session, d), {State.DECISION_SERVED}, "list")
    assert d.decision_served_on is not None
    day = _day(on, "listed_on", d.decision_served_on)
    spec = types.get(d.list_type)
    d.listed_on = day
    d.listed_until = add_years(day, spec.listing_years) if spec.listing_years else None
    persons = session.scalars(
        select(DesignationPerson.id).where(DesignationPerson.designation_id == d.id)
    ).all()
    _event(
        session,
        principal,
        d,
        "listed",
        day,
        {
            "listed_until": d.listed_until.isoformat() if d.listed_until else None,
            "linked_persons": len(persons),
        },
        article="Art. 32, 33",
    )
    return d


def _end(
    session: Session,
    principal: Principal,
    d: Designation,
    kind: str,
    on: date,
    reason: str,
    details: dict[str, Any],
    article: str,
) -> Designation:
    d.ended_on, d.end_kind, d.end_reason = on, kind, reason
    _event(session, principal, d, kind, on, {"reason": reason, **details}, article=article)
    return d


def remove(session: Session, principal: Principal, designation_id: int, body: EndIn) -> Designation:
    """The list rule's removal conditions are met: the listing ends (Art. 44, 45; D-7: the
    linked persons' records end with it)."""
    d = _own(session, principal, designation_id)
    _expect(d, _state(session, d), {State.LISTED}, "remove")
    assert d.listed_on is not None
    spec = types.get(d.list_type)
    on = _day(body.on, "on", d.listed_on)
    return _end(
        session,
        principal,
        d,
        "removed",
        on,
        body.reason,
        {"early_removal_after_years": spec.early_removal_after_years},
        "Art. 44, 45",
    )


def revoke(
    session: Session, principal: Principal, designation_id: int, body: RevokeIn
) -> Designation:
    """Art. 44: the basis was revoked or changed (a reconsideration, a court, the unit): the
    listing is withdrawn. Publicity stops the same day (visibility is derived from the end
    date), inside the rule's time limit, which the event records."""
    require(principal, Permission.LIST_REVOKE)
    if principal.role is ActorKind.OPERATOR:
        d = session.get(Designation, designation_id)
        if d is None:
            raise _hidden(designation_id)
    else:
        d = _own(session, principal, designation_id)
    _expect(
        d,
        _state(session, d),
        {State.DECIDED, State.DECISION_SERVED, State.LISTED},
        "revoke",
    )
    spec = types.get(d.list_type)
    on = _day(body.on, "on", d.decided_on)
    limit: str | None = None
    if spec.revocation_working_days:
        limit = work_calendar(session).deadline(on, spec.revocation_working_days).due.isoformat()
    return _end(
        session,
        principal,
        d,
        "revoked",
        on,
        body.reason,
        {"cause": body.cause, "stop_publicity_by": limit, "basis": spec.revocation_basis},
        "Art. 44",
    )


def expire_due(session: Session, principal: Principal) -> int:
    """Record the expiry of listings whose rule period ended (already invisible: derived)."""
    require(principal, Permission.LIST_MAINTAIN)
    today = clock.today()
    due = session.scalars(
        select(Designation).where(
            Designation.ended_on.is_(None),
            Designation.listed_until.is_not(None),
            Designation.listed_until < today,
        )
    ).all()
    for d in due:
        assert d.listed_until is not None
        _end(
            session,
            principal,
            d,
            "expired",
            d.listed_until + timedelta(days=1),
            "the list rule's period ended",
            {"listed_until": d.listed_until.isoformat()},
            "Art. 32, 44",
        )
    return len(due)


# --- reading ----------------------------------------------------------------------------------


def out(session: Session, d: Designation, calendar: WorkCalendar | None = None) -> DesignationOut:
    spec = types.get(d.list_type)
    calendar = calendar or work_calendar(session)
    today = clock.today()
    subject = session.get(Subject, d.subject_id)
    assert subject is not None
    due = statement_due(d, spec, calendar)
    persons = session.scalars(
        select(DesignationPerson).where(DesignationPerson.designation_id == d.id)
    ).all()
    events = session.scalars(
        select(DesignationEvent)
        .where(DesignationEvent.designation_id == d.id)
        .order_by(DesignationEvent.id)
    ).all()
    decision = d.decision or {}
    return DesignationOut(
        id=d.id,
        list_type=spec.code,
        list_name=spec.name_zh,
        state=state_of(d, spec, calendar, today).value,
        subject_id=subject.id,
        subject_name=subject.name,
        subject_identifier=subjects.display_identifier(subject),
        origin=d.origin,
        deciding_authority=d.deciding_authority,
        case_ref=d.case_ref,
        decision_number=d.decision_number,
        facts=d.facts,
        grounds=d.grounds,
        basis=d.basis,
        notice_served_on=d.notice_served_on,
        statement_due=due.due if due else None,
        statement_due_provisional=bool(due and due.provisional),
        statement_received_on=d.statement_received_on,
        statement_late=(
            None
            if d.statement_received_on is None or due is None
            else d.statement_received_on > due.due
        ),
        decided_on=d.decided_on,
        listed_on=d.listed_on,
        listed_until=d.listed_until,
        ended_on=d.ended_on,
        end_kind=d.end_kind,
        removal_conditions=spec.removal_conditions,
        removal_procedure=str(decision.get("removal") or spec.removal_procedure),
        remedies=str(decision.get("remedies") or spec.remedies),
        persons=[
            LinkedPersonOut(role=p.role, name=p.name, identifier=_masked(session, p.person_id))
            for p in persons
        ],
        events=[EventOut(kind=e.kind, on=e.on, by=e.by, details=dict(e.details)) for e in events],
    )


def _masked(session: Session, subject_id: int) -> str:
    s = session.get(Subject, subject_id)
    return subjects.display_identifier(s) if s is not None else ""


def mine(session: Session, principal: Principal) -> list[Designation]:
    """The designations of the caller's unit (staff) or every one (overseers), newest first."""
    if allowed(principal, Permission.LIST_OVERSEE):
        query = select(Designation)
    else:
        require(principal, Permission.LIST_DESIGNATE)
        query = select(Designation).where(Designation.provider_id == principal.provider_id)
    return list(session.scalars(query.order_by(Designation.id.desc()).limit(500)))
