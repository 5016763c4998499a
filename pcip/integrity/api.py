"""The HTTP door onto government integrity (Art. 8-10): the register of government bodies'
pledges and contracts with their changes and compensation, the breaches with their
accountability cases, the dashboard per body and the periodic evaluation of the districts and
counties. The development and reform department records; it and the operator read (as in the
console). Thin routes: every rule is ``pcip.integrity``'s."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body
from sqlalchemy.orm import Session

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.inquiry.api import PlatformDep
from pcip.integrity import evaluation, service
from pcip.integrity.schemas import (
    BodyRowOut,
    BreachIn,
    BreachOut,
    CaseOut,
    CaseStepIn,
    ChangeIn,
    ChangeOut,
    ChangeRequestIn,
    ChangeResultOut,
    CommitmentIn,
    CommitmentOut,
    CompensationIn,
    CompensationOut,
    EvaluationIn,
    EvaluationOut,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}


def _example(value: dict[str, Any]) -> Any:
    """The request body's documented example (on the media type, as OpenAPI shows it)."""
    return Body(openapi_examples={"example": {"summary": "an example", "value": value}})


router = Router(prefix="/integrity", tags=["government integrity"], responses=RESPONSES)

CommitmentBody = Annotated[
    CommitmentIn,
    _example(
        {
            "body_uscc": "11500112MAPFH8190K",
            "body_name": "重庆市某区人民政府",
            "kind": "contract",
            "area": "procurement",
            "title": "政务云服务采购合同",
            "counterparty": "重庆某科技有限公司",
            "reference": "CQZC-2026-001",
            "amount": "1200000.00",
            "made_on": "2026-01-15",
            "due_on": "2026-12-31",
        }
    ),
]
ChangeBody = Annotated[
    ChangeRequestIn,
    _example(
        {
            "action": "terminate",
            "reason": "public_interest",
            "authority_ref": "区政府常务会议纪要〔2026〕12号，经听证程序",
            "description": "因公共利益需要终止合同，依法补偿",
            "unit_uscc": "",
        }
    ),
]
CompensationBody = Annotated[
    CompensationIn,
    _example(
        {
            "beneficiary": "重庆某科技有限公司",
            "amount": "80000.00",
            "paid_on": "2026-11-20",
            "document": "补偿协议〔2026〕3号",
        }
    ),
]
BreachBody = Annotated[
    BreachIn,
    _example(
        {
            "commitment_id": 1,
            "breach_type": "拒不履行生效法律文书",
            "description": "未履行法院生效判决确定的付款义务",
            "basis_number": "（2026）渝0103执100号",
            "basis_issuer": "重庆市渝中区人民法院",
            "determined_on": "2026-11-02",
            "severity": "一般",
            "unit_uscc": "11500112MAPFH8190K",
        }
    ),
]
CaseBody = Annotated[
    CaseStepIn, _example({"state": "concluded", "outcome": "对责任人予以诫勉谈话"})
]
EvaluationBody = Annotated[
    EvaluationIn, _example({"period_start": "2026-01-01", "period_end": "2026-06-30"})
]


def _change(session: Session, ch: Any) -> ChangeOut:
    out = ChangeOut.model_validate(ch)
    out.compensations = [
        CompensationOut.model_validate(c) for c in service.compensations(session, ch.id)
    ]
    return out


def _commitment(session: Session, c: Any) -> CommitmentOut:
    out = CommitmentOut.model_validate(c)
    out.changes = [_change(session, ch) for ch in service.changes(session, c.id)]
    return out


@router.get("/commitments", response_model=list[CommitmentOut])
def commitments(session: SessionDep, principal: PrincipalDep) -> list[CommitmentOut]:
    """Art. 9: the register of pledges and contracts, newest first, each with its changes and
    their compensation."""
    require(principal, Permission.INTEGRITY_READ)
    return [_commitment(session, c) for c in service.commitments(session)]


@router.post("/commitments", response_model=CommitmentOut, status_code=201)
def register(body: CommitmentBody, platform: PlatformDep, principal: PrincipalDep) -> CommitmentOut:
    """Art. 9: register a government body's pledge or contract (the body's USCC names an organ
    of state)."""
    return CommitmentOut.model_validate(service.register(platform, principal, body))


