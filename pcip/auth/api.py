"""Signing in and out, and the one dependency that tells every route who is calling.

A caller is identified by ``Authorization: Bearer <token>`` (API keys and session tokens,
``pcip.kernel.tokens``) or, for the web, by the ``pcip_session`` cookie. A request that relies
on the cookie and changes anything must echo the session's CSRF token in ``X-CSRF-Token``:
another site can make a browser send the cookie, but cannot read the token. (The server-
rendered forms of the web pages will carry it as a hidden field.)
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from pcip.auth import service
from pcip.auth.permissions import ANONYMOUS, Principal
from pcip.auth.throttle import SignInGuard
from pcip.auth.verifiers import verifier_from_settings
from pcip.doors.api_common import (
    AUTH_RESPONSES,
    ERROR_RESPONSES,
    ErrorBody,
    Router,
    SessionDep,
    get_platform,
)
from pcip.doors.ratelimit import client_key
from pcip.errors import Forbidden, Unauthorized
from pcip.inquiry.schemas import Channel
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform

SESSION_COOKIE = "pcip_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(
    auto_error=False,
    description="An API key (pcip_pk_… unit, pcip_gk_… third party) or a session token "
    "(pcip_ss_…) from /api/v1/auth/login or /api/v1/auth/subject",
)


async def current_principal(
    request: Request,
    platform: Annotated[Platform, Depends(get_platform)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Who is calling, checked in its own short transaction (ingestion runs its own).

    ``async``: an anonymous caller costs no thread; a token is looked up in one hop to the
    thread pool.
    """
    if credentials is not None:
        return await run_in_threadpool(bearer_principal, platform, credentials.credentials)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return ANONYMOUS
    try:
        principal = await run_in_threadpool(_principal_for, platform, cookie, True)
    except Unauthorized:
        return ANONYMOUS  # an expired web session browses the public pages as anyone does
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token", "")
        if not principal.csrf_token or not hmac.compare_digest(sent, principal.csrf_token):
            raise Forbidden(msg("auth.csrf"), field="csrf")
    return principal


def bearer_principal(platform: Platform, token: str) -> Principal:
    """The caller named by an ``Authorization: Bearer`` token (blocking: call it in a worker
    thread). ``pcip.doors.fast_inquiry`` calls it in the endpoint's own thread."""
    return _principal_for(platform, token, False)


def bearer_principal_in(session: Session, token: str) -> Principal:
    """As :func:`bearer_principal`, looked up in ``session``, the request's own unit of work
    (``pcip.doors.fast_inquiry``: the inquiry's transaction), not on a connection and session
    of its own: one pool checkout, one session and, on PostgreSQL, one autocommit switch and
    its reset fewer per signed-in inquiry (issue 22). Same statement, same checks."""
    return service.principal_for_token(session, token, via_cookie=False)


def _principal_for(platform: Platform, token: str, via_cookie: bool) -> Principal:
    """The token's caller. The lookup only reads (a key or a session, and whom it names):
    on PostgreSQL it runs on an autocommit connection, one round trip instead of ``BEGIN``,
    the lookup and ``COMMIT`` (issue 22: it precedes every signed-in request). SQLite keeps
    a transaction (its ``BEGIN IMMEDIATE`` hook would open one that nothing ends)."""
    if platform.engine.dialect.name != "postgresql":
        with platform.transaction() as session:
            return service.principal_for_token(session, token, via_cookie=via_cookie)
    with platform.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")  # reset when it is returned
        with Session(bind=conn) as session:
            return service.principal_for_token(session, token, via_cookie=via_cookie)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


#: The header clients once used to name their channel. The channel is no longer theirs to say:
#: a request that sends it naming another channel than the one that carried it is refused.
CHANNEL_HEADER = "X-PCIP-Channel"


def channel_of(request: Request) -> Channel:
    """Art. 22: the channel that carried this request, decided by its credential and route.

    * ``Authorization: Bearer`` (an API key or a session token) on the API: ``api``;
    * the web session cookie (a browser signed in on the portal or the console): ``web``;
    * no credential at all: ``api`` on the API (the portal's own pages pass ``web``).

    ``desk`` is decided by the console pages through which staff act at a service window for
    someone present (objection and re-examination registration); ``mobile`` by a mobile
    client's credential, which does not exist yet. Never by anything the caller writes.
    """
    if request.headers.get("authorization"):
        return Channel.API
    if request.cookies.get(SESSION_COOKIE):
        return Channel.WEB
    return Channel.API


