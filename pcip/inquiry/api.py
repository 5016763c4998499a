"""The HTTP door onto the four inquiry modes, authorizations, the inquiry history and alerts.

Thin routes: each checks nothing itself beyond the shape of the request; the services check
permissions (``pcip.auth.permissions``) and apply the disclosure rules, and the request's one
transaction holds the read and its inquiry log entry together (Art. 22).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from pcip.auth.api import ChannelDep, PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import (
    AUTH_RESPONSES,
    ERROR_RESPONSES,
    ErrorBody,
    IdPath,
    Router,
    SessionDep,
    answered_in_its_thread,
    get_platform,
)
from pcip.doors.ratelimit import RateLimiter, client_key
from pcip.errors import RateLimited
from pcip.inquiry import alerts, authorizations, confidential, history, scope, service
from pcip.inquiry.schemas import (
    AlertOut,
    AuthorityInquiry,
    AuthorizationIn,
    AuthorizationOut,
    AuthorizedInquiry,
    ConfidentialReasonOut,
    InquiryHistory,
    InquiryResult,
    OrganisationHit,
    OwnInquiryResult,
    PersonLookup,
    ScopeGrantIn,
    ScopeOut,
    ScopeRevokeIn,
)
from pcip.kernel.answers import Answer
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform
from pcip.providers.queries import provider_by_id
from pcip.providers.service import get_provider

PlatformDep = Annotated[Platform, Depends(get_platform)]
RATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorBody, "description": "Too many requests (Art. 28)"}
}


def check_public_rate(request: Request, platform: Platform) -> None:
    """Art. 28: throttle public search and disclosure per client (no bulk harvesting)."""
    limiter = getattr(request.app.state, "public_limiter", None)
    if limiter is None:
        limiter = RateLimiter(
            platform.settings.public_rate_per_minute,
            per_seconds=60.0,
            state=getattr(request.app.state, "shared", None),
        )
        request.app.state.public_limiter = limiter
    decision = limiter.hit(client_key(request))
    if not decision.allowed:
        raise RateLimited(
            msg("inquiry.too_many_public"),
            retry_after=decision.retry_after,
        )


async def public_rate_limit(request: Request, platform: PlatformDep) -> None:
    """The dependency: ``async``, so no hop to a worker thread. The check is a lookup in this
    process's memory, or with ``PCIP_REDIS_URL`` one Redis round trip (about 0.1 ms on
    loopback) that holds the event loop for that long."""
    check_public_rate(request, platform)


Throttled = Depends(public_rate_limit)

public = Router(
    prefix="/public",
    tags=["public disclosure"],
    responses={**ERROR_RESPONSES, **RATE_RESPONSES},
    dependencies=[Throttled],
)


@public.get("/organisations", response_model=list[OrganisationHit])
def search(
    session: SessionDep,
    principal: PrincipalDep,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=100,
            description="Part of an organisation's name (current or former), or its USCC",
            examples=["示例科技"],
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=service.SEARCH_LIMIT)] = 20,
) -> list[OrganisationHit]:
    """Art. 22: find organisations by name or USCC. Natural persons are never listed."""
    require(principal, Permission.PUBLIC_SEARCH)
    return service.search_organisations(session, q, limit)


@public.get("/organisations/{key}", response_model=InquiryResult)
@answered_in_its_thread  # issue 22: one serialisation, no second hop
def organisation(
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    key: Annotated[str, Path(max_length=32, description="USCC or registration number")],
) -> Answer[InquiryResult]:
    """Art. 22 lawful public disclosure of an organisation's records (logged)."""
    return service.public_organisation_answer(session, principal, key, channel)


@public.post("/persons", response_model=InquiryResult)
@answered_in_its_thread  # issue 22: one serialisation, no second hop
def person(
    body: PersonLookup,
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    platform: PlatformDep,
) -> InquiryResult:
    """Art. 22: a natural person's public records, only by the exact identifier (POST, so the
    number never appears in a URL or an access log)."""
    return service.public_person(session, platform.keyring, principal, body, channel)


inquiries = Router(
    prefix="/inquiries", tags=["inquiries"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES}
)


@inquiries.post("/authority", response_model=InquiryResult)
@answered_in_its_thread  # issue 22: one serialisation, no second hop
def authority(
    body: AuthorityInquiry,
    session: SessionDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    platform: PlatformDep,
) -> InquiryResult:
    """Art. 22(2): authority-based inquiry by providing-unit staff, with a duty purpose."""
    return service.authority(session, platform.keyring, principal, body, channel)


@inquiries.get("/authority/scope", response_model=ScopeOut)
def my_scope(session: SessionDep, principal: PrincipalDep) -> ScopeOut:
    """Art. 22(2): the items my unit's authority inquiries see, each with its legal basis."""
    require(principal, Permission.AUTHORITY_INQUIRY)
    assert principal.provider_id is not None
    provider = provider_by_id(session, principal.provider_id)
    return scope.out(session, provider)


@inquiries.get("/confidential-reasons", response_model=list[ConfidentialReasonOut])
def confidential_reasons() -> list[ConfidentialReasonOut]:
    """D-26: the reasons a unit may give for keeping an authority inquiry confidential, each
    with the provision requiring it (published rule data)."""
    return [
        ConfidentialReasonOut(
            code=r.code,
            name_zh=r.name_zh,
            name_en=r.name_en,
            citation=r.citation,
            citation_en=r.citation_en,
        )
        for r in confidential.REASONS
    ]


@inquiries.post("/authorized", response_model=InquiryResult)
@answered_in_its_thread  # issue 22: one serialisation, no second hop
def authorized(
    body: AuthorizedInquiry, session: SessionDep, principal: PrincipalDep, channel: ChannelDep
) -> Answer[InquiryResult]:
    """Art. 22: a third party's inquiry under a subject's authorization."""
    return service.authorized_answer(session, principal, body.authorization_id, channel)


