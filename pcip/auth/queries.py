"""Questions about staff accounts and authorized third parties that the doors ask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.auth.models import Account, Grantee


def accounts(session: Session) -> list[Account]:
    """Every staff account, in the order they were created."""
    return list(session.scalars(select(Account).order_by(Account.id)))


def grantees_by_name(session: Session) -> list[Grantee]:
    """Every authorized third party a subject may choose (Art. 22), by name."""
    return list(session.scalars(select(Grantee).order_by(Grantee.name)))
