"""Government integrity (Art. 8-10).

* Register (Art. 9): a government body's pledge or contract. The body is a credit subject
  whose USCC has entity type ``11`` (an organ of state, GB 32100); any other is refused.
* Changes (Art. 9 para 2): each names its reason. A lawful reason (national interest, public
  interest, other statutory reason) names the authority and procedure followed, and a
  termination for it is closed only with a compensation record. The reasons that are never
  lawful (division adjustment, change of term, restructuring, change of officials) make the
  change a breach: it is recorded as one at once.
* Breaches (Art. 8): recorded against the body as a record of ``cq_government_pledge_breach``
  through the ingestion pipeline (Art. 20-21: a registered unit submits it, with its
  determination document), and each opens an accountability case in ``pending``.
* Evaluations (Art. 10): ``pcip.integrity.evaluation``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.permissions import Permission, Principal, require
from pcip.errors import Collect, Conflict, NotFound, ValidationError
from pcip.integrity import rules
from pcip.integrity.models import (
    AccountabilityCase,
    GovBreach,
    GovChange,
    GovCommitment,
    GovCompensation,
)
from pcip.integrity.schemas import BreachIn, ChangeIn, CommitmentIn, CompensationIn
from pcip.kernel import audit
from pcip.kernel.messages import Both, Term, msg
from pcip.kernel.platform import Platform
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject

ITEM = "cq_government_pledge_breach"
_AREA_ZH = {
    "procurement": "政府采购",
    "ppp": "政府和社会资本合作",
    "bidding": "招标投标",
    "investment": "招商引资",
    "debt": "地方政府债务",
    "other": "其他",
}


def is_government_body(subject: Subject) -> bool:
    """GB 32100: registration authority 1 (organisation establishment), type 1 (organ)."""
    return subject.is_state_organ


def register(platform: Platform, principal: Principal, body: CommitmentIn) -> GovCommitment:
    require(principal, Permission.INTEGRITY_MANAGE)
    key = subjects.organisation_by_uscc(body.body_uscc, field="body_uscc")
    if not (key.uscc or "").startswith("11"):
        raise ValidationError(
            msg("integrity.not_an_organ", prefix=(key.uscc or "")[:2]),
            field="body_uscc",
        )
    if body.due_on is not None and body.due_on < body.made_on:
        raise ValidationError(msg("integrity.due_before_made"), field="due_on")
    with platform.transaction() as s:
        ensured = subjects.register(
            s,
            principal.actor,
            platform.keyring,
            key,
            body.body_name,
            f"integrity:{principal.actor}",
        )
        c = GovCommitment(
            body_id=ensured.subject.id,
            region_code=key.region_code or "500000",
            kind=body.kind,
            area=body.area,
            title=body.title,
            counterparty=body.counterparty,
            reference=body.reference,
            amount=body.amount,
            made_on=body.made_on,
            due_on=body.due_on,
            state="in_force",
            registered_at=clock.now(),
            registered_by=str(principal.actor),
        )
        s.add(c)
        s.flush()
        audit.record(
            s,
            principal.actor,
            "integrity.register",
            object_type="gov_commitment",
            object_id=c.id,
            article="Art. 9",
            details={"body": key.uscc, "kind": c.kind, "area": c.area},
        )
        s.expunge(c)
    return c


def _commitment(session: Session, commitment_id: int) -> GovCommitment:
    c = session.get(GovCommitment, commitment_id)
    if c is None:
        raise NotFound(msg("integrity.no_commitment", id=commitment_id), field="commitment_id")
    return c


def _require_open(c: GovCommitment, step: Literal["perform", "change"]) -> None:
    """Only a commitment in force (or changed lawfully) can be performed, changed or ended
    (Art. 9); the refusal is worded for the step."""
    if c.state not in ("in_force", "changed"):
        raise Conflict(
            msg(
                "integrity.commitment_state"
                if step == "perform"
                else "integrity.nothing_to_change",
                id=c.id,
                state=Term("commitment_state", c.state),
                state_code=c.state,
            ),
            field="state",
        )


def perform(session: Session, principal: Principal, commitment_id: int) -> GovCommitment:
    require(principal, Permission.INTEGRITY_MANAGE)
    c = _commitment(session, commitment_id)
    _require_open(c, "perform")
    c.state = "performed"
    audit.record(
        session,
        principal.actor,
        "integrity.perform",
        object_type="gov_commitment",
        object_id=c.id,
        article="Art. 9",
        details={},
    )
    session.flush()
    return c


def _write_change(
    s: Session, principal: Principal, c: GovCommitment, why: rules.Reason, body: ChangeIn
) -> GovChange:
    _require_open(c, "change")
    row = GovChange(
        commitment_id=c.id,
        action=body.action,
        reason=why.code,
        lawful=why.lawful,
        authority_ref=body.authority_ref.strip(),
        description=body.description,
        recorded_on=clock.today(),
        recorded_by=str(principal.actor),
        # A lawful change (not a termination) needs nothing more to be closed.
        closed_on=clock.today() if why.lawful and body.action == "change" else None,
    )
    s.add(row)
    if why.lawful and body.action == "change":
        c.state = "changed"
    s.flush()
    audit.record(
        s,
        principal.actor,
        f"integrity.{body.action}",
        object_type="gov_change",
        object_id=row.id,
        article="Art. 9",
        details={"commitment": c.id, "reason": why.code, "lawful": why.lawful},
    )
    return row


def change(
    platform: Platform,
    principal: Principal,
    commitment_id: int,
    body: ChangeIn,
    *,
    unit_uscc: str = "",
) -> tuple[GovChange, GovBreach | None]:
    """Art. 9 para 2. An unlawful reason records the change and a breach together
    (``unit_uscc``: the unit that submits the breach record); nothing is written when the
    breach record is refused."""
    require(principal, Permission.INTEGRITY_MANAGE)
    why = rules.reason(body.reason)
    if why.lawful and len(body.authority_ref.strip()) < 4:
        raise ValidationError(
            msg("integrity.lawful_change_authority", reason=Both(why.name_zh, why.name_en)),
            field="authority_ref",
        )
    if not why.lawful and not unit_uscc:
        raise ValidationError(
            msg("integrity.never_lawful", reason=Both(why.name_zh, why.name_en)),
            field="unit_uscc",
        )
    with platform.transaction() as s:
        c = _commitment(s, commitment_id)
        if why.lawful:
            row = _write_change(s, principal, c, why, body)
            s.expunge(row)
            return row, None
        _require_open(c, "change")
        reference = c.reference
    verb = "终止" if body.action == "terminate" else "变更"
    breach = record_breach(
        platform,
        principal,
        BreachIn(
            commitment_id=commitment_id,
            breach_type="违约毁约" if body.action == "terminate" else "违背政策承诺",
            description=f"以{why.name_zh}为由{verb}：{body.description}",
            basis_number=f"{reference}（{verb}登记 {clock.today().isoformat()}）"[:128],
            basis_issuer="重庆市发展和改革委员会",
            determined_on=clock.today(),
            unit_uscc=unit_uscc,
        ),
        change=(body, why),
    )
    with platform.transaction() as s:
        got = s.get(GovChange, breach.change_id)
        assert got is not None
        s.expunge(got)
    return got, breach


def add_compensation(
    session: Session, principal: Principal, change_id: int, body: CompensationIn
) -> GovCompensation:
    require(principal, Permission.INTEGRITY_MANAGE)
    ch = session.get(GovChange, change_id)
    if ch is None:
        raise NotFound(msg("integrity.no_change", id=change_id), field="change_id")
    row = GovCompensation(
        change_id=ch.id,
        beneficiary=body.beneficiary,
        amount=body.amount,
        paid_on=body.paid_on,
        document=body.document,
        recorded_by=str(principal.actor),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "integrity.compensation",
        object_type="gov_change",
        object_id=ch.id,
        article="Art. 9",
        details={"amount": str(body.amount)},
    )
    return row


def close_change(session: Session, principal: Principal, change_id: int) -> GovChange:
    """Art. 9 para 2: a lawful termination is closed only once compensation is recorded."""
    require(principal, Permission.INTEGRITY_MANAGE)
    ch = session.get(GovChange, change_id)
    if ch is None:
        raise NotFound(msg("integrity.no_change", id=change_id), field="change_id")
    if ch.closed_on is not None:
        raise Conflict(msg("integrity.change_closed", id=ch.id), field="state")
    if not ch.lawful:
        raise Conflict(msg("integrity.unlawful_is_breach"), field="state")
    paid = session.scalar(
        select(func.count()).select_from(GovCompensation).where(GovCompensation.change_id == ch.id)
    )
    if not paid:
        raise ValidationError(
            msg("integrity.no_compensation"),
            field="compensation",
        )
    ch.closed_on = clock.today()
    c = _commitment(session, ch.commitment_id)
    c.state = "terminated" if ch.action == "terminate" else "changed"
    audit.record(
        session,
        principal.actor,
        "integrity.close_change",
        object_type="gov_change",
        object_id=ch.id,
        article="Art. 9",
        details={},
    )
    session.flush()
    return ch


def record_breach(
    platform: Platform,
    principal: Principal,
    body: BreachIn,
    *,
    change: tuple[ChangeIn, rules.Reason] | None = None,
) -> GovBreach:
    """Art. 8: the breach as a record against the government body (submitted through the
    ingestion pipeline by ``body.unit_uscc``) and an accountability case in ``pending``."""
    require(principal, Permission.INTEGRITY_MANAGE)
    if body.determined_on > clock.today():
        raise ValidationError(msg("integrity.determined_future"), field="determined_on")
    with platform.transaction() as s:
        c = _commitment(s, body.commitment_id)
        if c.state == "breached":
            raise Conflict(msg("integrity.already_breached", id=c.id), field="state")
        organ = subjects.get(s, c.body_id)
        case_ref = f"ZWCX-{clock.today():%Y%m%d}-{secrets.token_hex(3).upper()}"
        row = {
            "subject_name": organ.name,
            "subject_category": "法人及非法人组织",
            "uscc": organ.uscc or "",
            "basis_number": body.basis_number,
            "basis_issuer": body.basis_issuer,
            "decision_date": body.determined_on.isoformat(),
            "breach_type": body.breach_type,
            "key_area": _AREA_ZH[c.area],
            "pledge_or_contract": f"{c.title}（{c.reference}）",
            "breach_description": body.description,
            "accountability_case": case_ref,
            "severity": body.severity,
        }
        body_id, commitment_id = organ.id, c.id
    summary = ingest(
        platform,
        principal.actor,
        provider_uscc=body.unit_uscc,
        item_code=ITEM,
        rows=rows_from_json([row]),
        source=Source("integrity", f"gov_breach:{commitment_id}"),
    )
    if summary.rejected:
        first = summary.errors[0]
        raise ValidationError(msg("integrity.breach_refused", reason=first.message), field="breach")
    with platform.transaction() as s:
        commitment = _commitment(s, commitment_id)
        change_id = None
        if change is not None:  # the unlawful change and its breach: one transaction
            change_id = _write_change(s, principal, commitment, change[1], change[0]).id
        case = AccountabilityCase(
            body_id=body_id,
            reference=case_ref,
            state="pending",
            opened_on=clock.today(),
            outcome="",
        )
        s.add(case)
        s.flush()
        breach = GovBreach(
            body_id=body_id,
            commitment_id=commitment_id,
            change_id=change_id,
            breach_type=body.breach_type,
            description=body.description,
            basis_number=body.basis_number,
            determined_on=body.determined_on,
            case_id=case.id,
            batch_id=summary.batch_id,
            recorded_at=clock.now(),
            recorded_by=str(principal.actor),
        )
        s.add(breach)
        commitment.state = "breached"
        s.flush()
        audit.record(
            s,
            principal.actor,
            "integrity.breach",
            object_type="gov_breach",
            object_id=breach.id,
            article="Art. 8",
            details={"commitment": commitment_id, "case": case_ref, "batch": summary.batch_id},
        )
        s.expunge(breach)
    return breach


#: The states of an accountability case, in the order it goes through them.
CASE_STATES = ("pending", "investigating", "concluded")


def check_case_step(state: str, outcome: str, problems: Collect | None = None) -> None:
    """A case step's own fields, both checked before either is refused (issue 19.8;
    ``problems`` holds the form's other errors): a known state, the outcome of a concluded
    case."""
    problems = Collect() if problems is None else problems
    if state not in CASE_STATES:
        with problems:
            raise ValidationError(msg("forms.choose_from_list"), field="state")
    if state == "concluded" and len(outcome.strip()) < 2:
        with problems:
            raise ValidationError(msg("integrity.concluded_needs_outcome"), field="outcome")
    problems.raise_any()


def advance_case(
    session: Session, principal: Principal, case_id: int, *, state: str, outcome: str = ""
) -> AccountabilityCase:
    require(principal, Permission.INTEGRITY_MANAGE)
    case = session.get(AccountabilityCase, case_id)
    if case is None:
        raise NotFound(msg("integrity.no_case", id=case_id), field="case_id")
    order = CASE_STATES
    if state not in order or order.index(state) <= order.index(case.state):
        raise Conflict(
            msg(
                "integrity.case_step",
                id=case.id,
                state=Term("accountability_state", case.state),
                state_code=case.state,
                target=Term("accountability_state", state) if state in order else state,
                target_code=state,
            ),
            field="state",
        )
    if state == "concluded":
        if len(outcome.strip()) < 2:
            raise ValidationError(msg("integrity.outcome_needed"), field="outcome")
        case.outcome, case.concluded_on = outcome.strip(), clock.today()
    case.state = state
    audit.record(
        session,
        principal.actor,
        "integrity.case",
        object_type="accountability_case",
        object_id=case.id,
        article="Art. 8",
        details={"state": state},
    )
    session.flush()
    return case


# --- reading --------------------------------------------------------------------------------


def commitments(session: Session, *, body_id: int | None = None) -> list[GovCommitment]:
    q = select(GovCommitment).order_by(GovCommitment.id.desc())
    if body_id is not None:
        q = q.where(GovCommitment.body_id == body_id)
    return list(session.scalars(q))


def changes(session: Session, commitment_id: int) -> list[GovChange]:
    return list(
        session.scalars(
            select(GovChange).where(GovChange.commitment_id == commitment_id).order_by(GovChange.id)
        )
    )


def compensations(session: Session, change_id: int) -> list[GovCompensation]:
    return list(
        session.scalars(
            select(GovCompensation)
            .where(GovCompensation.change_id == change_id)
            .order_by(GovCompensation.id)
        )
    )


def breaches(session: Session) -> list[tuple[GovBreach, AccountabilityCase, Subject]]:
    rows = session.execute(
        select(GovBreach, AccountabilityCase, Subject)
        .join(AccountabilityCase, AccountabilityCase.id == GovBreach.case_id)
        .join(Subject, Subject.id == GovBreach.body_id)
        .order_by(GovBreach.id.desc())
    )
    return [(b, c, subj) for b, c, subj in rows]


@dataclass
class BodyRow:
    """Art. 8: one government body on the dashboard."""

    body_id: int
    region_code: str
    name: str = ""
    uscc: str | None = None
    commitments: int = 0
    in_force: int = 0
    performed: int = 0
    breached: int = 0
    open_cases: int = 0

    def __getitem__(self, key: str) -> object:  # templates and JSON lines read it by name
        return getattr(self, key)


def dashboard(session: Session) -> list[BodyRow]:
    """Art. 8: per government body, its register and breaches (most breaches first)."""
    out: dict[int, BodyRow] = {}
    for c in session.scalars(select(GovCommitment)):
        d = out.setdefault(c.body_id, BodyRow(c.body_id, c.region_code))
        d.commitments += 1
        if c.state in ("in_force", "changed"):
            d.in_force += 1
        elif c.state == "performed":
            d.performed += 1
        elif c.state == "breached":
            d.breached += 1
    open_cases = select(AccountabilityCase).where(AccountabilityCase.state != "concluded")
    for case in session.scalars(open_cases):
        if case.body_id in out:
            out[case.body_id].open_cases += 1
    for subject in session.scalars(select(Subject).where(Subject.id.in_(list(out)))):
        out[subject.id].name, out[subject.id].uscc = subject.name, subject.uscc
    return sorted(out.values(), key=lambda d: (-d.breached, d.name))


def today() -> date:
    return clock.today()
