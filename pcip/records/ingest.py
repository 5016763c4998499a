"""Ingestion: a providing unit's submission becomes a batch in the ledger (Art. 16, 19-23).

One pipeline serves every door (CLI file, API JSON batch, later the console upload):

1. gatekeeping, in its own transaction so the ledger keeps it: the item must be in a catalog in
   force (Art. 16; otherwise the batch is *quarantined* and nothing of it is stored) and the unit
   must be registered for it (Art. 20; otherwise *refused*);
2. the rows, streamed in chunks inside ONE transaction: each row is validated against the item's
   field schema and interpreted by field roles (`interpret`); subjects, basis documents and
   records are resolved with set-based queries per chunk; accepted rows become records or new
   versions; rejected rows are kept with their line, field and reason. Outcomes are decided
   here, in Python; ``pcip.records.store`` reads and writes them in bulk (on PostgreSQL with
   COPY, on a writer thread, while the next chunk is checked: docs/performance.md);
3. the ledger entry is closed with its counts and one audit event, in the same transaction.

A file that cannot be read to the end (a mixed encoding, a cut quoted field) fails as a whole:
the transaction rolls back, so nothing of it is half-applied, and a `failed` ledger entry
records what happened.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import ItemSpec
from pcip.catalog.service import item_in_force, item_spec
from pcip.db import is_postgres
from pcip.errors import Forbidden, NotFound, PcipError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform
from pcip.kernel.text import bad_text as _bad_text
from pcip.providers.models import Provider
from pcip.providers.service import get_provider, provider_items
from pcip.records.ingest_records import decide_records, find_basis, write_basis, write_records
from pcip.records.ingest_state import RowError, _Context, _Tally
from pcip.records.ingest_subjects import find_subjects, write_subjects
from pcip.records.interpret import Interpreted, RowProblem, interpret
from pcip.records.layouts import Columns
from pcip.records.models import (
    Batch,
    RejectedRow,
)
from pcip.records.readers import FileProblem, Row, detect_format, open_rows, sha256_file
from pcip.records.service import open_batch
from pcip.records.store import bulk_store

#: Rows interpreted and written together: each chunk costs a fixed number of statements.
CHUNK_ROWS = 5000
#: Chunks between two collections of young objects (``_collected_per_chunk``).
_CHUNKS_PER_COLLECTION = 4
# Constant naming the PostgreSQL advisory lock that applies batches one at a time (see _lock).
_INGEST_LOCK = 0x70C1_1A6E


@dataclass(frozen=True)
class Source:
    """Where a submission came from (Art. 20 provenance)."""

    channel: str  # cli, api, console
    name: str | None = None
    sha256: str | None = None
    format: str | None = None
    size: int | None = None


@dataclass
class IngestSummary:
    batch_id: int | None
    status: str
    item: str
    provider: str
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "status": self.status,
            "item": self.item,
            "provider": self.provider,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "warnings": self.warnings,
            "errors": [e.as_dict() for e in self.errors],
        }

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


# --- gatekeeping -----------------------------------------------------------------------------


def _ledger_only(
    platform: Platform,
    actor: Actor,
    provider: Provider,
    item_code: str,
    source: Source,
    status: str,
    error: str,
    article: str,
) -> int:
    """Record a batch that stores nothing (quarantined, refused, failed), with its audit."""
    with platform.transaction() as s:
        batch = open_batch(
            s,
            provider,
            item_code[:64],
            submitted_by=str(actor),
            channel=source.channel,
            source_name=source.name,
            source_sha256=source.sha256,
            source_format=source.format,
        )
        batch.status, batch.error, batch.finished_at = status, error, clock.now()
        audit.record(
            s,
            actor,
            f"batch.{status}",
            object_type="batch",
            object_id=batch.id,
            article=article,
            details={
                "item": item_code[:64],
                "provider": provider.uscc,
                "source_sha256": source.sha256,
                "error": error,
            },
        )
        return batch.id


def _gate(
    platform: Platform, actor: Actor, provider_uscc: str, item_code: str, source: Source
) -> tuple[Provider, CatalogItem]:
    """Check the item and the unit's registration; ledger a refusal in its own transaction."""
    with platform.transaction() as s:
        provider = get_provider(s, provider_uscc)
        s.expunge(provider)
        try:
            item: CatalogItem | None = item_in_force(s, item_code)
        except NotFound as exc:
            item, unknown = None, exc
        allowed = item is not None and item_code in provider_items(s, provider)
        if item is not None:
            s.expunge(item)
    if item is not None and allowed:
        return provider, item
    if item is not None:
        message = msg(
            "records.unit_not_registered", unit=provider.name, uscc=provider.uscc, item=item_code
        )
        batch_id = _ledger_only(
            platform, actor, provider, item_code, source, "refused", message, "Art. 20"
        )
        raise Forbidden(msg("records.batch_refused", reason=message, id=batch_id), field="item")
    # Art. 16: no record of an uncatalogued item is stored, not even in a holding area; the
    # ledger keeps who sent what (file hash) so the unit can be told and the case followed up.
    batch_id = _ledger_only(
        platform, actor, provider, item_code, source, "quarantined", unknown.message, "Art. 16"
    )
    raise NotFound(
        msg("records.batch_quarantined", reason=unknown.message, id=batch_id), field="item"
    )


