"""The feed over HTTP (Art. 6, 25), for receivers holding a key from the interfaces registry:
read from a cursor, acknowledge, and the day's reconciliation."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

from fastapi import Header, Query

from pcip import clock
from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Principal
from pcip.doors.api_common import AUTH_RESPONSES, ERROR_RESPONSES, Router, SessionDep
from pcip.errors import Forbidden
from pcip.exchange import feed, receivers
from pcip.exchange.schemas import AckIn, AckOut, ChangeOut, FeedPage, ReconciliationOut
from pcip.kernel.enums import ActorKind
from pcip.kernel.messages import msg

if TYPE_CHECKING:
    from pcip.exchange.models import Receiver

router = Router(
    prefix="/exchange", tags=["exchange"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES}
)
KeyHeader = Annotated[str | None, Header(alias="X-Receiver-Key", max_length=100)]


def _receiver(session: SessionDep, principal: Principal, key: str | None) -> Receiver:
    """The receiver holding the key. Without a key: 401 for an anonymous caller, 403 for a
    signed-in one (a person or unit is no receiver, Art. 25)."""
    if not key and principal.role != ActorKind.PUBLIC:
        raise Forbidden(msg("exchange.receivers_only", header="X-Receiver-Key"), field="key")
    return receivers.authenticate(session, key)


@router.get("/feed", response_model=FeedPage)
def read_feed(
    session: SessionDep,
    principal: PrincipalDep,
    key: KeyHeader = None,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> FeedPage:
    """Art. 25: the receiver's changes after ``after`` (default: its acknowledged cursor)."""
    r = _receiver(session, principal, key)
    feed.collect(session)
    got = feed.changes_for(session, r, after=after, limit=limit)
    start = r.acked_cursor if after is None else after
    return FeedPage(
        receiver=r.code,
        changes=[ChangeOut(**feed.change_json(c)) for c in got],
        next_after=got[-1].id if got else start,
    )


@router.post("/feed/ack", response_model=AckOut)
def acknowledge(
    body: AckIn, session: SessionDep, principal: PrincipalDep, key: KeyHeader = None
) -> AckOut:
    """Art. 25: everything offered up to ``up_to`` arrived; the cursor moves there."""
    r = _receiver(session, principal, key)
    n = feed.acknowledge(session, r, body.up_to)
    return AckOut(acknowledged=n, cursor=r.acked_cursor)


@router.get("/feed/reconciliation", response_model=ReconciliationOut)
def reconciliation(
    session: SessionDep, principal: PrincipalDep, key: KeyHeader = None, day: date | None = None
) -> ReconciliationOut:
    """The receiver's day: sent, acknowledged, still pending."""
    r = _receiver(session, principal, key)
    return ReconciliationOut(**feed.reconciliation(session, r, day or clock.today()).as_json())
