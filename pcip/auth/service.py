"""Accounts, sign-in, sessions and third-party keys: the actions, each with its audit row.

Passwords are hashed with Argon2id at the cost the settings name (``pcip.auth.passwords``:
RFC 9106's second recommended option in production). Sign-in failures give one message for
an unknown user and a wrong password, so the answer does not reveal which usernames exist.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.auth.assertions import RealNameAssertion
from pcip.auth.models import STAFF_ROLES, Account, AuthSession, Grantee, GranteeKey
from pcip.auth.passwords import hasher_for
from pcip.auth.permissions import Principal
from pcip.auth.throttle import SignInGuard
from pcip.errors import Conflict, NotFound, Unauthorized, ValidationError
from pcip.identity import validate_uscc
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.driver import DriverStatement
from pcip.kernel.enums import ActorKind, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.kernel.shared_state import MemoryState
from pcip.kernel.tokens import (
    GRANTEE_KEY,
    PROVIDER_KEY,
    SESSION,
    IssuedKey,
    new_session_token,
    parse_key,
    revoke_stored_key,
    same_secret,
    secret_hash,
    session_secret,
    store_key,
)
from pcip.providers.models import Provider
from pcip.providers.service import authenticate as authenticate_provider
from pcip.providers.service import get_provider
from pcip.subjects import service as subjects
from pcip.subjects.models import Subject

#: OWASP ASVS 2.1.1: at least 12 characters; no composition rules (they do not help).
MIN_PASSWORD = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


# --- accounts -------------------------------------------------------------------------------


def hash_password(session: Session, password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(msg("auth.password_short", n=MIN_PASSWORD), field="password")
    if len(password) > 256:
        raise ValidationError(msg("auth.password_long"), field="password")
    return hasher_for(session).hash(password)


def add_account(
    session: Session,
    actor: Actor,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    provider_uscc: str | None = None,
) -> Account:
    """Create a staff account. Providing-unit staff name their unit (Art. 22 authority mode)."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise ValidationError(
            msg("auth.username_shape"),
            field="username",
        )
    if role not in STAFF_ROLES:
        raise ValidationError(msg("auth.role_unknown", roles=list(STAFF_ROLES)), field="role")
    provider: Provider | None = None
    if role == "provider":
        if not provider_uscc:
            raise ValidationError(msg("auth.unit_uscc_needed"), field="provider")
        provider = get_provider(session, provider_uscc)
    elif provider_uscc:
        raise ValidationError(msg("auth.role_without_unit", role=role), field="provider")
    if session.scalar(select(Account.id).where(Account.username == username)) is not None:
        raise Conflict(msg("auth.username_taken", username=username), field="username")
    account = Account(
        username=username,
        display_name=(display_name.strip() or username)[:100],
        role=role,
        provider_id=provider.id if provider else None,
        password_hash=hash_password(session, password),
        created_at=clock.now(),
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        actor,
        "account.create",
        object_type="account",
        object_id=str(account.id),
        article="Art. 27",
        details={"username": username, "role": role, "provider": provider_uscc},
    )
    return account


def disable_account(session: Session, actor: Actor, username: str) -> Account:
    account = session.scalar(select(Account).where(Account.username == username.lower()))
    if account is None:
        raise NotFound(msg("auth.no_account", username=username), field="username")
    if account.disabled_at is None:
        account.disabled_at = clock.now()
        _end_sessions(session, account_id=account.id)
        audit.record(
            session,
            actor,
            "account.disable",
            object_type="account",
            object_id=str(account.id),
            article="Art. 27",
            details={"username": account.username},
        )
    return account


def _end_sessions(session: Session, *, account_id: int) -> None:
    now = clock.now()
    for s in session.scalars(
        select(AuthSession).where(
            AuthSession.account_id == account_id, AuthSession.ended_at.is_(None)
        )
    ):
        s.ended_at = now


# --- sessions -------------------------------------------------------------------------------


class SignedIn:
    """A new session: the token is returned once; the CSRF token travels with web forms."""

    def __init__(self, token: str, record: AuthSession) -> None:
        self.token = token
        self.record = record

    @property
    def expires_at(self) -> datetime:
        return self.record.expires_at


def _open_session(session: Session, hours: int, **who: object) -> SignedIn:
    token, digest = new_session_token()
    now = clock.now()
    record = AuthSession(
        token_sha256=digest,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + timedelta(hours=hours),
        **who,
    )
    session.add(record)
    session.flush()
    return SignedIn(token, record)


