"""The feed over HTTP (Art. 6, 25), for receivers holding a key from the interfaces registry:
read from a cursor, acknowledge, and the day's reconciliation."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Header, Query

from pcip import clock
from pcip.doors.api_common import ERROR_RESPONSES, Router, SessionDep
from pcip.exchange import feed, receivers
from pcip.exchange.schemas import AckIn, AckOut, ChangeOut, FeedPage, ReconciliationOut

router = Router(prefix="/exchange", tags=["exchange"], responses=ERROR_RESPONSES)
KeyHeader = Annotated[str | None, Header(alias="X-Receiver-Key", max_length=100)]


@router.get("/feed", response_model=FeedPage)
def read_feed(
    session: SessionDep,
    key: KeyHeader = None,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> FeedPage:
    """Art. 25: the receiver's changes after ``after`` (default: its acknowledged cursor)."""
    r = receivers.authenticate(session, key)
    feed.collect(session)
    got = feed.changes_for(session, r, after=after, limit=limit)
    start = r.acked_cursor if after is None else after
    return FeedPage(
        receiver=r.code,
        changes=[ChangeOut(**feed.change_json(c)) for c in got],
        next_after=got[-1].id if got else start,
    )


@router.post("/feed/ack", response_model=AckOut)
def acknowledge(body: AckIn, session: SessionDep, key: KeyHeader = None) -> AckOut:
    """Art. 25: everything offered up to ``up_to`` arrived; the cursor moves there."""
    r = receivers.authenticate(session, key)
    n = feed.acknowledge(session, r, body.up_to)
    return AckOut(acknowledged=n, cursor=r.acked_cursor)


@router.get("/feed/reconciliation", response_model=ReconciliationOut)
def reconciliation(
    session: SessionDep, key: KeyHeader = None, day: date | None = None
) -> ReconciliationOut:
    """The receiver's day: sent, acknowledged, still pending."""
    r = receivers.authenticate(session, key)
    return ReconciliationOut(**feed.reconciliation(session, r, day or clock.today()).as_json())
