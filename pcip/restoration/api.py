"""The HTTP door onto credit restoration (Art. 45; SM-3). Thin routes: each calls one service,
which checks the permission. Restoration is free: no route takes or names a payment."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, UploadFile

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import (
    AUTH_RESPONSES,
    ERROR_RESPONSES,
    MAX_ID,
    IdPath,
    Router,
    SessionDep,
)
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.objections.evidence import EvidenceFile
from pcip.restoration import service
from pcip.restoration.schemas import (
    CaseOut,
    MaterialsIn,
    OfficerIn,
    OpeningOut,
    ReasonsIn,
    WindowIn,
    out,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
ProofUpload = Annotated[
    list[UploadFile],
    File(description="Proof of the correction (PDF, JPEG, PNG or UTF-8 text; 10 MB each)"),
]

mine = Router(prefix="/me/restorations", tags=["restoration"], responses=RESPONSES)
cases = Router(prefix="/restorations", tags=["restoration"], responses=RESPONSES)


def _files(uploads: list[UploadFile] | None) -> list[EvidenceFile]:
    return [EvidenceFile(u.filename or "", u.file.read(), u.content_type) for u in uploads or []]


@mine.get("", response_model=list[CaseOut])
def my_cases(session: SessionDep, principal: PrincipalDep) -> list[CaseOut]:
    """Art. 45: my restoration applications, newest first, with every step and date."""
    return [out(c) for c in service.mine(session, principal)]


@mine.get("/openings", response_model=list[OpeningOut])
def openings(session: SessionDep, principal: PrincipalDep) -> list[OpeningOut]:
    """Art. 45: for each of my records of untrustworthiness, the first day restoration may be
    requested (the end of its minimum publicity period; null: no minimum applies)."""
    return [
        OpeningOut(record_id=rid, possible_from=o.on, basis=o.basis)
        for rid, o in service.my_openings(session, principal).items()
    ]


@mine.post("", response_model=CaseOut, status_code=201, max_body_size=UPLOAD_BODY)
def apply(
    session: SessionDep,
    principal: PrincipalDep,
    correction: Annotated[
        str,
        Form(
            max_length=4000,
            description="How the conduct was corrected and the obligations performed",
            examples=["罚款已缴清，违法行为已整改完毕，附缴款凭证。"],
        ),
    ],
    record_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    designation_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    applicant_name: Annotated[str | None, Form(max_length=100)] = None,
    proof: ProofUpload | None = None,
) -> CaseOut:
    """Art. 45 para 1: apply for restoration of one of my records or listings, with proof; the
    credit pledge of the matter is made in the same step. Before the minimum publicity period
    ends the answer is 422 ``too_early`` with ``possible_from``. Free of charge."""
    require(principal, Permission.RESTORATION_APPLY)
    a = service.apply(
        session,
        principal,
        record_id=record_id,
        designation_id=designation_id,
        correction=correction,
        files=_files(proof),
        channel="api",
        applicant_name=applicant_name,
    )
    return out(service.case_of(session, a))


@cases.get("", response_model=list[CaseOut])
def queue(session: SessionDep, principal: PrincipalDep) -> list[CaseOut]:
    """The cases the caller's unit (or the platform) handles, newest first."""
    return [out(c) for c in service.queue(session, principal)]


@cases.post("", response_model=CaseOut, status_code=201)
def register(body: WindowIn, session: SessionDep, principal: PrincipalDep) -> CaseOut:
    """A paper application received at a service window, registered by staff."""
    require(principal, Permission.RESTORATION_REGISTER)
    a = service.apply(
        session,
        principal,
        subject_id=body.subject_id,
        record_id=body.record_id,
        designation_id=body.designation_id,
        correction=body.correction,
        channel="window",
        applicant_name=body.applicant_name,
        authorised=body.authorised,
    )
    return out(service.case_of(session, a))


@cases.get("/{restoration_id}", response_model=CaseOut)
def get_one(restoration_id: IdPath, session: SessionDep, principal: PrincipalDep) -> CaseOut:
    """One case: its state, officer, deadlines and every step (its subject and its handler)."""
    return out(service.get(session, principal, restoration_id))


@cases.post("/{restoration_id}/officer", response_model=CaseOut)
def assign(
    restoration_id: IdPath, body: OfficerIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Art. 45 para 4: name the restoration officer who handles the case."""
    return out(service.assign(session, principal, restoration_id, body.officer))


@cases.post("/{restoration_id}/acceptance", response_model=CaseOut)
def accept(restoration_id: IdPath, session: SessionDep, principal: PrincipalDep) -> CaseOut:
    """Accept for review (within 3 working days of receipt)."""
    return out(service.accept(session, principal, restoration_id))


@cases.post("/{restoration_id}/non-acceptance", response_model=CaseOut)
def not_accept(
    restoration_id: IdPath, body: ReasonsIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Not accepted, with reasons and remedies."""
    return out(service.not_accept(session, principal, restoration_id, body.reasons, body.remedies))


@cases.post("/{restoration_id}/materials-request", response_model=CaseOut)
def request_materials(
    restoration_id: IdPath, body: MaterialsIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Ask the applicant for further materials."""
    return out(service.request_materials(session, principal, restoration_id, body.what))


@cases.post("/{restoration_id}/materials", response_model=CaseOut, max_body_size=UPLOAD_BODY)
def supply_materials(
    restoration_id: IdPath,
    session: SessionDep,
    principal: PrincipalDep,
    note: Annotated[str, Form(max_length=4000, examples=["已补充整改验收报告"])],
    proof: ProofUpload | None = None,
) -> CaseOut:
    """The applicant supplies the materials asked for."""
    return out(service.supply_materials(session, principal, restoration_id, note, _files(proof)))


@cases.post("/{restoration_id}/approval", response_model=CaseOut)
def approve(
    restoration_id: IdPath, body: ReasonsIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Approve and execute: provision stops in every mode at once; a listing is removed."""
    return out(service.approve(session, principal, restoration_id, body.reasons))


@cases.post("/{restoration_id}/rejection", response_model=CaseOut)
def reject(
    restoration_id: IdPath, body: ReasonsIn, session: SessionDep, principal: PrincipalDep
) -> CaseOut:
    """Not restored, with reasons and remedies."""
    return out(service.reject(session, principal, restoration_id, body.reasons, body.remedies))


routers = (mine, cases)