def sign_in(
    session: Session,
    username: str,
    password: str,
    *,
    hours: int,
    guard: SignInGuard | None = None,
    address: str = "unknown",
) -> SignedIn:
    """Staff sign-in. ``guard`` throttles and locks out (``pcip.auth.throttle``); without one,
    a guard of this call only: every failure is audited, nothing is throttled."""
    guard = guard if guard is not None else SignInGuard(MemoryState())
    guard.check(username, address)
    bad = Unauthorized(msg("auth.wrong_password"))
    account = session.scalar(select(Account).where(Account.username == username.strip().lower()))
    if account is None:
        # Spend the same time as a real check: response time must not reveal usernames.
        hasher_for(session).hash(password or "x")
        guard.failed(session, username, address, None)
        raise bad
    hasher = hasher_for(session)
    try:
        hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        guard.failed(session, username, address, account.id)
        raise bad from None
    if account.disabled_at is not None:
        raise Unauthorized(msg("auth.account_disabled"))
    guard.succeeded(username)
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    signed = _open_session(session, hours, account_id=account.id)
    audit.record(
        session,
        account_actor(session, account),
        "account.sign_in",
        object_type="account",
        object_id=str(account.id),
        article="Art. 27",
        details={"session": signed.record.id},
    )
    return signed


def account_role(session: Session, signed: SignedIn) -> str:
    account = session.get(Account, signed.record.account_id)
    assert account is not None
    return account.role


def sign_in_subject(
    session: Session, ring: Keyring, assertion: RealNameAssertion, *, hours: int
) -> SignedIn:
    """Real-name sign-in (Art. 22 self inquiry): the asserted identity finds the subject.

    A person with nothing on file still signs in (to grant authorizations or read who looked
    them up); the subject is registered under the asserted identifier, the only match key.
    """
    if session.scalar(select(AuthSession.id).where(AuthSession.assertion_id == assertion.token_id)):
        raise Unauthorized(msg("auth.assertion_reused"), field="assertion")
    key = _subject_key(ring, assertion)
    subject = subjects.ensure(
        session, ring, key, assertion.name, source=f"real_name:{assertion.issuer}"
    ).subject
    # Art. 3: a person identified by another document carries the birth date the provider
    # asserts (the number of a citizen ID already carries it; the first date known is kept).
    birth_asserted = (
        subject.kind == SubjectKind.PERSON.value
        and subject.birth_date is None
        and assertion.birth_date is not None
    )
    if birth_asserted:
        subject.birth_date = assertion.birth_date
    signed = _open_session(
        session,
        hours,
        subject_id=subject.id,
        assertion_issuer=assertion.issuer,
        assertion_id=assertion.token_id,
        development=assertion.development,
    )
    audit.record(
        session,
        Actor(ActorKind.SUBJECT, str(subject.id), subject.name),
        "subject.sign_in",
        object_type="subject",
        object_id=str(subject.id),
        article="Art. 22",
        details={
            "issuer": assertion.issuer,
            "development_identity_provider": assertion.development,
            "session": signed.record.id,
            "birth_date_asserted": birth_asserted,
        },
    )
    return signed


def _subject_key(ring: Keyring, a: RealNameAssertion) -> subjects.SubjectKey:
    if a.id_type == "citizen_id":
        return subjects.person_by_citizen_id(ring, a.id_number, field="assertion")
    if a.id_type == "document":
        return subjects.person_by_document(
            ring,
            a.document_type or "",
            a.id_number,
            a.document_country,
        )
    kind = a.subject_kind if a.subject_kind is not SubjectKind.PERSON else None
    return subjects.organisation_by_uscc(a.id_number, kind=kind, field="assertion")


def sign_out(session: Session, principal: Principal) -> None:
    if principal.session_id is None:
        return
    record = session.get(AuthSession, principal.session_id)
    if record is not None and record.ended_at is None:
        record.ended_at = clock.now()
        audit.record(
            session,
            principal.actor,
            "session.end",
            object_type="session",
            object_id=str(record.id),
            article="Art. 27",
            details={},
        )


# --- grantees (authorized third parties) -----------------------------------------------------


def add_grantee(session: Session, actor: Actor, uscc: str, name: str) -> Grantee:
    code = validate_uscc(uscc, field="uscc").normalized
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationError(msg("providers.name_length"), field="name")
    grantee = session.scalar(select(Grantee).where(Grantee.uscc == code))
    if grantee is not None:
        if grantee.name != name:
            grantee.name = name
            audit.record(
                session,
                actor,
                "grantee.update",
                object_type="grantee",
                object_id=code,
                article="Art. 22",
                details={"name": name},
            )
        return grantee
    grantee = Grantee(uscc=code, name=name, created_at=clock.now())
    session.add(grantee)
    session.flush()
    audit.record(
        session,
        actor,
        "grantee.register",
        object_type="grantee",
        object_id=code,
        article="Art. 22",
        details={"name": name},
    )
    return grantee


def get_grantee(session: Session, uscc: str) -> Grantee:
    code = validate_uscc(uscc, field="grantee").normalized
    grantee = session.scalar(select(Grantee).where(Grantee.uscc == code))
    if grantee is None:
        raise NotFound(msg("auth.no_grantee", code=code), field="grantee")
    return grantee


def create_grantee_key(session: Session, actor: Actor, grantee: Grantee, label: str) -> IssuedKey:
    return store_key(
        session,
        actor,
        GranteeKey,
        prefix=GRANTEE_KEY,
        owner={"grantee_id": grantee.id},
        label=label,
        action="grantee.key_create",
        object_type="grantee",
        object_id=grantee.uscc,
    )


