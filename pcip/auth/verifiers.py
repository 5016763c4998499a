"""The choice of the real-name assertion verifier, made from the settings (Art. 39).

``assertions`` verifies a signed assertion against whatever keys it is given; ``dev_idp`` is
the built-in development provider, which uses ``assertions`` to check what it signs. Which one
the platform trusts is decided here, above both, from ``PCIP_IDP_*``: the configured provider's
published keys (a JWKS file or URL), or, outside production only, the development provider's.
The API and the web sign-in take their verifier from ``verifier_from_settings``.
"""

from __future__ import annotations

import json

import jwt

from pcip.auth.assertions import AssertionVerifier, KeyLookup, KeySource
from pcip.auth.dev_idp import DEV_ISSUER, DevIdentityProvider
from pcip.config import Settings
from pcip.errors import ConfigError

__all__ = ["DEV_IDP_IN_PRODUCTION", "verifier_from_settings"]


DEV_IDP_IN_PRODUCTION = (
    "PCIP_IDP_JWKS_URL or PCIP_IDP_JWKS_FILE must be set in production: the development "
    "identity provider is not a real-name verification"
)


def _jwks_from_file(settings: Settings) -> jwt.PyJWKSet:
    path = settings.idp_jwks_file
    assert path is not None
    try:
        doc = json.loads(path.read_text())
    except FileNotFoundError:
        raise ConfigError(f"PCIP_IDP_JWKS_FILE: {path} does not exist") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"PCIP_IDP_JWKS_FILE: {path} is not a readable JSON file: {exc}"
        ) from None
    if not isinstance(doc, dict):
        raise ConfigError(f"PCIP_IDP_JWKS_FILE: {path} is not a JWKS (a JSON object with 'keys')")
    try:
        return jwt.PyJWKSet.from_dict(doc)
    except jwt.PyJWTError as exc:
        raise ConfigError(f"PCIP_IDP_JWKS_FILE: {path} has no usable keys: {exc}") from None


def _jwks_client(settings: Settings) -> KeyLookup:
    url = settings.idp_jwks_url
    if settings.environment == "production" and not url.lower().startswith("https://"):
        # Keys fetched over plain HTTP could be swapped in transit: anyone could sign.
        raise ConfigError("PCIP_IDP_JWKS_URL must be an https:// URL in production")
    try:
        client = jwt.PyJWKClient(url, cache_keys=True, lifespan=300)
    except jwt.PyJWTError as exc:
        raise ConfigError(f"PCIP_IDP_JWKS_URL is invalid: {exc}") from None
    return client.get_signing_key


def _development_verifier(settings: Settings) -> AssertionVerifier:
    provider = DevIdentityProvider.load_or_create(settings.keys_dir)
    keys = jwt.PyJWKSet.from_dict(provider.jwks())
    return AssertionVerifier(
        keys, issuer=DEV_ISSUER, audience=settings.idp_audience, development=True
    )


def verifier_from_settings(settings: Settings) -> AssertionVerifier:
    """The verifier for the configured provider (``PCIP_IDP_*``), or the development one."""
    if settings.uses_dev_idp:
        if settings.environment == "production":
            raise ConfigError(DEV_IDP_IN_PRODUCTION)
        return _development_verifier(settings)
    if settings.idp_jwks_url and settings.idp_jwks_file:
        raise ConfigError("set only one of PCIP_IDP_JWKS_URL and PCIP_IDP_JWKS_FILE")
    if not settings.idp_issuer:
        raise ConfigError(
            "PCIP_IDP_ISSUER must be set to the identity provider's issuer ('iss') "
            "when PCIP_IDP_JWKS_URL or PCIP_IDP_JWKS_FILE is set"
        )
    keys: KeySource = (
        _jwks_from_file(settings) if settings.idp_jwks_file else _jwks_client(settings)
    )
    return AssertionVerifier(keys, issuer=settings.idp_issuer, audience=settings.idp_audience)
