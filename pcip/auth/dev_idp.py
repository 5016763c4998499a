"""The built-in development identity provider: issues real-name assertions for demos and tests.

It signs whatever identity it is asked to, after checking only that the identifier is
well-formed: it verifies nobody. It exists so the platform can be tried without a contract with
a real provider, and it says so in every response and in every token (``"development": true``).
:func:`pcip.auth.verifiers.verifier_from_settings` refuses it in production.

Its ES256 key pair lives in ``PCIP_HOME/keys/dev-idp.json`` (mode 0600) with a secret salt for
the pseudonymous ``sub``, so restarts keep the same key id and the same ``sub`` per subject.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from pcip import clock
from pcip.auth.assertions import (
    MAX_NAME_LENGTH,
    REAL_NAME_ACR,
    CheckedIdentity,
    check_identity,
)
from pcip.errors import Collect, ConfigError, ValidationError
from pcip.kernel.messages import msg

__all__ = [
    "DEV_IDP_FILE",
    "DEV_ISSUER",
    "WARNING",
    "WARNING_EN",
    "WARNING_ZH",
    "DevIdentityProvider",
    "IssuedAssertion",
]

DEV_ISSUER = "urn:pcip:development-identity-provider"
DEV_IDP_FILE = "dev-idp.json"
WARNING_EN = (
    "This is the development identity provider: it verifies nobody and must not be used in "
    "production."
)
WARNING_ZH = "这是开发用身份提供方：它不核验任何人的真实身份，不得用于生产环境。"
#: Both languages, where one text serves every reader (the API's answer, the log); a web page
#: shows the visitor's own.
WARNING = f"{WARNING_EN} {WARNING_ZH}"
_FORMAT = "pcip-dev-idp/1"
_ALG = "ES256"
_SALT_BYTES = 32


@dataclass(frozen=True)
class IssuedAssertion:
    """A signed assertion and when it stops being valid."""

    token: str
    expires_at: datetime

    def __repr__(self) -> str:
        return f"IssuedAssertion(token=<hidden>, expires_at={self.expires_at.isoformat()!r})"


def _thumbprint(public_jwk: Mapping[str, Any]) -> str:
    """RFC 7638 JWK thumbprint: a key id that follows from the key, so it is stable."""
    members = {k: public_jwk[k] for k in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode())
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _public_jwk(key: ec.EllipticCurvePrivateKey) -> dict[str, Any]:
    jwk = dict(ECAlgorithm.to_jwk(key.public_key(), as_dict=True))
    return {**jwk, "kid": _thumbprint(jwk), "alg": _ALG, "use": "sig"}


class DevIdentityProvider:
    """Signs development real-name assertions with one ES256 key."""

    def __init__(
        self, private_key: ec.EllipticCurvePrivateKey, subject_salt: bytes, path: Path | None = None
    ) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ConfigError("the development identity provider needs a P-256 key (ES256)")
        self._key = private_key
        self._salt = subject_salt
        self._public = _public_jwk(private_key)
        self.path = path

    def __repr__(self) -> str:
        return f"DevIdentityProvider(kid={self.key_id!r}, path={self.path!s})"

    @property
    def key_id(self) -> str:
        return str(self._public["kid"])

    # --- key file ----------------------------------------------------------------------------

    @classmethod
    def load_or_create(cls, keys_dir: Path) -> DevIdentityProvider:
        """Load ``keys_dir/dev-idp.json``, creating it (0600) on first use."""
        path = keys_dir / DEV_IDP_FILE
        if not path.exists():
            created = cls._create(path)
            if created is not None:
                return created
        return cls._load(path)

    @classmethod
    def _create(cls, path: Path) -> DevIdentityProvider | None:
        """Write a new key file; ``None`` if another process created one first (load that)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        provider = cls(ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(_SALT_BYTES))
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(provider._document(), fh, indent=2, ensure_ascii=False)
        try:
            # link() refuses to replace: two processes starting at once agree on one key.
            os.link(tmp, path)
        except FileExistsError:
            return None
        finally:
            tmp.unlink()
        provider.path = path
        return provider

    def _document(self) -> dict[str, Any]:
        private = dict(ECAlgorithm.to_jwk(self._key, as_dict=True))
        return {
            "format": _FORMAT,
            "warning": WARNING,
            "key": {**private, "kid": self.key_id, "alg": _ALG, "use": "sig"},
            "subject_salt": base64.b64encode(self._salt).decode(),
        }

    @classmethod
    def _load(cls, path: Path) -> DevIdentityProvider:
        try:
            doc = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ConfigError(f"key file {path} cannot be read: {exc}") from None
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ConfigError(f"key file {path} is not a development identity provider key")
        try:
            key = ECAlgorithm.from_jwk(doc["key"])
            salt = base64.b64decode(doc["subject_salt"], validate=True)
        except (KeyError, TypeError, ValueError, jwt.PyJWTError) as exc:
            raise ConfigError(
                f"key file {path} is corrupt ({exc}); delete it to create a new "
                "development key (development assertions already issued stop verifying)"
            ) from None
        if not isinstance(key, ec.EllipticCurvePrivateKey) or len(salt) != _SALT_BYTES:
            raise ConfigError(f"key file {path} is corrupt: no private key or salt")
        return cls(key, salt, path)

    # --- publishing and issuing --------------------------------------------------------------

    def jwks(self) -> dict[str, Any]:
        """The public JWKS (no private material), as a real provider publishes it."""
        return {"keys": [dict(self._public)]}

    def sign(self, claims: Mapping[str, Any], *, headers: Mapping[str, Any] | None = None) -> str:
        """Sign exactly these claims (tests and drills craft deliberately bad assertions).

        ``headers`` are added to the JWS header; a header set to ``None`` is left out.
        """
        merged = {"kid": self.key_id, "typ": "JWT", **(headers or {})}
        header = {k: v for k, v in merged.items() if v is not None}
        return jwt.encode(dict(claims), self._key, algorithm=_ALG, headers=header)

    def _pseudonym(self, identity: CheckedIdentity) -> str:
        # A keyed digest, never the number: 18-digit IDs are too few to hide behind a plain hash.
        parts = (
            identity.id_type,
            identity.document_type or "",
            identity.document_country or "",
            identity.id_number,
        )
        msg = "\x1f".join(parts).encode()
        return "dev-" + hmac.new(self._salt, msg, hashlib.sha256).hexdigest()[:32]

    def issue(
        self,
        *,
        name: str,
        id_type: str,
        id_number: str,
        subject_kind: str | None = None,
        document_type: str | None = None,
        document_country: str | None = None,
        audience: str = "pcip",
        lifetime_seconds: int = 300,
        birth_date: str | None = None,
    ) -> str:
        """Sign a real-name assertion for a well-formed identity (``ValidationError`` if not)."""
        return self.issue_with_expiry(
            name=name,
            id_type=id_type,
            id_number=id_number,
            subject_kind=subject_kind,
            document_type=document_type,
            document_country=document_country,
            audience=audience,
            lifetime_seconds=lifetime_seconds,
            birth_date=birth_date,
        ).token

    def issue_with_expiry(
        self,
        *,
        name: str,
        id_type: str,
        id_number: str,
        subject_kind: str | None = None,
        document_type: str | None = None,
        document_country: str | None = None,
        audience: str = "pcip",
        lifetime_seconds: int = 300,
        birth_date: str | None = None,
    ) -> IssuedAssertion:
        """As :meth:`issue`, also returning the expiry (the HTTP endpoint reports it)."""
        if lifetime_seconds <= 0:
            raise ValidationError("lifetime must be positive", field="lifetime_seconds")
        # Issue 19.8: the name and the identifier are both checked before either is refused.
        problems = Collect()
        clean_name = ""
        with problems:
            clean_name = _check_name(name)
        # A real provider only asserts identities it verified; this one at least refuses
        # identifiers that could not belong to anyone.
        with problems:
            identity = check_identity(
                id_type=id_type,
                id_number=id_number,
                subject_kind=subject_kind,
                document_type=document_type,
                document_country=document_country,
                today=clock.today(),
            )
        problems.raise_any()
        issued_at = clock.now().replace(microsecond=0)
        expires_at = issued_at + timedelta(seconds=lifetime_seconds)
        claims = {
            "iss": DEV_ISSUER,
            "aud": audience,
            "sub": self._pseudonym(identity),
            "jti": secrets.token_urlsafe(16),
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
            "acr": REAL_NAME_ACR,
            "name": clean_name,
            "subject_kind": identity.subject_kind.value,
            "id_type": identity.id_type,
            "id_number": identity.id_number,
            "development": True,
        }
        if identity.document_type is not None:
            claims["doc_type"] = identity.document_type
        if identity.document_country is not None:
            claims["doc_country"] = identity.document_country
        if birth_date:
            claims["birthdate"] = birth_date  # OIDC standard claim, YYYY-MM-DD (Art. 3)
        return IssuedAssertion(self.sign(claims), expires_at)


def _check_name(name: str) -> str:
    text = name.strip()
    if not text:
        raise ValidationError(msg("auth.name_required"), field="name")
    if len(text) > MAX_NAME_LENGTH:
        raise ValidationError(msg("auth.name_too_long", n=MAX_NAME_LENGTH), field="name")
    return text