def revoke_grantee_key(session: Session, actor: Actor, key_id: str) -> GranteeKey:
    key: GranteeKey = revoke_stored_key(
        session, actor, GranteeKey, key_id, action="grantee.key_revoke"
    )
    return key


# --- resolving a bearer token to a principal -------------------------------------------------

_BAD_TOKEN = "the token is missing, malformed, expired, revoked or unknown"


def principal_for_token(session: Session, token: str, *, via_cookie: bool = False) -> Principal:
    """Who a bearer token (or session cookie) belongs to; one vague error for any bad token."""
    if token.startswith(f"{PROVIDER_KEY}_"):
        provider = authenticate_provider(session, token)
        return Principal(
            ActorKind.PROVIDER,
            Actor(ActorKind.PROVIDER, provider.uscc, provider.name),
            via="api_key",
            provider_id=provider.id,
            organisation=provider.name,
        )
    if token.startswith(f"{GRANTEE_KEY}_"):
        return _grantee_principal(session, token)
    if token.startswith(f"{SESSION}_"):
        return _session_principal(session, token, via_cookie)
    raise Unauthorized(_BAD_TOKEN)


#: A third party's key with the third party, in one statement (it runs before every call).
#: Plain columns through the connection, not ORM entities: building two entities a call cost
#: more than the statement itself (issue 22).
_GRANTEE_KEY = DriverStatement(
    select(GranteeKey.secret_sha256, GranteeKey.revoked_at, Grantee.id, Grantee.uscc, Grantee.name)
    .join(Grantee, Grantee.id == GranteeKey.grantee_id)
    .where(GranteeKey.key_id == bindparam("key_id"))
)


def _grantee_principal(session: Session, token: str) -> Principal:
    parsed = parse_key(GRANTEE_KEY, token)
    found = _GRANTEE_KEY.first(session.connection(), {"key_id": parsed[0]}) if parsed else None
    if parsed is None or found is None or found[1] is not None:
        raise Unauthorized(_BAD_TOKEN)
    secret_sha256, _revoked, grantee_id, grantee_uscc, grantee_name = found
    if not same_secret(secret_sha256, parsed[1]):
        raise Unauthorized(_BAD_TOKEN)
    return Principal(
        ActorKind.GRANTEE,
        Actor(ActorKind.GRANTEE, grantee_uscc, grantee_name),
        via="api_key",
        grantee_id=grantee_id,
        organisation=grantee_name,
    )


#: A session with its subject's name, in one statement (it runs before every signed-in call).
#: Plain columns through the connection, not an ORM entity (issue 22, as ``_GRANTEE_KEY``), run
#: on the driver's cursor (``pcip.kernel.driver``).
_SESSION = DriverStatement(
    select(
        AuthSession.id,
        AuthSession.ended_at,
        AuthSession.expires_at,
        AuthSession.csrf_token,
        AuthSession.subject_id,
        AuthSession.account_id,
        Subject.name,
    )
    .outerjoin(Subject, Subject.id == AuthSession.subject_id)
    .where(AuthSession.token_sha256 == bindparam("token_sha256"))
)


def _session_principal(session: Session, token: str, via_cookie: bool) -> Principal:
    secret = session_secret(token)
    found = (
        _SESSION.first(session.connection(), {"token_sha256": secret_hash(secret)})
        if secret
        else None
    )
    if found is None:
        raise Unauthorized(_BAD_TOKEN)
    session_id, ended_at, expires_at, csrf_token, subject_id, account_id, subject_name = found
    if ended_at is not None or expires_at <= clock.now():
        raise Unauthorized(_BAD_TOKEN)
    csrf = csrf_token if via_cookie else None
    if subject_id is not None:
        assert subject_name is not None
        return Principal(
            ActorKind.SUBJECT,
            Actor(ActorKind.SUBJECT, str(subject_id), subject_name),
            via="session",
            subject_id=subject_id,
            session_id=session_id,
            csrf_token=csrf,
        )
    account = session.get(Account, account_id)
    if account is None or account.disabled_at is not None:
        raise Unauthorized(_BAD_TOKEN)
    return _account_principal(session, account, session_id, csrf)


def account_actor(session: Session, account: Account) -> Actor:
    return _account_principal(session, account, None, None).actor


def _account_principal(
    session: Session, account: Account, session_id: int | None, csrf: str | None
) -> Principal:
    role = ActorKind(account.role)
    provider = session.get(Provider, account.provider_id) if account.provider_id else None
    ref = f"{provider.uscc}/account:{account.id}" if provider else f"account:{account.id}"
    return Principal(
        role,
        Actor(role, ref, account.display_name),
        via="session",
        account_id=account.id,
        provider_id=provider.id if provider else None,
        session_id=session_id,
        organisation=provider.name if provider else _STAFF_ORG[role],
        csrf_token=csrf,
    )


#: The organisation a non-unit staff member acts for, as shown in inquiry histories.
_STAFF_ORG = {
    ActorKind.OPERATOR: "重庆市公共信用信息服务机构",
    ActorKind.DRC: "重庆市发展改革委",
}
