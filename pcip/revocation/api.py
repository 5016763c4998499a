"""The HTTP door onto basis-document changes (Art. 44): a unit's feed or the operator
registers one; units, the operator and the D&R department read the changes and the list of
changes per department. Thin routes: each calls one service, which checks the permission."""

from __future__ import annotations

from pcip.auth.api import PrincipalDep
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.revocation import queries, service
from pcip.revocation.schemas import ChangeIn, ChangeOut, DepartmentChangeOut

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}
router = Router(prefix="/basis-changes", tags=["revocation"], responses=RESPONSES)


@router.post("", response_model=ChangeOut, status_code=201)
def register(body: ChangeIn, session: SessionDep, principal: PrincipalDep) -> ChangeOut:
    """Art. 44: the basis document was revoked or changed by the document named here: the
    records, linked records and listings resting on it are withdrawn or updated at once."""
    channel = "feed" if principal.via == "api_key" else "api"
    return queries.out(session, service.register(session, principal, body, channel=channel))


@router.get("", response_model=list[ChangeOut])
def changes(session: SessionDep, principal: PrincipalDep) -> list[ChangeOut]:
    """The registered changes, newest first (a unit: those it registered)."""
    return [queries.out(session, c) for c in queries.changes(session, principal)]


@router.get("/departments", response_model=list[DepartmentChangeOut])
def department_changes(session: SessionDep, principal: PrincipalDep) -> list[DepartmentChangeOut]:
    """Art. 44: each change to data a department received (by its authority inquiries and
    credit checks), until the exchange change feed exists; a unit sees its own."""
    return queries.department_changes(session, principal)


@router.get("/{change_id}", response_model=ChangeOut)
def change(change_id: IdPath, session: SessionDep, principal: PrincipalDep) -> ChangeOut:
    """One registered change with its document and every record and listing it changed."""
    return queries.out(session, service.get(session, principal, change_id))


routers = [router]
