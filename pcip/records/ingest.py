"""Ingestion: a providing unit's submission becomes a batch in the ledger (Art. 16, 19-23).

One pipeline serves every door (CLI file, API JSON batch, later the console upload):

1. gatekeeping, in its own transaction so the ledger keeps it: the item must be in a catalog in
   force (Art. 16; otherwise the batch is *quarantined* and nothing of it is stored) and the unit
   must be registered for it (Art. 20; otherwise *refused*);
2. the rows, streamed in chunks inside ONE transaction: each row is validated against the item's
   field schema and interpreted by field roles (`interpret`); subjects, basis documents and
   records are resolved with set-based queries per chunk; accepted rows become records or new
   versions; rejected rows are kept with their line, field and reason;
3. the ledger entry is closed with its counts and one audit event, in the same transaction.

A file that cannot be read to the end (a mixed encoding, a cut quoted field) fails as a whole:
the transaction rolls back, so nothing of it is half-applied, and a `failed` ledger entry
records what happened.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, tuple_
from sqlalchemy.orm import Session

from pcip import audit, clock
from pcip.actors import Actor
from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import ItemSpec
from pcip.catalog.service import item_in_force, item_spec
from pcip.db import is_postgres
from pcip.enums import ResponsibleRole
from pcip.errors import Forbidden, NotFound, PcipError
from pcip.keyring import Keyring
from pcip.platform import Platform
from pcip.providers.models import Provider
from pcip.providers.service import get_provider, provider_items
from pcip.records.interpret import Interpreted, RowProblem, interpret
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordVersion, RejectedRow
from pcip.records.readers import FileProblem, Row, detect_format, open_rows, sha256_file
from pcip.records.reports import seal_values
from pcip.records.service import open_batch
from pcip.subjects.models import ResponsibleLink, Subject
from pcip.subjects.service import ensure_many, key_ref

CHUNK_ROWS = 1000
#: The summary lists at most this many row errors; every rejected row is kept in the ledger.
MAX_LISTED_ERRORS = 1000
# Constant naming the PostgreSQL advisory lock that applies batches one at a time (see _lock).
_INGEST_LOCK = 0x70C1_1A6E


@dataclass(frozen=True)
class RowError:
    line: int
    field: str | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "code": self.code, "message": self.message}


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


class _Tally:
    """Counters of one batch, kept outside the ORM so chunks can be expunged."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.dropped: Counter[str] = Counter()
        self.errors: list[RowError] = []
        self.rejected = 0
        self.duplicates = 0
        self.links = 0
        self.subjects_created = 0
        self.subjects_renamed = 0

    def reject(
        self,
        s: Session,
        ring: Keyring,
        batch_id: int,
        line: int,
        values: dict[str, Any] | None,
        problems: list[RowError],
    ) -> None:
        self.rejected += 1
        room = MAX_LISTED_ERRORS - len(self.errors)
        self.errors.extend(problems[: max(room, 0)])
        s.add(
            RejectedRow(
                batch_id=batch_id,
                line=line,
                values=seal_values(ring, values),
                errors=[{k: v for k, v in p.as_dict().items() if k != "line"} for p in problems],
            )
        )


# --- gatekeeping ----------------------------------------------------------------------------


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
        message = (
            f"{provider.name} ({provider.uscc}) is not registered to submit '{item_code}' (Art. 20)"
        )
        batch_id = _ledger_only(
            platform, actor, provider, item_code, source, "refused", message, "Art. 20"
        )
        raise Forbidden(f"{message}; batch {batch_id} refused", field="item")
    # Art. 16: no record of an uncatalogued item is stored, not even in a holding area; the
    # ledger keeps who sent what (file hash) so the unit can be told and the case followed up.
    batch_id = _ledger_only(
        platform, actor, provider, item_code, source, "quarantined", unknown.message, "Art. 16"
    )
    raise NotFound(f"{unknown.message}; batch {batch_id} quarantined, nothing stored", field="item")


# --- the pipeline ---------------------------------------------------------------------------


