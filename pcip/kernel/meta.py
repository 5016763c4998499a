"""Platform metadata: small key/value facts about this installation (keyring fingerprint...)."""

from __future__ import annotations

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from pcip.db import Base


class PlatformMeta(Base):
    __tablename__ = "platform_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def get_meta(session: Session, key: str) -> str | None:
    return session.scalar(select(PlatformMeta.value).where(PlatformMeta.key == key))


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(PlatformMeta, key)
    if row is None:
        session.add(PlatformMeta(key=key, value=value))
    else:
        row.value = value