async def request_channel(request: Request) -> Channel:
    """The channel of this request (``channel_of``); a contradicting claim is refused."""
    channel = channel_of(request)
    claimed = request.headers.get(CHANNEL_HEADER.lower())
    if claimed is not None and claimed.strip().lower() != channel.value:
        raise Forbidden(
            msg("auth.channel_claimed", channel=channel.value, header=CHANNEL_HEADER),
            field=CHANNEL_HEADER,
        )
    return channel


ChannelDep = Annotated[Channel, Depends(request_channel)]

router = Router(prefix="/auth", tags=["accounts"], responses=ERROR_RESPONSES)


class LoginIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"username": "operator", "password": "a long password"}]},
    )

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class AssertionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"assertion": "eyJhbGciOiJFUzI1NiIsImtpZCI6Ii4uLiJ9..."}]},
    )

    assertion: str = Field(
        min_length=10,
        max_length=8192,
        description="A signed real-name identity assertion (JWT) from the identity provider",
    )


class SessionOut(BaseModel):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'; shown once")
    csrf_token: str
    expires_at: datetime
    role: str
    development_identity_provider: bool = False


class WhoAmI(BaseModel):
    role: str
    actor: str
    display: str
    via: str
    organisation: str
    subject_id: int | None
    provider_id: int | None
    grantee_id: int | None


def _signed_in(response: Response, signed: service.SignedIn, role: str, secure: bool) -> SessionOut:
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="lax",
        secure=secure,
        # Relative, not an absolute date: the platform clock may be fixed (PCIP_NOW) for a
        # demo while the browser's runs on.
        max_age=int((signed.expires_at - signed.record.created_at).total_seconds()),
        path="/",
    )
    return SessionOut(
        token=signed.token,
        csrf_token=signed.record.csrf_token,
        expires_at=signed.expires_at,
        role=role,
        development_identity_provider=signed.record.development,
    )


def sign_in_guard(request: Request, platform: Platform) -> SignInGuard:
    """The sign-in throttle over the application's shared state (issue 23)."""
    return SignInGuard.from_settings(platform.settings, getattr(request.app.state, "shared", None))


@router.post(
    "/login",
    response_model=SessionOut,
    responses={
        **AUTH_RESPONSES,
        429: {"model": ErrorBody, "description": "Too many failed sign-ins (account or address)"},
    },
)
def login(
    body: LoginIn,
    request: Request,
    response: Response,
    platform: Annotated[Platform, Depends(get_platform)],
) -> SessionOut:
    """Staff sign-in (operator, development and reform department, providing-unit staff)."""
    hours = platform.settings.session_hours
    # Failed sign-ins are audited (Art. 27), so the refusal is raised only after the
    # transaction holding its audit row has committed.
    failure: Unauthorized | None = None
    with platform.transaction() as session:
        try:
            signed = service.sign_in(
                session,
                body.username,
                body.password,
                hours=hours,
                guard=sign_in_guard(request, platform),
                address=client_key(request),
            )
            role = service.account_role(session, signed)
        except Unauthorized as exc:
            failure = exc
    if failure is not None:
        raise failure
    return _signed_in(response, signed, role, platform.settings.environment == "production")


@router.post("/subject", response_model=SessionOut, responses=AUTH_RESPONSES)
def subject_sign_in(
    body: AssertionIn,
    response: Response,
    session: SessionDep,
    platform: Annotated[Platform, Depends(get_platform)],
) -> SessionOut:
    """Real-name sign-in for credit subjects (Art. 22): exchange an identity assertion."""
    assertion = verifier_from_settings(platform.settings).verify(body.assertion)
    signed = service.sign_in_subject(
        session, platform.keyring, assertion, hours=platform.settings.session_hours
    )
    return _signed_in(response, signed, "subject", platform.settings.environment == "production")


@router.post("/logout", status_code=204, responses=AUTH_RESPONSES)
def logout(principal: PrincipalDep, session: SessionDep, response: Response) -> Response:
    """End the caller's session at once (an API key has no session: nothing changes)."""
    service.sign_out(session, principal)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=WhoAmI, responses=AUTH_RESPONSES)
def who_am_i(principal: PrincipalDep) -> WhoAmI:
    """Who the platform thinks is calling (anonymous callers are 'public')."""
    return WhoAmI(
        role=principal.role.value,
        actor=str(principal.actor),
        display=principal.actor.display,
        via=principal.via,
        organisation=principal.organisation,
        subject_id=principal.subject_id,
        provider_id=principal.provider_id,
        grantee_id=principal.grantee_id,
    )