def ingest(
    platform: Platform,
    actor: Actor,
    *,
    provider_uscc: str,
    item_code: str,
    rows: Iterable[Row] | Callable[[], Iterable[Row]],
    source: Source,
    on_chunk: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Apply one submission. Raises PcipError for a batch-level refusal (after ledgering it).

    ``rows`` may be a callable that opens them, so that a file which cannot even be opened
    (unreadable header, unknown encoding) is ledgered as a failed batch like any other.
    """
    started = time.perf_counter()
    provider, item = _gate(platform, actor, provider_uscc, item_code, source)
    spec = item_spec(item)
    tally = _Tally()
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
            ctx = _Context(
                s,
                platform.keyring,
                spec,
                item,
                provider,
                batch_id,
                clock.today(),
                f"provider:{provider.uscc}",
            )
            total = 0
            for chunk in _chunks(rows() if callable(rows) else rows, CHUNK_ROWS):
                _process(ctx, chunk, tally)
                total += len(chunk)
                s.flush()
                s.expunge_all()  # bounded memory: nothing of past chunks stays in the session
                if on_chunk is not None:
                    on_chunk(total)
            warnings = _close(s, actor, batch_id, tally, total)
    except FileProblem as exc:
        batch_id = _ledger_only(
            platform, actor, provider, item.code, source, "failed", exc.message, "Art. 20"
        )
        raise FileProblem(
            f"{exc.message}; batch {batch_id} failed, nothing stored", line=exc.line
        ) from exc
    except PcipError as exc:  # anything else that stopped the batch: still ledgered
        batch_id = _ledger_only(
            platform, actor, provider, item.code, source, "failed", exc.message, "Art. 20"
        )
        exc.message = f"{exc.message}; batch {batch_id} failed, nothing stored"
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


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


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


def _process(ctx: _Context, chunk: list[Row], tally: _Tally) -> None:
    good: list[tuple[Row, Interpreted]] = []
    for row in chunk:
        if row.values is None:
            tally.reject(
                ctx.s,
                ctx.ring,
                ctx.batch_id,
                row.line,
                None,
                [RowError(row.line, None, "malformed", row.problem or "unreadable row")],
            )
            continue
        got = interpret(ctx.spec, row.values, ctx.ring, ctx.today)
        if isinstance(got, list):
            tally.reject(
                ctx.s, ctx.ring, ctx.batch_id, row.line, row.values, _errors(row.line, got)
            )
            continue
        tally.dropped.update(got.dropped_fields)
        good.append((row, got))
    if not good:
        return
    subjects = _subjects(ctx, good, tally)
    basis = _basis_documents(ctx, [g for _, g in good])
    _records(ctx, good, subjects, basis, tally)


def _errors(line: int, problems: list[RowProblem]) -> list[RowError]:
    return [RowError(line, p.field, p.code, p.message) for p in problems]


def _subjects(
    ctx: _Context, good: list[tuple[Row, Interpreted]], tally: _Tally
) -> dict[str, Subject]:
    wanted = [(g.key, g.subject_name) for _, g in good]
    wanted += [(g.legal_rep[1], g.legal_rep[0]) for _, g in good if g.legal_rep]
    by_ref, created, renamed = ensure_many(ctx.s, ctx.ring, wanted, ctx.source)
    tally.subjects_created += created
    tally.subjects_renamed += renamed
    _links(ctx, good, by_ref, tally)
    return by_ref


def _links(
    ctx: _Context, good: list[tuple[Row, Interpreted]], by_ref: dict[str, Subject], tally: _Tally
) -> None:
    """Art. 33: the legal representative named in a row is linked to the organisation."""
    pairs = {
        (by_ref[key_ref(g.key)].id, by_ref[key_ref(g.legal_rep[1])].id)
        for _, g in good
        if g.legal_rep and by_ref[key_ref(g.key)].kind != "person"
    }
    if not pairs:
        return
    role = ResponsibleRole.LEGAL_REPRESENTATIVE.value
    existing: set[tuple[int, int]] = {
        (org, person)
        for org, person in ctx.s.execute(
            select(ResponsibleLink.subject_id, ResponsibleLink.person_id).where(
                tuple_(ResponsibleLink.subject_id, ResponsibleLink.person_id).in_(list(pairs)),
                ResponsibleLink.role == role,
                ResponsibleLink.valid_to.is_(None),
            )
        )
    }
    for org, person in sorted(pairs - existing):
        if org != person:
            ctx.s.add(
                ResponsibleLink(
                    subject_id=org,
                    person_id=person,
                    role=role,
                    source=ctx.source,
                    recorded_at=clock.now(),
                )
            )
            tally.links += 1


def _basis_ids(ctx: _Context, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of stored basis documents, by (issuer, number).

    Filtered by issuer IN and number IN (both columns of the unique index, usually one issuer
    per batch), then matched exactly here: a tuple IN of a thousand pairs plans badly on SQLite.
    """
    issuers = {i for i, _ in keys}
    numbers = {n for _, n in keys}
    rows = ctx.s.execute(
        select(BasisDocument.issuer, BasisDocument.number, BasisDocument.id).where(
            BasisDocument.issuer.in_(issuers), BasisDocument.number.in_(numbers)
        )
    )
    return {(i, n): d for i, n, d in rows if (i, n) in keys}


def _basis_documents(ctx: _Context, good: list[Interpreted]) -> dict[tuple[str, str], int]:
    wanted = {(g.basis.issuer, g.basis.number): g.basis for g in good if g.basis is not None}
    if not wanted:
        return {}
    found = _basis_ids(ctx, set(wanted))
    missing = [k for k in wanted if k not in found]
    if missing:  # one executemany, then one query for the new ids
        now = clock.now()
        ctx.s.execute(
            insert(BasisDocument), [{**wanted[k].__dict__, "recorded_at": now} for k in missing]
        )
        found.update(_basis_ids(ctx, set(missing)))
    return found


@dataclass
class _Pending:
    """A record first seen in this chunk, not yet inserted."""

    record: CreditRecord
    line: int
    interpreted: Interpreted
    digest: str


def _records(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    subjects: dict[str, Subject],
    basis: dict[tuple[str, str], int],
    tally: _Tally,
) -> None:
    """Decide every row's outcome, then insert new records and all versions in bulk."""
    keys = {g.natural_key for _, g in good}
    stored = {
        r.natural_key: r
        for r in ctx.s.scalars(
            select(CreditRecord).where(
                CreditRecord.provider_id == ctx.provider.id,
                CreditRecord.item_code == ctx.item.code,
                CreditRecord.natural_key.in_(keys),
            )
        )
    }
    current: dict[int, RecordVersion] = {}
    superseded: dict[int, set[str]] = defaultdict(set)
    if stored:
        for v in ctx.s.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id.in_([r.id for r in stored.values()]))
            .order_by(RecordVersion.version)
        ):
            if v.record_id in current:
                superseded[v.record_id].add(current[v.record_id].content_sha256)
            current[v.record_id] = v  # ascending order: the last one seen is the current one
    pending: dict[str, _Pending] = {}
    updates: list[tuple[CreditRecord, int, Interpreted, str]] = []
    for row, g in good:
        subject = subjects[key_ref(g.key)]
        digest = g.digest
        if g.natural_key in pending:  # a second row of this chunk for a new record
            first = pending[g.natural_key]
            problem = _judge(
                earlier_subject=first.record.subject_id,
                subject=subject.id,
                earlier_digest=first.digest,
                digest=digest,
                earlier_in_batch=True,
            )
        elif g.natural_key in stored:
            record = stored[g.natural_key]
            cur = current.get(record.id)
            problem = _judge(
                earlier_subject=record.subject_id,
                subject=subject.id,
                earlier_digest=cur.content_sha256 if cur else None,
                digest=digest,
                earlier_in_batch=cur is not None and cur.batch_id == ctx.batch_id,
            )
            if problem is None and _stale_after_correction(cur, digest, superseded[record.id]):
                problem = "unchanged"
            if problem is None:
                updates.append((record, cur.version + 1 if cur else 1, g, digest))
                current.pop(record.id, None)  # a later row of this chunk is now a duplicate
                pending[g.natural_key] = _Pending(record, row.line, g, digest)
                tally.outcomes["updated"] += 1
                continue
        else:
            record = CreditRecord(
                subject_id=subject.id,
                item_code=ctx.item.code,
                provider_id=ctx.provider.id,
                polarity=ctx.item.polarity,
                info_class=ctx.item.info_class,
                natural_key=g.natural_key,
                created_at=clock.now(),
            )
            pending[g.natural_key] = _Pending(record, row.line, g, digest)
            tally.outcomes["accepted"] += 1
            continue
        if problem == "unchanged":
            tally.outcomes["unchanged"] += 1
        elif problem is not None:
            tally.reject(
                ctx.s,
                ctx.ring,
                ctx.batch_id,
                row.line,
                row.values,
                [RowError(row.line, _basis_field(ctx.spec), "conflict", problem)],
            )
    _insert_records(ctx, [p.record for p in pending.values() if p.record.id is None])
    updated_ids = {id(r) for r, *_ in updates}
    versions = [
        _version(ctx, p.record, 1, p.interpreted, p.digest, basis, "submitted")
        for p in pending.values()
        if id(p.record) not in updated_ids
    ]
    versions += [
        _version(ctx, record, number, g, digest, basis, "resubmitted with changes")
        for record, number, g, digest in updates
    ]
    if versions:
        ctx.s.execute(insert(RecordVersion), versions)


