"""The HTTP door onto credit pledges and voluntary information (Art. 26, 18(6)). Thin routes:
each calls one service, which checks the permission."""

from __future__ import annotations

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, IdPath, Router, SessionDep
from pcip.pledges import service, texts
from pcip.pledges.schemas import (
    DeclarationIn,
    DeclarationOut,
    PerformanceIn,
    PledgeIn,
    PledgeOut,
    TextOut,
    pledge_out,
)

RESPONSES = {**ERROR_RESPONSES, **AUTH_RESPONSES}

public = Router(prefix="/pledges", tags=["pledges"], responses=RESPONSES)
mine = Router(prefix="/me", tags=["pledges"], responses=RESPONSES)


@public.get("/texts", response_model=list[TextOut])
def standard_texts(principal: PrincipalDep) -> list[TextOut]:
    """Art. 26: the standard pledge texts per matter, with where each comes from."""
    require(principal, Permission.CATALOG_READ)
    return [TextOut(**t.model_dump()) for t in texts.texts().values()]


@public.get("", response_model=list[PledgeOut])
def unit_pledges(session: SessionDep, principal: PrincipalDep) -> list[PledgeOut]:
    """The pledges made to the caller's unit, with their performance."""
    return [pledge_out(v) for v in service.unit_pledges(session, principal)]


@public.post("/{pledge_id}/performance", response_model=PledgeOut)
def performance(
    pledge_id: IdPath, body: PerformanceIn, session: SessionDep, principal: PrincipalDep
) -> PledgeOut:
    """The unit finds a pledge kept, or broken: then it names the basis document number of the
    record it submits for the breach through its normal submission (Art. 20)."""
    service.record_performance(
        session,
        principal,
        pledge_id,
        outcome=body.outcome,
        finding=body.finding,
        record_reference=body.record_reference,
        on=body.on,
    )
    return pledge_out(service.view(session, service.get_pledge(session, principal, pledge_id)))


@mine.get("/pledges", response_model=list[PledgeOut])
def my_pledges(session: SessionDep, principal: PrincipalDep) -> list[PledgeOut]:
    """Art. 26: my credit pledges and whether each was kept."""
    return [pledge_out(v) for v in service.my_pledges(session, principal)]


@mine.post("/pledges", response_model=PledgeOut, status_code=201)
def make_pledge(body: PledgeIn, session: SessionDep, principal: PrincipalDep) -> PledgeOut:
    """Art. 26: pledge with the standard text of a matter."""
    require(principal, Permission.PLEDGE_MAKE)
    p = service.make_pledge(
        session,
        principal,
        subject_id=principal.subject_id or 0,
        matter=body.matter,
        concerning=body.concerning,
        provider_id=body.provider_id,
        channel="api",
    )
    return pledge_out(service.view(session, p))


def _declaration(d: object) -> DeclarationOut:
    return DeclarationOut.model_validate(d, from_attributes=True)


@mine.get("/declarations", response_model=list[DeclarationOut])
def my_declarations(session: SessionDep, principal: PrincipalDep) -> list[DeclarationOut]:
    """Art. 26, 18(6): what I registered of my own will (self-declared)."""
    return [_declaration(d) for d in service.my_declarations(session, principal)]


@mine.post("/declarations", response_model=DeclarationOut, status_code=201)
def declare(body: DeclarationIn, session: SessionDep, principal: PrincipalDep) -> DeclarationOut:
    """Art. 26: register information of my own will, with the pledge on its lawfulness,
    veracity and completeness. It is shown as self-declared."""
    return _declaration(
        service.declare(
            session,
            principal,
            kind=body.kind,
            title=body.title,
            content=body.content,
            channel="api",
        )
    )


routers = (public, mine)
