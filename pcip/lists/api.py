"""The HTTP door onto the lists (Art. 32-33, 44): list types, the public lists, designation
steps (SM-2) and imports. Thin routes: each calls one service, which checks the permission."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import File, Form, Query, UploadFile
from fastapi import Path as PathParam

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.doors.http_guard import UPLOAD_BODY
from pcip.inquiry.api import PlatformDep
from pcip.lists import designation, imports, public, types
from pcip.lists.schemas import (
    DecisionIn,
    DesignationOut,
    DraftIn,
    DropIn,
    EndIn,
    ImportSummary,
    ListTypeOut,
    PublicListOut,
    ResponseIn,
    RevokeIn,
    ServiceIn,
    StatementIn,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
CodePath = Annotated[str, PathParam(max_length=48, pattern=r"^[a-z][a-z0-9_]*$")]

lists = Router(prefix="/lists", tags=["lists"], responses=RESPONSES)
steps = Router(prefix="/designations", tags=["lists"], responses=RESPONSES)


@lists.get("/types", response_model=list[ListTypeOut])
def list_types(principal: PrincipalDep) -> list[ListTypeOut]:
    """Art. 32: the list types in force, each with its field, scope, designation standard,
    removal conditions and procedure, remedies, statement period and legal basis."""
    require(principal, Permission.LIST_PUBLIC)
    return [types.out(t) for t in types.all_types()]


@lists.get("/types/{code}", response_model=ListTypeOut)
def list_type(code: CodePath, principal: PrincipalDep) -> ListTypeOut:
    """Art. 32: one list type with its legal basis."""
    require(principal, Permission.LIST_PUBLIC)
    return types.out(types.get(code, field="code"))


@lists.get("/{code}/entries", response_model=PublicListOut)
def entries(
    code: CodePath,
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[str, Query(max_length=100)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PublicListOut:
    """Art. 22, 32: the list's entries in force today (organisations; natural persons only
    where the list's rule publishes them), searchable by name or USCC."""
    return public.entries(session, principal, code, q, offset)


@lists.post("/{code}/imports", response_model=ImportSummary, max_body_size=UPLOAD_BODY)
def import_list(
    code: CodePath,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030), XLSX or JSONL")],
    format: Annotated[str | None, Form(description="csv, xlsx or jsonl", examples=["csv"])] = None,
) -> ImportSummary:
    """A list decided elsewhere (a court's, a national authority's), with each row's own
    deciding authority and dates. The same file twice changes nothing."""
    require(principal, Permission.LIST_IMPORT)
    name = Path(file.filename or "list.csv").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(file.file.read())
        return imports.import_file(
            session, platform.keyring, principal, code, path, file_name=name, declared_format=format
        )


@lists.post("/expiry-check")
def expiry_check(session: SessionDep, principal: PrincipalDep) -> dict[str, int]:
    """Record the expiry of listings whose rule period has ended (they are already off the
    public lists: visibility follows the dates)."""
    return {"expired": designation.expire_due(session, principal)}


@steps.get("", response_model=list[DesignationOut])
def list_designations(session: SessionDep, principal: PrincipalDep) -> list[DesignationOut]:
    """The unit's designations (staff), or every one (operator, D&R department)."""
    return [designation.out(session, d) for d in designation.mine(session, principal)]


@steps.post("", response_model=DesignationOut, status_code=201)
def draft(
    body: DraftIn, session: SessionDep, principal: PrincipalDep, platform: PlatformDep
) -> DesignationOut:
    """SM-2 DRAFT: a department opens a designation (facts, grounds, basis)."""
    d = designation.draft(session, platform.keyring, principal, body)
    return designation.out(session, d)


@steps.get("/{designation_id}", response_model=DesignationOut)
def get_one(designation_id: IdPath, session: SessionDep, principal: PrincipalDep) -> DesignationOut:
    """One designation: its state, deadlines and every step (the unit, the overseers, and the
    subject from the notice on)."""
    return designation.out(session, designation.get(session, principal, designation_id))


@steps.post("/{designation_id}/notice", response_model=DesignationOut)
def serve_notice(
    designation_id: IdPath, body: ServiceIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """Art. 32 para 3: the pre-designation notice served, with proof; the window opens."""
    return designation.out(
        session, designation.serve_notice(session, principal, designation_id, body)
    )


@steps.post("/{designation_id}/statement", response_model=DesignationOut)
def statement(
    designation_id: IdPath, body: StatementIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """The subject's statement or objection (the subject, or staff registering one on paper)."""
    d = designation.file_statement(session, principal, designation_id, body)
    return designation.out(session, d)


@steps.post("/{designation_id}/response", response_model=DesignationOut)
def respond(
    designation_id: IdPath, body: ResponseIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """The department answers the statement: upheld drops the designation."""
    return designation.out(session, designation.respond(session, principal, designation_id, body))


@steps.post("/{designation_id}/drop", response_model=DesignationOut)
def drop(
    designation_id: IdPath, body: DropIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """The department abandons the designation before deciding, with its reasons."""
    return designation.out(session, designation.drop(session, principal, designation_id, body))


@steps.post("/{designation_id}/decision", response_model=DesignationOut)
def decide(
    designation_id: IdPath,
    body: DecisionIn,
    session: SessionDep,
    principal: PrincipalDep,
    platform: PlatformDep,
) -> DesignationOut:
    """Art. 32 para 3, 33: the decision, with the persons it names."""
    d = designation.decide(session, platform.keyring, principal, designation_id, body)
    return designation.out(session, d)


@steps.post("/{designation_id}/decision-service", response_model=DesignationOut)
def serve_decision(
    designation_id: IdPath, body: ServiceIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """Art. 32 para 3: the written decision served, with proof of service."""
    d = designation.serve_decision(session, principal, designation_id, body)
    return designation.out(session, d)


@steps.post("/{designation_id}/listing", response_model=DesignationOut)
def list_subject(
    designation_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """SM-2 LISTED: the subject enters the list; Art. 33 linked records take effect."""
    d = designation.list_subject(session, principal, designation_id)
    return designation.out(session, d)


@steps.post("/{designation_id}/removal", response_model=DesignationOut)
def remove(
    designation_id: IdPath, body: EndIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """The removal conditions are met: the listing ends (kept, dated; Art. 44, 45)."""
    return designation.out(session, designation.remove(session, principal, designation_id, body))


@steps.post("/{designation_id}/revocation", response_model=DesignationOut)
def revoke(
    designation_id: IdPath, body: RevokeIn, session: SessionDep, principal: PrincipalDep
) -> DesignationOut:
    """Art. 44: the basis was revoked or changed; the listing is withdrawn."""
    return designation.out(session, designation.revoke(session, principal, designation_id, body))


routers = [lists, steps]
