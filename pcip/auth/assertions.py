"""Real-name identity assertions: signed JWTs from an identity provider, checked against its JWKS.

A credit subject signs in (Art. 22 self inquiry) by presenting an assertion that a configured
identity provider (IdP) signed after verifying the person's or organisation's real identity.
The platform never sees a password for subjects: it trusts the provider's signature, checked
against the keys the provider publishes (its JWKS), and nothing else.

Claims contract (every assertion, whatever the provider):

* ``iss`` (required): the provider; must equal the configured issuer.
* ``aud`` (required): a string or a list of strings; must include this platform's audience.
* ``sub`` (required): the provider's stable, pseudonymous id for the subject.
* ``jti`` (required): a unique token id (callers use it to refuse replays).
* ``iat``, ``exp`` (required), ``nbf`` (optional): NumericDates. ``iat`` is not in the
  future, ``exp - iat`` is at most ``max_lifetime_seconds`` (600 by default).
* ``acr`` (required): must be ``"real_name"``: the provider verified the real identity.
* ``name`` (required): the subject's real name.
* ``id_type`` (required): ``citizen_id``, ``document`` or ``uscc``.
* ``id_number`` (required): the identifier, checked and normalised by :mod:`pcip.identity`.
* ``doc_type``, ``doc_country`` (documents only): a :class:`pcip.identity.DocumentType` value
  (``passport``, ...) and the ISO 3166-1 alpha-3 issuing country (``GBR``), which
  :func:`pcip.identity.validate_document` requires for passports and foreign permanent
  residence IDs.
* ``subject_kind`` (optional): ``person`` for citizen IDs and documents; ``legal_person``
  (the default) or ``organisation`` for USCCs.
* ``development`` (optional): ``true`` only from the built-in development provider; refused
  by a verifier configured for a real provider.

Signatures: RS256, ES256 or EdDSA only; ``none`` and HMAC (HS*) are refused, since an HMAC key
would have to be shared with the platform and a published "key" would let anyone sign. The key
is chosen by the header's ``kid``. Times are checked against :func:`pcip.clock.now`, not the
wall clock, so ``PCIP_NOW`` drills behave like production. Every refusal is
:class:`pcip.errors.Unauthorized` with ``field="assertion"`` and a message naming what is wrong;
no message or ``repr`` contains the identifier (Art. 39).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jwt

from pcip import clock
from pcip.errors import ConfigError, Unauthorized, ValidationError
from pcip.identity import (
    mask_citizen_id,
    mask_document_number,
    mask_name,
    validate_citizen_id,
    validate_document,
    validate_uscc,
)
from pcip.kernel.enums import SubjectKind
from pcip.kernel.messages import msg

__all__ = [
    "ALLOWED_ALGORITHMS",
    "ID_TYPES",
    "MAX_NAME_LENGTH",
    "REAL_NAME_ACR",
    "REQUIRED_CLAIMS",
    "AssertionVerifier",
    "CheckedIdentity",
    "KeyLookup",
    "KeySource",
    "RealNameAssertion",
    "check_identity",
]

ALLOWED_ALGORITHMS = ("RS256", "ES256", "EdDSA")
REAL_NAME_ACR = "real_name"
REQUIRED_CLAIMS = ("iss", "aud", "sub", "jti", "iat", "exp", "acr", "name", "id_type", "id_number")
ID_TYPES = ("citizen_id", "document", "uscc")
MAX_NAME_LENGTH = 200
FIELD = "assertion"

#: Returns the provider's key for a ``kid``; raises ``KeyError`` or a PyJWT error if unknown.
KeyLookup = Callable[[str], jwt.PyJWK]
KeySource = jwt.PyJWKSet | KeyLookup

_PERSON_ID_TYPES = frozenset({"citizen_id", "document"})
_ORGANISATION_KINDS = frozenset({SubjectKind.LEGAL_PERSON, SubjectKind.ORGANISATION})
# Claim names as the verifier reports them, for the fields check_identity names.
_CLAIM_OF_FIELD = {
    "id_type": "id_type",
    "id_number": "id_number",
    "subject_kind": "subject_kind",
    "document_type": "doc_type",
    "document_country": "doc_country",
    "name": "name",
}
_REDACTED = "[id_number]"


# --- identity claims (shared with the development provider) ----------------------------------


@dataclass(frozen=True)
class CheckedIdentity:
    """An identifier that passed :mod:`pcip.identity` validation, normalised."""

    subject_kind: SubjectKind
    id_type: str
    id_number: str
    document_type: str | None
    document_country: str | None

    def __repr__(self) -> str:
        return f"CheckedIdentity(id_type={self.id_type!r}, id_number=<hidden>)"


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _redact(message: str, number: str) -> str:
    """Some validator reasons quote the value (document numbers): never echo the identifier."""
    for variant in {number, number.strip(), number.strip().upper()}:
        if variant:
            message = message.replace(repr(variant), _REDACTED)
        # Unquoted, only long values: a 1-3 character value would match ordinary words.
        if len(variant) >= 4:
            message = message.replace(variant, _REDACTED)
    return message


def _subject_kind(id_type: str, requested: str | None) -> SubjectKind:
    try:
        kind = SubjectKind(requested) if requested else None
    except ValueError:
        allowed = ", ".join(k.value for k in SubjectKind)
        raise ValidationError(
            msg("auth.unknown_subject_kind", value=repr(str(requested)[:40]), allowed=allowed),
            field="subject_kind",
        ) from None
    if id_type in _PERSON_ID_TYPES:
        if kind not in (None, SubjectKind.PERSON):
            raise ValidationError(
                msg("auth.person_id_type", id_type=id_type, kind=kind),
                field="subject_kind",
            )
        return SubjectKind.PERSON
    if kind is None:
        return SubjectKind.LEGAL_PERSON
    if kind not in _ORGANISATION_KINDS:
        raise ValidationError(
            msg("auth.uscc_not_person"),
            field="subject_kind",
        )
    return kind


def _number(
    id_type: str, number: str, doc_type: str | None, doc_country: str | None, today: date
) -> tuple[str, str | None, str | None]:
    if id_type == "citizen_id":
        return validate_citizen_id(number, today=today, field="id_number").normalized, None, None
    if id_type == "uscc":
        return validate_uscc(number, field="id_number").normalized, None, None
    if doc_type is None or _blank(doc_type):
        raise ValidationError(msg("auth.document_type_needed"), field="document_type")
    try:
        doc = validate_document(doc_type, number, doc_country)
    except ValidationError as exc:
        # validate_document names its own fields; report them under this contract's names.
        renamed = {"document_number": "id_number", "issuing_country": "document_country"}
        field = renamed.get(exc.field or "", exc.field)
        raise ValidationError(exc.message, field=field) from None
    return doc.number, doc.document_type.value, doc.issuing_country


def check_identity(
    *,
    id_type: str,
    id_number: str,
    subject_kind: str | None = None,
    document_type: str | None = None,
    document_country: str | None = None,
    today: date,
) -> CheckedIdentity:
    """Validate and normalise an asserted identity (Art. 19 identifiers).

    Raises :class:`ValidationError` with field ``id_type``, ``id_number``, ``subject_kind``,
    ``document_type`` or ``document_country``; messages never quote the number.
    """
    if id_type not in ID_TYPES:
        raise ValidationError(
            msg("auth.unknown_id_type", value=repr(id_type[:40]), allowed=list(ID_TYPES)),
            field="id_type",
        )
    if id_type != "document" and not (_blank(document_type) and _blank(document_country)):
        # An assertion that mixes identifier kinds is ambiguous: refuse rather than guess.
        raise ValidationError(
            msg("auth.document_fields_only", id_type=id_type),
            field="document_type",
        )
    kind = _subject_kind(id_type, subject_kind)
    try:
        number, doc_type, doc_country = _number(
            id_type, id_number, document_type, document_country, today
        )
    except ValidationError as exc:
        raise ValidationError(_redact(exc.message, id_number), field=exc.field) from None
    return CheckedIdentity(kind, id_type, number, doc_type, doc_country)


# --- the verified assertion ---------------------------------------------------------------------


def _mask_number(id_type: str, number: str) -> str:
    return mask_citizen_id(number) if id_type == "citizen_id" else mask_document_number(number)


@dataclass(frozen=True)
class RealNameAssertion:
    """What a verified assertion says: who the provider vouches for, and until when."""

    issuer: str
    token_id: str
    idp_subject: str
    name: str
    subject_kind: SubjectKind
    id_type: str
    id_number: str
    document_type: str | None
    document_country: str | None
    issued_at: datetime
    expires_at: datetime
    development: bool
    #: The person's birth date where the provider asserts it (OIDC claim ``birthdate``,
    #: YYYY-MM-DD): Art. 3 needs it for persons identified by a document other than a
    #: citizen ID, whose number carries none.
    birth_date: date | None = None

    def __repr__(self) -> str:
        # Reprs end up in logs and tracebacks: identifiers and names only ever appear masked.
        return (
            f"RealNameAssertion(issuer={self.issuer!r}, token_id={self.token_id!r}, "
            f"subject_kind={self.subject_kind.value!r}, id_type={self.id_type!r}, "
            f"id_number={_mask_number(self.id_type, self.id_number)!r}, "
            f"name={mask_name(self.name)!r}, expires_at={self.expires_at.isoformat()!r}, "
            f"development={self.development!r})"
        )

    __str__ = __repr__


# --- verification -----------------------------------------------------------------------------


def _refuse(message: str) -> Unauthorized:
    return Unauthorized(message, field=FIELD)


def _when(moment: datetime) -> str:
    return moment.astimezone(clock.CST).isoformat(timespec="seconds")


def _header(token: str) -> dict[str, Any]:
    if not isinstance(token, str) or not token.strip():
        raise _refuse("assertion is malformed: it is empty")
    try:
        return jwt.get_unverified_header(token.strip())
    except jwt.DecodeError as exc:
        raise _refuse(f"assertion is malformed: {exc}") from None


def _algorithm(header: Mapping[str, Any]) -> str:
    alg = header.get("alg")
    if not isinstance(alg, str) or alg not in ALLOWED_ALGORITHMS:
        shown = alg[:20] if isinstance(alg, str) else alg
        raise _refuse(
            f"assertion is signed with algorithm {shown!r}, which is not allowed "
            f"(allowed: {', '.join(ALLOWED_ALGORITHMS)})"
        )
    return alg


def _key_id(header: Mapping[str, Any]) -> str:
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise _refuse("assertion header has no key id ('kid')")
    return kid


def _numeric_date(payload: Mapping[str, Any], claim: str) -> datetime:
    value = payload[claim]
    # bool is an int subclass: "exp": true is not a date.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _refuse(f"assertion claim {claim!r} must be a NumericDate (seconds since 1970)")
    try:
        return datetime.fromtimestamp(value, clock.CST)
    except (OverflowError, OSError, ValueError):
        raise _refuse(f"assertion claim {claim!r} is out of range") from None


def _text_claim(payload: Mapping[str, Any], claim: str) -> str:
    value = payload[claim]
    if not isinstance(value, str) or not value.strip():
        raise _refuse(f"assertion claim {claim!r} must be a non-empty string")
    return value.strip()


def _optional_text(payload: Mapping[str, Any], claim: str) -> str | None:
    value = payload.get(claim)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _refuse(f"assertion claim {claim!r} must be a string")
    return value


class AssertionVerifier:
    """Verifies assertions from one identity provider (one issuer, one key source)."""

    def __init__(
        self,
        keys: KeySource,
        *,
        issuer: str,
        audience: str,
        development: bool = False,
        max_lifetime_seconds: int = 600,
        leeway_seconds: int = 30,
    ) -> None:
        if not issuer:
            raise ConfigError("an assertion verifier needs the provider's issuer", field="issuer")
        if not audience:
            raise ConfigError("an assertion verifier needs this platform's audience")
        self._keys = keys
        self.issuer = issuer
        self.audience = audience
        self.development = development
        self.max_lifetime_seconds = max_lifetime_seconds
        self.leeway_seconds = leeway_seconds

    def __repr__(self) -> str:
        return (
            f"AssertionVerifier(issuer={self.issuer!r}, audience={self.audience!r}, "
            f"development={self.development!r})"
        )

    def verify(self, token: str) -> RealNameAssertion:
        """Check signature, issuer, audience, validity and identity; return what it asserts."""
        payload = self._decode(token)
        self._check_required(payload)
        self._check_issuer_and_audience(payload)
        issued_at, expires_at = self._check_times(payload)
        self._check_real_name(payload)
        identity = self._identity(payload)
        return RealNameAssertion(
            issuer=self.issuer,
            token_id=_text_claim(payload, "jti"),
            idp_subject=_text_claim(payload, "sub"),
            name=self._name(payload),
            subject_kind=identity.subject_kind,
            id_type=identity.id_type,
            id_number=identity.id_number,
            document_type=identity.document_type,
            document_country=identity.document_country,
            issued_at=issued_at,
            expires_at=expires_at,
            development=self.development,
            birth_date=self._birth_date(payload),
        )

    @staticmethod
    def _birth_date(payload: Mapping[str, Any]) -> date | None:
        text = _optional_text(payload, "birthdate")
        if text is None:
            return None
        try:
            born = date.fromisoformat(text)
        except ValueError:
            raise _refuse("assertion claim 'birthdate' is not a date (YYYY-MM-DD)") from None
        if born > clock.today():
            raise _refuse("assertion claim 'birthdate' is in the future")
        return born

    # --- signature -----------------------------------------------------------------------------

    def _signing_key(self, kid: str) -> jwt.PyJWK:
        try:
            return self._keys[kid] if isinstance(self._keys, jwt.PyJWKSet) else self._keys(kid)
        except jwt.PyJWKClientConnectionError as exc:
            raise _refuse(f"the identity provider's keys cannot be fetched: {exc}") from None
        except jwt.PyJWKSetError as exc:
            raise _refuse(f"the identity provider's published keys are unusable: {exc}") from None
        except (KeyError, jwt.PyJWTError):
            raise _refuse(
                f"assertion is signed with key id {kid[:64]!r}, which is not among the "
                "identity provider's published keys"
            ) from None

    def _decode(self, token: str) -> dict[str, Any]:
        header = _header(token)
        alg = _algorithm(header)
        kid = _key_id(header)
        key = self._signing_key(kid)
        if key.algorithm_name != alg:
            # Algorithm confusion: the key, not the token, decides how it may be used.
            raise _refuse(
                f"assertion is signed with {alg} but key {kid[:64]!r} is a {key.algorithm_name} key"
            )
        try:
            payload: dict[str, Any] = jwt.decode(
                token.strip(),
                key,
                algorithms=[alg],
                options={
                    # Times are checked against pcip.clock, issuer and audience below with
                    # precise messages; PyJWT checks only the signature (and key size).
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_iss": False,
                    "verify_aud": False,
                    "verify_sub": False,
                    "verify_jti": False,
                    "enforce_minimum_key_length": True,
                },
            )
        except jwt.InvalidSignatureError:
            raise _refuse(
                f"assertion signature does not verify with the identity provider's key {kid!r}"
            ) from None
        except jwt.InvalidKeyError as exc:
            raise _refuse(f"the identity provider's key {kid!r} is not acceptable: {exc}") from None
        except jwt.PyJWTError as exc:
            raise _refuse(f"assertion is malformed: {exc}") from None
        return payload

    # --- claims --------------------------------------------------------------------------------

    @staticmethod
    def _check_required(payload: Mapping[str, Any]) -> None:
        for claim in REQUIRED_CLAIMS:
            if payload.get(claim) is None:
                raise _refuse(f"assertion is missing the required claim {claim!r}")

    def _check_issuer_and_audience(self, payload: Mapping[str, Any]) -> None:
        issuer = payload["iss"]
        if issuer != self.issuer:
            shown = issuer[:100] if isinstance(issuer, str) else issuer
            raise _refuse(
                f"assertion issuer {shown!r} is not the configured identity provider "
                f"{self.issuer!r}"
            )
        audience = payload["aud"]
        audiences = [audience] if isinstance(audience, str) else audience
        if not isinstance(audiences, list) or not all(isinstance(a, str) for a in audiences):
            raise _refuse("assertion claim 'aud' must be a string or a list of strings")
        if self.audience not in audiences:
            raise _refuse(
                f"assertion audience {json.dumps(audiences)[:200]} does not include this "
                f"platform ({self.audience!r})"
            )

    def _check_times(self, payload: Mapping[str, Any]) -> tuple[datetime, datetime]:
        issued_at = _numeric_date(payload, "iat")
        expires_at = _numeric_date(payload, "exp")
        lifetime = (expires_at - issued_at).total_seconds()
        if lifetime <= 0:
            raise _refuse(
                f"assertion expires ({_when(expires_at)}) before it was issued ({_when(issued_at)})"
            )
        if lifetime > self.max_lifetime_seconds:
            raise _refuse(
                f"assertion is valid for {lifetime:.0f} seconds, more than the "
                f"{self.max_lifetime_seconds} allowed: ask the provider for a fresh one"
            )
        now = clock.now()
        leeway = float(self.leeway_seconds)
        if (issued_at - now).total_seconds() > leeway:
            raise _refuse(
                f"assertion was issued in the future ({_when(issued_at)}, now {_when(now)})"
            )
        if "nbf" in payload:
            not_before = _numeric_date(payload, "nbf")
            if (not_before - now).total_seconds() > leeway:
                raise _refuse(
                    f"assertion is not valid before {_when(not_before)} (now {_when(now)})"
                )
        if (now - expires_at).total_seconds() >= leeway:
            raise _refuse(f"assertion expired at {_when(expires_at)} (now {_when(now)})")
        return issued_at, expires_at

    def _check_real_name(self, payload: Mapping[str, Any]) -> None:
        acr = payload["acr"]
        if acr != REAL_NAME_ACR:
            shown = acr[:40] if isinstance(acr, str) else acr
            raise _refuse(
                f"assertion acr is {shown!r}, expected {REAL_NAME_ACR!r}: the provider did not "
                "verify the subject's real identity"
            )
        if payload.get("development") is True and not self.development:
            # A production provider never says this; if one does, it is not a real-name check.
            raise _refuse("assertion says it comes from a development identity provider")

    @staticmethod
    def _name(payload: Mapping[str, Any]) -> str:
        name = _text_claim(payload, "name")
        if len(name) > MAX_NAME_LENGTH:
            raise _refuse(f"assertion claim 'name' is longer than {MAX_NAME_LENGTH} characters")
        return name

    @staticmethod
    def _identity(payload: Mapping[str, Any]) -> CheckedIdentity:
        id_type = _text_claim(payload, "id_type")
        id_number = _text_claim(payload, "id_number")
        try:
            return check_identity(
                id_type=id_type,
                id_number=id_number,
                subject_kind=_optional_text(payload, "subject_kind"),
                document_type=_optional_text(payload, "doc_type"),
                document_country=_optional_text(payload, "doc_country"),
                today=clock.today(),
            )
        except ValidationError as exc:
            claim = _CLAIM_OF_FIELD.get(exc.field or "", "id_number")
            raise _refuse(f"assertion claim {claim!r} is invalid: {exc.message}") from None