def _insert_records(ctx: _Context, records: list[CreditRecord]) -> None:
    """Insert new records with one executemany and learn their ids with one indexed query.

    (The ORM would insert them one at a time on SQLite to read each autoincrement id.)
    """
    if not records:
        return
    columns = [c.key for c in CreditRecord.__table__.columns if c.key != "id"]
    ctx.s.execute(insert(CreditRecord), [{c: getattr(r, c) for c in columns} for r in records])
    ids = dict(
        ctx.s.execute(
            select(CreditRecord.natural_key, CreditRecord.id).where(
                CreditRecord.provider_id == ctx.provider.id,
                CreditRecord.item_code == ctx.item.code,
                CreditRecord.natural_key.in_([r.natural_key for r in records]),
            )
        ).all()
    )
    for r in records:
        r.id = ids[r.natural_key]


def _judge(
    *,
    earlier_subject: int,
    subject: int,
    earlier_digest: str | None,
    digest: str,
    earlier_in_batch: bool,
) -> str | None:
    """A row naming a record already seen (stored, or earlier in this batch).

    None: store a new version; "unchanged"; or the reason the row is rejected.
    """
    if earlier_subject != subject:
        where = "used in this batch" if earlier_in_batch else "recorded"
        return (
            f"this document number is already {where} for another subject; a record never "
            "moves between subjects (correct it through an objection or a correction)"
        )
    if earlier_digest == digest:
        return "unchanged"
    if earlier_in_batch:
        return (
            "an earlier row of this batch has the same document number with different "
            "content; submit one version of the record"
        )
    return None


