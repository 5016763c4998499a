"""Rejected-rows reports: what a unit downloads to fix and resubmit (Art. 20, 23).

The report has the row's original columns, so a unit can correct it in place and submit the
file again; the added ``_line`` and ``_errors`` columns are outside every item's schema and are
dropped, with a warning, on resubmission (Art. 23).
"""

from __future__ import annotations

import base64
import csv
import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.errors import NotFound
from pcip.kernel.audit.service import keyring_of
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.records.models import Batch, RejectedRow

REPORT_COLUMNS = ("_line", "_errors")
#: Associated data of encrypted rejected rows (a blob cannot be replayed elsewhere).
SEAL_CONTEXT = "rejected_row.values"


def seal_values(ring: Keyring, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Encrypt a rejected row at rest (Art. 27): it may hold ID numbers in the clear."""
    if values is None:
        return None
    key_id, blob = ring.encrypt(json.dumps(values, ensure_ascii=False), context=SEAL_CONTEXT)
    return {"sealed": key_id, "data": base64.b64encode(blob).decode()}


def open_values(ring: Keyring, stored: dict[str, Any] | None) -> dict[str, Any] | None:
    if stored is None or "sealed" not in stored:
        return stored
    raw = ring.decrypt(
        str(stored["sealed"]), base64.b64decode(stored["data"]), context=SEAL_CONTEXT
    )
    values: dict[str, Any] = json.loads(raw)
    return values


def _rows(s: Session, batch_id: int, chunk: int = 2000) -> Iterator[RejectedRow]:
    last = 0
    while True:
        rows = s.scalars(
            select(RejectedRow)
            .where(RejectedRow.batch_id == batch_id, RejectedRow.id > last)
            .order_by(RejectedRow.id)
            .limit(chunk)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        s.expunge_all()


def _describe(errors: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{e['field']}: {e['message']}" if e.get("field") else str(e["message"]) for e in errors
    )


def _columns(s: Session, batch_id: int) -> list[str]:
    ring = keyring_of(s)
    seen: dict[str, None] = {}
    for row in _rows(s, batch_id):
        for k in open_values(ring, row.values) or {}:
            seen.setdefault(k, None)
    return list(seen)


def get_batch(s: Session, batch_id: int, provider_id: int | None = None) -> Batch:
    """A batch, optionally only if it belongs to the given unit (units see only their own)."""
    batch = s.get(Batch, batch_id)
    if batch is None or (provider_id is not None and batch.provider_id != provider_id):
        raise NotFound(msg("records.no_batch", id=batch_id), field="batch_id")
    return batch


def write_rejected(s: Session, batch_id: int, out: TextIO, fmt: str = "csv") -> int:
    """Write the batch's rejected rows; returns how many. ``fmt`` is csv or jsonl."""
    n = 0
    ring = keyring_of(s)
    if fmt == "jsonl":
        for row in _rows(s, batch_id):
            doc = {
                "_line": row.line,
                "_errors": row.errors,
                **(open_values(ring, row.values) or {}),
            }
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
            n += 1
        return n
    columns = _columns(s, batch_id)
    writer = csv.writer(out)
    writer.writerow([*REPORT_COLUMNS, *(csv_cell(c) for c in columns)])
    for row in _rows(s, batch_id):
        values = open_values(ring, row.values) or {}
        writer.writerow(
            [
                row.line,
                csv_cell(_describe(row.errors)),
                *(csv_cell(values.get(c, "")) for c in columns),
            ]
        )
        n += 1
    return n


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell that a spreadsheet will not run: a text starting with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` (OWASP's advice), so
    a submitted ``=HYPERLINK(...)`` is shown as text when the unit opens its report in Excel.
    The JSONL report keeps values exactly as submitted."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
