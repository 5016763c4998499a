"""HTTP face of the development identity provider: its published keys and an issuing endpoint.

Mounted only when no real provider is configured (``PCIP_IDP_JWKS_URL``/``_FILE`` unset), so
demos can sign in without one. Every response carries :data:`pcip.auth.dev_idp.WARNING`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from fastapi import Request
from pydantic import BaseModel, Field

from pcip.auth.dev_idp import DEV_ISSUER, WARNING, DevIdentityProvider
from pcip.config import Settings, get_settings
from pcip.doors.api_common import ERROR_RESPONSES, Router
from pcip.errors import ConfigError

router = Router(
    prefix="/dev-idp", tags=["development identity provider"], responses=ERROR_RESPONSES
)


class AssertionRequest(BaseModel):
    """Who the development provider should vouch for (it checks only the identifier's form)."""

    name: str = Field(min_length=1, max_length=200, examples=["张三"])
    id_type: Literal["citizen_id", "document", "uscc"]
    id_number: str = Field(min_length=1, max_length=64)
    subject_kind: Literal["person", "legal_person", "organisation"] | None = None
    document_type: str | None = Field(default=None, max_length=64, examples=["passport"])
    document_country: str | None = Field(default=None, max_length=8, examples=["GBR"])
    #: Asserted as the OIDC ``birthdate`` claim: persons identified by a document other than
    #: a citizen ID (Art. 3: minors).
    birth_date: date | None = None

    model_config = {
        "json_schema_extra": {
            "examples": [
                # Synthetic identifiers with valid check characters; they belong to nobody.
                {"name": "张三", "id_type": "citizen_id", "id_number": "500242196601130733"},
                {
                    "name": "John Smith",
                    "id_type": "document",
                    "id_number": "123456789",
                    "document_type": "passport",
                    "document_country": "GBR",
                },
                {
                    "name": "重庆某某商贸有限公司",
                    "id_type": "uscc",
                    "id_number": "91421123MAJK20R88L",
                    "subject_kind": "legal_person",
                },
            ]
        }
    }


class AssertionOut(BaseModel):
    assertion: str
    issuer: str
    expires_at: datetime
    warning: str


def _settings(request: Request) -> Settings:
    platform = getattr(request.app.state, "platform", None)
    settings = getattr(platform, "settings", None)
    return settings if isinstance(settings, Settings) else get_settings()


def _provider(request: Request) -> DevIdentityProvider:
    """The provider, loaded once per application (its key file is read from disk)."""
    settings = _settings(request)
    if settings.environment == "production":
        # Defence in depth: the router should not be mounted in production at all.
        raise ConfigError("the development identity provider is disabled in production")
    state = request.app.state
    provider = getattr(state, "dev_idp", None)
    if not isinstance(provider, DevIdentityProvider):
        provider = DevIdentityProvider.load_or_create(settings.keys_dir)
        state.dev_idp = provider
    return provider


@router.get("/jwks.json", summary="Public keys of the development identity provider")
def jwks(request: Request) -> dict[str, Any]:
    """The JWKS a verifier fetches to check development assertions (public keys only)."""
    return _provider(request).jwks()


@router.post(
    "/assertions",
    response_model=AssertionOut,
    summary="Issue a development real-name assertion (verifies nobody)",
)
def issue_assertion(body: AssertionRequest, request: Request) -> AssertionOut:
    """Sign an assertion for a well-formed identifier. For demos and tests only."""
    issued = _provider(request).issue_with_expiry(
        name=body.name,
        id_type=body.id_type,
        id_number=body.id_number,
        subject_kind=body.subject_kind,
        document_type=body.document_type,
        document_country=body.document_country,
        audience=_settings(request).idp_audience,
        birth_date=body.birth_date.isoformat() if body.birth_date else None,
    )
    return AssertionOut(
        assertion=issued.token, issuer=DEV_ISSUER, expires_at=issued.expires_at, warning=WARNING
    )