#: Versions written by a case rather than by the unit's data (Art. 42).
_CASE_CAUSES = frozenset({"objection", "correction"})


def _stale_after_correction(cur: RecordVersion | None, digest: str, earlier: set[str]) -> bool:
    """Art. 42: a correction decided on an objection (or proactively) stands.

    A unit's system that resubmits the record as it was before the correction sends stale
    data; storing it would silently undo the decision. New content (a reissued document) is
    still accepted as a new version.
    """
    return cur is not None and cur.cause_type in _CASE_CAUSES and digest in earlier


def _basis_field(spec: ItemSpec) -> str | None:
    return next((f.name for f in spec.fields if f.role and f.role.value == "basis.number"), None)


def _version(
    ctx: _Context,
    record: CreditRecord,
    number: int,
    g: Interpreted,
    digest: str,
    basis: dict[tuple[str, str], int],
    reason: str,
) -> dict[str, Any]:
    """The values of one new version (inserted with the chunk's others in one executemany)."""
    basis_id = basis[(g.basis.issuer, g.basis.number)] if g.basis else None
    return {
        "record_id": record.id,
        "subject_id": record.subject_id,
        "version": number,
        "item_id": ctx.item.id,
        "payload": g.payload,
        "basis_id": basis_id,
        "severity": g.facts.severity,
        "conduct_end_date": g.facts.conduct_end_date,
        "valid_from": g.facts.valid_from,
        "valid_to": g.facts.valid_to,
        "publicity_end": g.facts.publicity_end,
        "batch_id": ctx.batch_id,
        "content_sha256": digest,
        "reason": reason,
        "recorded_at": clock.now(),
        "recorded_by": ctx.source,
        "cause_type": None,
        "cause_id": None,
    }


def _close(s: Session, actor: Actor, batch_id: int, tally: _Tally, total: int) -> list[str]:
    batch = s.get(Batch, batch_id)
    assert batch is not None
    warnings = [
        f"field {name} is not in the item's schema: dropped from {n} row(s) (Art. 23)"
        for name, n in sorted(tally.dropped.items())
    ]
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
            "dropped_fields": dict(tally.dropped),
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
    return ingest(
        platform,
        actor,
        provider_uscc=provider_uscc,
        item_code=item_code,
        rows=lambda: open_rows(path, kind, progress=progress)[1],
        source=source,
    )


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
        yield Row(i, {str(k): "" if v is None else str(v) for k, v in obj.items()}, None)


__all__ = [
    "IngestSummary",
    "PcipError",
    "RowError",
    "Source",
    "ingest",
    "ingest_file",
    "rows_from_json",
]
