"""Questions about providing units that the console, the API and the CLI all ask (Art. 20)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.errors import NotFound
from pcip.kernel.messages import msg
from pcip.providers.models import Provider


def provider_names(session: Session) -> dict[int, str]:
    """Every unit's name by its id."""
    return {pid: name for pid, name in session.execute(select(Provider.id, Provider.name))}


def providers_by_name(session: Session) -> list[Provider]:
    """Every providing unit, by name."""
    return list(session.scalars(select(Provider).order_by(Provider.name)))


def provider_by_id(session: Session, provider_id: int) -> Provider:
    """The unit a signed-in staff member or API key belongs to."""
    provider = session.get(Provider, provider_id)
    if provider is None:
        raise NotFound(msg("objections.no_unit", id=provider_id), field="provider_id")
    return provider
