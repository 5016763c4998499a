"""What one batch carries while its rows are applied (Art. 20-23): the context of the chunk
being written, the tally of outcomes, and the row errors kept for the ledger.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import ItemSpec
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Message
from pcip.providers.models import Provider
from pcip.records.layouts import Columns
from pcip.records.reports import seal_values
from pcip.records.store import BulkStore

#: The summary lists at most this many row errors; every rejected row is kept in the ledger.
MAX_LISTED_ERRORS = 1000


@dataclass(frozen=True)
class RowError:
    line: int
    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "code": self.code, "message": self.message}

    def kept(self) -> dict[str, Any]:
        """What the ledger keeps of it: the reason, and its code and parameters when it is a
        coded message (``pcip.kernel.messages``), so the console shows it in either language."""
        out: dict[str, Any] = {"field": self.field, "code": self.code, "message": self.message}
        if isinstance(self.message, Message):
            out["reason"] = self.message.as_json()
        return out


class _Tally:
    """Counters of one batch, kept outside the ORM so chunks can be expunged."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.columns: Columns | None = None
        self.errors: list[RowError] = []
        self.rejected = 0
        self.duplicates = 0
        self.links = 0
        self.subjects_created = 0
        self.subjects_renamed = 0

    def reject(
        self,
        ctx: _Context,
        line: int,
        values: dict[str, Any] | None,
        problems: list[RowError],
    ) -> None:
        self.rejected += 1
        room = MAX_LISTED_ERRORS - len(self.errors)
        self.errors.extend(problems[: max(room, 0)])
        ctx.rejected.append(
            (
                ctx.batch_id,
                line,
                seal_values(ctx.ring, values),
                [p.kept() for p in problems],
            )
        )


@dataclass
class _Context:
    s: Session
    ring: Keyring
    spec: ItemSpec
    item: CatalogItem
    provider: Provider
    batch_id: int
    today: date
    source: str
    store: BulkStore
    #: Rejected rows of the current chunk, written with the chunk's other rows.
    rejected: list[tuple[int, int, dict[str, Any] | None, list[dict[str, Any]]]] = field(
        default_factory=list
    )


@dataclass
class _Subject:
    """What a chunk needs of a subject: its id, kind and current name."""

    id: int
    kind: str
    name: str