@router.post("/commitments/{commitment_id}/performance", response_model=CommitmentOut)
def perform(commitment_id: IdPath, session: SessionDep, principal: PrincipalDep) -> CommitmentOut:
    """Art. 9: the pledge or contract was performed."""
    return _commitment(session, service.perform(session, principal, commitment_id))


@router.post(
    "/commitments/{commitment_id}/changes", response_model=ChangeResultOut, status_code=201
)
def change(
    commitment_id: IdPath, body: ChangeBody, platform: PlatformDep, principal: PrincipalDep
) -> ChangeResultOut:
    """Art. 9 para 2: a change or termination names its reason; a lawful one names the
    authority and procedure followed; one that is never lawful is recorded as a breach at once
    (submitted by ``unit_uscc``)."""
    fields = body.model_dump(exclude={"unit_uscc"})
    ch, breach = service.change(
        platform,
        principal,
        commitment_id,
        ChangeIn.model_validate(fields),
        unit_uscc=body.unit_uscc.strip(),
    )
    return ChangeResultOut(
        change=ChangeOut.model_validate(ch), breach_id=breach.id if breach else None
    )


@router.post("/changes/{change_id}/compensations", response_model=CompensationOut, status_code=201)
def compensate(
    change_id: IdPath, body: CompensationBody, session: SessionDep, principal: PrincipalDep
) -> CompensationOut:
    """Art. 9 para 2: the compensation paid for a lawful change or termination."""
    return CompensationOut.model_validate(
        service.add_compensation(session, principal, change_id, body)
    )


@router.post("/changes/{change_id}/closure", response_model=ChangeOut)
def close_change(change_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ChangeOut:
    """Art. 9 para 2: close a change (a lawful termination only once compensation is
    recorded)."""
    return _change(session, service.close_change(session, principal, change_id))


@router.get("/breaches", response_model=list[BreachOut])
def breaches(session: SessionDep, principal: PrincipalDep) -> list[BreachOut]:
    """Art. 8: the breaches recorded against government bodies, each with its accountability
    case."""
    require(principal, Permission.INTEGRITY_READ)
    out = []
    for b, case, body in service.breaches(session):
        row = BreachOut.model_validate(b)
        row.body_name, row.case = body.name, CaseOut.model_validate(case)
        out.append(row)
    return out


@router.post("/breaches", response_model=BreachOut, status_code=201)
def record_breach(body: BreachBody, platform: PlatformDep, principal: PrincipalDep) -> BreachOut:
    """Art. 8: a breach determined against a government body, recorded against it through the
    ingestion pipeline by the unit named, with an accountability case opened."""
    return BreachOut.model_validate(service.record_breach(platform, principal, body))


@router.post("/cases/{case_id}", response_model=CaseOut)
def advance_case(
    case_id: IdPath, body: CaseBody, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Art. 8: an accountability case moves on to investigating or concluded (with its
    outcome)."""
    case = service.advance_case(session, principal, case_id, state=body.state, outcome=body.outcome)
    return CaseOut.model_validate(case)


@router.get("/dashboard", response_model=list[BodyRowOut])
def dashboard(session: SessionDep, principal: PrincipalDep) -> list[BodyRowOut]:
    """Art. 8: per government body, its pledges and contracts and its breaches (most breaches
    first)."""
    require(principal, Permission.INTEGRITY_READ)
    return [BodyRowOut.model_validate(row) for row in service.dashboard(session)]


@router.get("/evaluations", response_model=list[EvaluationOut])
def evaluations(session: SessionDep, principal: PrincipalDep) -> list[EvaluationOut]:
    """Art. 10: the evaluations of the district and county governments, newest first."""
    require(principal, Permission.INTEGRITY_READ)
    return [EvaluationOut.model_validate(e) for e in evaluation.evaluations(session)]


@router.post("/evaluations", response_model=EvaluationOut, status_code=201)
def run_evaluation(
    body: EvaluationBody, session: SessionDep, principal: PrincipalDep
) -> EvaluationOut:
    """Art. 10: evaluate the district and county governments for a period that has ended."""
    return EvaluationOut.model_validate(evaluation.run(session, principal, body))


@router.get("/evaluations/{evaluation_id}", response_model=EvaluationOut)
def evaluation_report(
    evaluation_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> EvaluationOut:
    """Art. 10: one evaluation, a scored row per district or county."""
    require(principal, Permission.INTEGRITY_READ)
    return EvaluationOut.model_validate(evaluation.get(session, evaluation_id))


routers = [router]