me = Router(
    prefix="/me", tags=["my credit information"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES}
)


@me.get("/records", response_model=OwnInquiryResult)
@answered_in_its_thread  # issue 22: one serialisation, no second hop
def my_records(
    session: SessionDep, principal: PrincipalDep, channel: ChannelDep
) -> Answer[OwnInquiryResult]:
    """Art. 22 and 39: everything held about me, its disclosure status, provenance, history."""
    return service.own_answer(session, principal, channel)


@me.get("/inquiries", response_model=InquiryHistory)
def my_inquiries(
    session: SessionDep, principal: PrincipalDep, hide_own: bool = False
) -> InquiryHistory:
    """Art. 39: who looked at my information, when, in which mode and for what purpose.
    ``hide_own=true`` leaves out my own views (they stay logged, Art. 22)."""
    require(principal, Permission.SELF_INQUIRY_LOG)
    assert principal.subject_id is not None
    return history.about(session, principal.subject_id, hide_own=hide_own)


@me.get("/authorizations", response_model=list[AuthorizationOut])
def my_authorizations(session: SessionDep, principal: PrincipalDep) -> list[AuthorizationOut]:
    """Art. 22, 39: every authorization I granted, newest first, with its derived status."""
    require(principal, Permission.AUTHORIZATION_MANAGE)
    return [authorizations.out(session, a) for a in authorizations.for_subject(session, principal)]


@me.post("/authorizations", response_model=AuthorizationOut, status_code=201)
def grant(
    body: AuthorizationIn, session: SessionDep, principal: PrincipalDep, channel: ChannelDep
) -> AuthorizationOut:
    """Art. 22, 39: authorize one organisation, for a purpose, scope, channels and period."""
    require(principal, Permission.AUTHORIZATION_MANAGE)
    return authorizations.out(session, authorizations.grant(session, principal, body, channel))


@me.delete("/authorizations/{authorization_id}", response_model=AuthorizationOut)
def revoke(
    authorization_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> AuthorizationOut:
    """Art. 39: revoke at once; later inquiries under it are refused."""
    require(principal, Permission.AUTHORIZATION_MANAGE)
    return authorizations.out(session, authorizations.revoke(session, principal, authorization_id))


grantee = Router(
    prefix="/grantee",
    tags=["authorized third parties"],
    responses={**ERROR_RESPONSES, **AUTH_RESPONSES},
)


@grantee.get("/authorizations", response_model=list[AuthorizationOut])
def received(session: SessionDep, principal: PrincipalDep) -> list[AuthorizationOut]:
    """The authorizations subjects have granted to the calling organisation."""
    require(principal, Permission.AUTHORIZATION_RECEIVED)
    return [authorizations.out(session, a) for a in authorizations.for_grantee(session, principal)]


oversight = Router(
    prefix="/alerts", tags=["oversight"], responses={**ERROR_RESPONSES, **AUTH_RESPONSES}
)


@oversight.get("", response_model=list[AlertOut])
def list_alerts(
    session: SessionDep, principal: PrincipalDep, open_only: bool = False
) -> list[AlertOut]:
    """Art. 28: accounts whose inquiry volume crossed the threshold in an hour."""
    require(principal, Permission.ALERT_READ)
    return alerts.list_alerts(session, open_only=open_only)


@oversight.post("/{alert_id}/acknowledge", response_model=AlertOut)
def acknowledge(alert_id: IdPath, session: SessionDep, principal: PrincipalDep) -> AlertOut:
    """Art. 28: the operator records that an alert was looked into (who and when)."""
    require(principal, Permission.ALERT_ACKNOWLEDGE)
    return alerts.acknowledge(session, principal, alert_id)


scopes = Router(
    prefix="/providers/{provider}/inquiry-scope",
    tags=["inquiries"],
    responses={**ERROR_RESPONSES, **AUTH_RESPONSES},
)
ProviderPath = Annotated[str, Path(max_length=32, description="The providing unit's USCC")]


@scopes.get("", response_model=ScopeOut)
def unit_scope(provider: ProviderPath, session: SessionDep, principal: PrincipalDep) -> ScopeOut:
    """Art. 22(2): a unit's inquiry scope (the items it provides and those granted to it) and
    every grant it ever had."""
    require(principal, Permission.INQUIRY_SCOPE_READ)
    return scope.out(session, get_provider(session, provider))


@scopes.post("", response_model=ScopeOut, status_code=201)
def grant_scope(
    provider: ProviderPath, body: ScopeGrantIn, session: SessionDep, principal: PrincipalDep
) -> ScopeOut:
    """Art. 22(2): the operator widens a unit's scope by one item, citing the legal basis of
    the duty that needs it (audited)."""
    require(principal, Permission.INQUIRY_SCOPE_MANAGE)
    unit = get_provider(session, provider)
    scope.grant(session, principal.actor, unit, body.item_code, body.legal_basis)
    return scope.out(session, unit)


@scopes.post("/{grant_id}/revoke", response_model=ScopeOut)
def revoke_scope(
    provider: ProviderPath,
    grant_id: IdPath,
    body: ScopeRevokeIn,
    session: SessionDep,
    principal: PrincipalDep,
) -> ScopeOut:
    """Art. 22(2): end a grant now, with the reason (kept and audited, never deleted)."""
    require(principal, Permission.INQUIRY_SCOPE_MANAGE)
    unit = get_provider(session, provider)
    scope.revoke(session, principal.actor, unit, grant_id, body.reason)
    return scope.out(session, unit)


routers = (public, inquiries, me, grantee, oversight, scopes)