# --- the pipeline ----------------------------------------------------------------------------


def ingest(
    platform: Platform,
    actor: Actor,
    *,
    provider_uscc: str,
    item_code: str,
    rows: Iterable[Row] | Callable[[], Iterable[Row]],
    source: Source,
    on_chunk: Callable[[int], None] | None = None,
    header: list[tuple[str, ...]] | None = None,
) -> IngestSummary:
    """Apply one submission. Raises PcipError for a batch-level refusal (after ledgering it).

    ``rows`` may be a callable that opens them, so that a file which cannot even be opened
    (unreadable header, unknown encoding) is ledgered as a failed batch like any other.
    ``header``: filled by that callable with the file's column names, so that a column with no
    value in any row (XLSX omits empty cells) is still reported.
    """
    started = time.perf_counter()
    provider, item = _gate(platform, actor, provider_uscc, item_code, source)
    spec = item_spec(item)
    tally = _Tally()
    tally.columns = Columns(spec)
    try:
        with platform.transaction() as s:
            _lock(s)
            batch = open_batch(
                s,
                provider,
                item.code,
                submitted_by=str(actor),
                channel=source.channel,
                source_name=source.name,
                source_sha256=source.sha256,
                source_format=source.format,
            )
            batch_id = batch.id
            store = bulk_store(s)
            ctx = _Context(
                s,
                platform.keyring,
                spec,
                item,
                provider,
                batch_id,
                clock.today(),
                f"provider:{provider.uscc}",
                store,
            )
            total = 0
            try:
                with _collected_per_chunk() as collect:
                    for chunk in _chunks(rows() if callable(rows) else rows, CHUNK_ROWS):
                        # On PostgreSQL the chunk's writes run in the store's writer thread
                        # while the next chunk is read and checked (``PostgresStore``).
                        _process(ctx, chunk, tally)
                        total += len(chunk)
                        if on_chunk is not None:
                            on_chunk(total)
                        collect()
                store.finish()
                if header and tally.columns is not None:
                    tally.columns.note_header(header[0])
            except BaseException:
                store.abandon()  # no write may still run when the transaction rolls back
                raise
            warnings = _close(s, actor, batch_id, tally, total, spec)
    except FileProblem as exc:
        batch_id = _ledger_only(
            platform, actor, provider, item.code, source, "failed", exc.message, "Art. 20"
        )
        raise FileProblem(
            msg("records.batch_failed", reason=exc.message, id=batch_id), line=exc.line
        ) from exc
    except PcipError as exc:  # anything else that stopped the batch: still ledgered
        batch_id = _ledger_only(
            platform, actor, provider, item.code, source, "failed", exc.message, "Art. 20"
        )
        exc.message = msg("records.batch_failed", reason=exc.message, id=batch_id)
        raise
    o = tally.outcomes
    return IngestSummary(
        batch_id=batch_id,
        status="completed",
        item=item.code,
        provider=provider.uscc,
        accepted=o["accepted"],
        rejected=tally.rejected,
        unchanged=o["unchanged"],
        updated=o["updated"],
        warnings=warnings,
        errors=tally.errors,
        rows=total,
        seconds=time.perf_counter() - started,
    )


