"""Authorizations a subject grants a third party (Art. 22, 26, 39).

An authorization is a separate act: no other platform service asks for one or depends on one
(Art. 39 forbids bundled or coerced consent). It names one organisation, a purpose, the
channels it may inquire through, a scope of items or categories, and a validity; the subject
can revoke it at once. Whether it is usable on a day is derived from these facts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple, Protocol

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.models import Grantee
from pcip.auth.permissions import Principal
from pcip.auth.service import get_grantee
from pcip.catalog.schemas import SCOPE_CATEGORIES
from pcip.catalog.service import items_in_force
from pcip.errors import Forbidden, NotFound, ValidationError
from pcip.inquiry.models import Authorization
from pcip.inquiry.schemas import AuthorizationIn, AuthorizationOut, Channel
from pcip.kernel import audit
from pcip.kernel.driver import DriverStatement, flushed_connection
from pcip.kernel.messages import Term, msg
from pcip.subjects.models import Subject

#: No authorization outlives this many days; a longer relationship is granted again.
MAX_VALIDITY_DAYS = 3 * 366


class _Validity(Protocol):
    @property
    def revoked_at(self) -> datetime | None: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date: ...


class Grant(NamedTuple):
    """An authorization's columns as an inquiry reads them (issue 22: no ORM entity on the
    authorized inquiry's path; loading one was about 13% of its CPU)."""

    id: int
    subject_id: int
    grantee_id: int
    purpose: str
    channels: list[str]
    scope_items: list[str]
    scope_categories: list[int]
    valid_from: date
    valid_to: date
    revoked_at: datetime | None


_TABLE = Authorization.__table__
assert isinstance(_TABLE, Table)
_GRANT = DriverStatement(
    select(*(_TABLE.c[name] for name in Grant._fields)).where(_TABLE.c.id == bindparam("id"))
)


def status(a: _Validity, on: date) -> str:
    if a.revoked_at is not None and clock.legal_day(a.revoked_at) <= on:
        return "revoked"
    if on < a.valid_from:
        return "not_yet_valid"
    if on > a.valid_to:
        return "expired"
    return "active"


def grant(
    session: Session, principal: Principal, body: AuthorizationIn, channel: Channel
) -> Authorization:
    assert principal.subject_id is not None
    grantee = get_grantee(session, body.grantee_uscc)
    today = clock.today()
    valid_from = body.valid_from or today
    if valid_from < today:
        raise ValidationError(msg("inquiry.authorization_in_past"), field="valid_from")
    if body.valid_to < valid_from:
        raise ValidationError(msg("inquiry.valid_to_before_from"), field="valid_to")
    if (body.valid_to - valid_from).days > MAX_VALIDITY_DAYS:
        raise ValidationError(
            msg("inquiry.authorization_too_long", days=MAX_VALIDITY_DAYS), field="valid_to"
        )
    items, categories = _scope(session, body.items, body.categories)
    a = Authorization(
        subject_id=principal.subject_id,
        grantee_id=grantee.id,
        purpose=body.purpose.strip(),
        channels=sorted({c.value for c in body.channels}),
        scope_items=items,
        scope_categories=categories,
        valid_from=valid_from,
        valid_to=body.valid_to,
        granted_at=clock.now(),
        granted_via=channel.value,
    )
    session.add(a)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "authorization.grant",
        object_type="authorization",
        object_id=str(a.id),
        article="Art. 22",
        details={
            "grantee": grantee.uscc,
            "purpose": a.purpose,
            "channels": a.channels,
            "items": items,
            "categories": categories,
            "valid_from": valid_from,
            "valid_to": body.valid_to,
        },
    )
    return a


def _scope(
    session: Session, items: list[str], categories: list[int]
) -> tuple[list[str], list[int]]:
    if not items and not categories:
        raise ValidationError(msg("inquiry.authorization_scope_needed"), field="items")
    known = items_in_force(session)
    for code in items:
        if code not in known:
            raise ValidationError(msg("inquiry.unknown_item", code=repr(code)), field="items")
    for c in categories:
        if c not in SCOPE_CATEGORIES:
            raise ValidationError(msg("inquiry.unknown_category", category=c), field="categories")
    return sorted(set(items)), sorted(set(categories))


def revoke(session: Session, principal: Principal, authorization_id: int) -> Authorization:
    """Art. 39: revocable at once; later authorized inquiries under it are refused."""
    a = _own(session, principal, authorization_id)
    if a.revoked_at is None:
        a.revoked_at = clock.now()
        audit.record(
            session,
            principal.actor,
            "authorization.revoke",
            object_type="authorization",
            object_id=str(a.id),
            article="Art. 39",
            details={},
        )
    return a


def own(session: Session, principal: Principal, authorization_id: int) -> Authorization:
    """One of the subject's own authorizations (anyone else's is "not found")."""
    return _own(session, principal, authorization_id)


def _own(session: Session, principal: Principal, authorization_id: int) -> Authorization:
    a = session.get(Authorization, authorization_id)
    # Someone else's authorization is "not found": its existence is not the caller's business.
    if a is None or a.subject_id != principal.subject_id:
        raise NotFound(
            msg("inquiry.no_own_authorization", id=authorization_id), field="authorization_id"
        )
    return a


def for_subject(session: Session, principal: Principal) -> list[Authorization]:
    return list(
        session.scalars(
            select(Authorization)
            .where(Authorization.subject_id == principal.subject_id)
            .order_by(Authorization.id.desc())
        )
    )


def for_grantee(session: Session, principal: Principal) -> list[Authorization]:
    return list(
        session.scalars(
            select(Authorization)
            .where(Authorization.grantee_id == principal.grantee_id)
            .order_by(Authorization.id.desc())
        )
    )


def usable(
    session: Session, principal: Principal, authorization_id: int, channel: Channel
) -> Grant:
    """The authorization a grantee inquires under, if it covers this day and channel."""
    found = _GRANT.first(flushed_connection(session), {"id": authorization_id})
    a = Grant(*found) if found is not None else None
    if a is None or a.grantee_id != principal.grantee_id:
        raise NotFound(
            msg("inquiry.not_granted_to_you", id=authorization_id), field="authorization_id"
        )
    state = status(a, clock.today())
    if state != "active":
        raise Forbidden(
            msg(
                "inquiry.authorization_not_active",
                id=a.id,
                state=Term("authorization_status", state),
                state_code=state.replace("_", " "),
            ),
            field="authorization_id",
        )
    if channel.value not in a.channels:
        raise Forbidden(
            msg(
                "inquiry.channel_not_covered",
                id=a.id,
                channel=Term("channel", channel.value),
                channel_code=channel.value,
                channels=[Term("channel", c) for c in a.channels],
                channel_codes=", ".join(a.channels),
            ),
            field="channel",
        )
    return a


def out(session: Session, a: Authorization) -> AuthorizationOut:
    grantee = session.get(Grantee, a.grantee_id)
    subject = session.get(Subject, a.subject_id)
    assert grantee is not None and subject is not None
    return AuthorizationOut(
        authorization_id=a.id,
        subject_id=a.subject_id,
        subject_name=subject.name,
        grantee_uscc=grantee.uscc,
        grantee_name=grantee.name,
        purpose=a.purpose,
        channels=list(a.channels),
        items=list(a.scope_items),
        categories=list(a.scope_categories),
        valid_from=a.valid_from,
        valid_to=a.valid_to,
        granted_at=a.granted_at,
        revoked_at=a.revoked_at,
        status=status(a, clock.today()),
    )