def _lock(s: Session) -> None:
    """Apply batches one at a time on PostgreSQL (SQLite's BEGIN IMMEDIATE already does).

    Two submissions of the same rows must store each record once, and two batches naming
    the same new subject must not both create it. Serialising writers is the simple way to
    guarantee both; a later performance issue may refine it.
    """
    if is_postgres(s):
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _INGEST_LOCK})


@contextmanager
def _collected_per_chunk() -> Iterator[Callable[[], None]]:
    """Python's cycle collector paused while the rows are applied, run on the young objects
    every few chunks instead (by the ``collect`` this yields, called after each chunk).

    Each chunk holds some hundred thousand live objects (rows, their values, what they
    become); left automatic, the collector ran about 45 times per 1,000 rows and traversed
    them again and again, full collections included (the whole heap: every module, the ORM's
    metadata): a fifth of the ingest's CPU (docs/performance.md). Rows make no reference
    cycles; these collections still free those anything else makes (a thread of the
    server included), and whoever had paused the collector before finds it paused after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    chunks = 0

    def collect() -> None:
        nonlocal chunks
        chunks += 1
        # Each collection traverses what is alive (about a chunk's objects), however long ago
        # the last one ran: one every few chunks costs a few times less.
        if chunks % _CHUNKS_PER_COLLECTION == 0:
            gc.collect(1)

    try:
        yield collect
    finally:
        if was_enabled:
            gc.enable()


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _process(ctx: _Context, chunk: list[Row], tally: _Tally) -> None:
    good: list[tuple[Row, Interpreted]] = []
    spec, ring, today = ctx.spec, ctx.ring, ctx.today
    columns = tally.columns or Columns(spec)
    for row in chunk:
        if row.values is None:
            tally.reject(
                ctx,
                row.line,
                None,
                [
                    RowError(
                        row.line,
                        _field_of(row.problem),
                        "malformed",
                        row.problem or "unreadable row",
                    )
                ],
            )
            continue
        # Version-1 column names read as current fields; unknown columns counted (all rows).
        got = interpret(spec, columns.read(row.values), ring, today)
        if isinstance(got, list):
            tally.reject(ctx, row.line, row.values, _errors(row.line, got, columns, row.values))
            continue
        good.append((row, got))
    if good:
        now = clock.now()
        # Every read of the chunk first (each sees the chunks before, all written by then),
        # then its writes: on PostgreSQL each goes to the writer thread as soon as it is
        # built, so the database inserts while Python builds the rest (``PostgresStore``).
        interpreted = [g for _, g in good]
        people = find_subjects(ctx, good)
        basis = find_basis(ctx, interpreted)
        pending = decide_records(ctx, good, people.by_ref, tally)
        write_subjects(ctx, good, people, tally, now)
        write_basis(ctx, basis, now)
        write_records(ctx, pending, basis.ids, now)
    if ctx.rejected:
        ctx.store.insert(RejectedRow, ("batch_id", "line", "values", "errors"), ctx.rejected)
        ctx.rejected = []


_FIELD_IN_PROBLEM = re.compile(r"^field (\S+) ")


def _field_of(problem: str | None) -> str | None:
    """The field a malformed row's problem names ("field CF_WSH contains ..."), if any."""
    found = _FIELD_IN_PROBLEM.match(problem or "")
    return found.group(1) if found else None


def _errors(
    line: int,
    problems: list[RowProblem],
    columns: Columns | None = None,
    original: dict[str, str] | None = None,
) -> list[RowError]:
    out = []
    for p in problems:
        message = p.message
        old = columns.origin(p.field, original) if columns and original and p.field else None
        if old is not None:
            message = msg("records.from_v1_column", reason=message, column=old)
        out.append(RowError(line, p.field, p.code, message))
    return out


def _close(
    s: Session, actor: Actor, batch_id: int, tally: _Tally, total: int, spec: ItemSpec
) -> list[str]:
    batch = s.get(Batch, batch_id)
    assert batch is not None
    report = tally.columns.report if tally.columns else None
    warnings = report.warnings(spec) if report else []
    if tally.rejected > len(tally.errors):
        warnings.append(
            f"{tally.rejected - len(tally.errors)} more row errors are in the rejected-rows report"
        )
    o = tally.outcomes
    batch.accepted, batch.updated, batch.unchanged = o["accepted"], o["updated"], o["unchanged"]
    batch.rejected, batch.rows_total = tally.rejected, total
    batch.status, batch.finished_at, batch.warnings = "completed", clock.now(), warnings
    audit.record(
        s,
        actor,
        "batch.complete",
        object_type="batch",
        object_id=batch_id,
        article="Art. 20-23",
        details={
            "item": batch.item_code,
            "provider_id": batch.provider_id,
            "channel": batch.channel,
            "source_sha256": batch.source_sha256,
            "rows": total,
            "accepted": batch.accepted,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
            "subjects_created": tally.subjects_created,
            "subjects_renamed": tally.subjects_renamed,
            "links_created": tally.links,
            "dropped_fields": dict(report.unknown) if report else {},
            "version1_columns": dict(report.legacy) if report else {},
        },
    )
    return warnings


def ingest_file(
    platform: Platform,
    actor: Actor,
    path: Path,
    *,
    provider_uscc: str,
    item_code: str,
    fmt: str | None = None,
    channel: str = "cli",
    progress: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Ingest a CSV, JSONL or XLSX file, streaming it (bounded memory whatever its size)."""
    kind = detect_format(path, fmt)
    source = Source(channel, path.name, sha256_file(path), kind.value, path.stat().st_size)
    header: list[tuple[str, ...]] = []

    def opener() -> Iterable[Row]:
        info, rows = open_rows(path, kind, progress=progress)
        header.append(info.columns)
        return rows

    return ingest(
        platform,
        actor,
        provider_uscc=provider_uscc,
        item_code=item_code,
        rows=opener,
        source=source,
        header=header,
    )


def _printable(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def rows_from_json(objects: list[dict[str, Any]]) -> Iterator[Row]:
    """API batches: row N of the JSON array is line N."""
    for i, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict):
            yield Row(i, None, "not a JSON object")
            continue
        bad = [k for k, v in obj.items() if isinstance(v, dict | list)]
        if bad:
            yield Row(i, None, f"field {bad[0]} is not a scalar value")
            continue
        values = {str(k): "" if v is None else str(v) for k, v in obj.items()}
        # A NUL or an unpaired surrogate ("\ud800" in JSON) cannot be stored, not even in the
        # rejected-rows ledger: the row is rejected, naming its field (issue 23: it was a 500).
        text = next(
            ((k, r) for k, v in values.items() if (r := _bad_text(k) or _bad_text(v))), None
        )
        if text is not None:
            yield Row(i, None, f"field {_printable(text[0])} {text[1]}")
            continue
        yield Row(i, values, None)


__all__ = [
    "IngestSummary",
    "PcipError",
    "RowError",
    "Source",
    "ingest",
    "ingest_file",
    "rows_from_json",
]
