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

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
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
from pcip.errors import Forbidden, NotFound, PcipError, ValidationError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ResponsibleRole
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.platform import Platform
from pcip.kernel.text import bad_text as _bad_text
from pcip.providers.models import Provider
from pcip.providers.service import get_provider, provider_items
from pcip.records.interpret import Interpreted, RowProblem, interpret
from pcip.records.layouts import Columns
from pcip.records.models import (
    REFILED_SUFFIX,
    BasisDocument,
    Batch,
    CreditRecord,
    RecordVersion,
    RejectedRow,
)
from pcip.records.readers import FileProblem, Row, detect_format, open_rows, sha256_file
from pcip.records.reports import seal_values
from pcip.records.service import open_batch
from pcip.records.store import BulkStore, Encoded, bulk_store
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName
from pcip.subjects.service import CIPHER_CONTEXT, SubjectKey, key_ref

#: Rows interpreted and written together: each chunk costs a fixed number of statements.
CHUNK_ROWS = 5000
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
                [{k: v for k, v in p.as_dict().items() if k != "line"} for p in problems],
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
                for chunk in _chunks(rows() if callable(rows) else rows, CHUNK_ROWS):
                    _process(ctx, chunk, tally)
                    # The chunk's rows are written while the next chunk is read and checked.
                    store.flush_writes()
                    total += len(chunk)
                    if on_chunk is not None:
                        on_chunk(total)
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
        subjects = _subjects(ctx, good, tally, now)
        basis = _basis_documents(ctx, [g for _, g in good], now)
        _records(ctx, good, subjects, basis, tally, now)
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
            message = f"{message} (read from the version-1 column {old})"
        out.append(RowError(line, p.field, p.code, message))
    return out


_SUBJECT_COLUMNS = tuple(c.key for c in Subject.__table__.columns)
_KEY_COLUMNS = (("uscc:", "uscc"), ("reg:", "registration_no"), ("idx:", "id_index"))


def _subjects(
    ctx: _Context, good: list[tuple[Row, Interpreted]], tally: _Tally, now: datetime
) -> dict[str, _Subject]:
    """Find or create the chunk's subjects (Art. 19: by identifier only) and apply their names.

    Names are applied in order, so the last name reported wins and every change lands in the
    name history (a new name never creates a new subject).
    """
    wanted = [(g.key, g.subject_name) for _, g in good]
    wanted += [(g.legal_rep[1], g.legal_rep[0]) for _, g in good if g.legal_rep]
    refs = [key_ref(k) for k, _ in wanted]
    by_ref: dict[str, _Subject] = {}
    for prefix, column in _KEY_COLUMNS:
        values = sorted({r[len(prefix) :] for r in refs if r.startswith(prefix)})
        if values:
            for value, sid, kind, name in ctx.store.subjects(column, values):
                by_ref[prefix + value] = _Subject(sid, kind, name)
    new: dict[str, tuple[SubjectKey, str]] = {}
    for (key, name), ref in zip(wanted, refs, strict=True):
        if ref not in by_ref and ref not in new:
            new[ref] = (key, _clean_name(name))
    # Art. 3: a person identified by another document carries the birth date the unit sends
    # (the first one known is kept).
    born = {key_ref(g.key): g.birth_date for _, g in good if g.birth_date is not None}
    names: list[tuple[int, str, datetime, str]] = []
    if new:
        ids = ctx.store.reserve(Subject, len(new))
        rows = []
        for sid, (ref, (key, name)) in zip(ids, new.items(), strict=True):
            row = subject_row(ctx.ring, key, sid, name, now)
            if row["birth_date"] is None and ref in born:
                row["birth_date"] = born[ref]
            rows.append(tuple(row[c] for c in _SUBJECT_COLUMNS))
            by_ref[ref] = _Subject(sid, key.kind.value, name)
            names.append((sid, name, now, ctx.source))
        ctx.store.insert(Subject, _SUBJECT_COLUMNS, rows)
    renamed: dict[int, str] = {}
    for (_, name), ref in zip(wanted, refs, strict=True):
        subject = by_ref[ref]
        clean = _clean_name(name)
        if subject.name != clean:
            subject.name = renamed[subject.id] = clean
            names.append((subject.id, clean, now, ctx.source))
            tally.subjects_renamed += 1
    ctx.store.rename(renamed)
    ctx.store.set_birth_dates(
        {by_ref[ref].id: day for ref, day in born.items() if ref not in new and ref in by_ref}
    )
    ctx.store.insert(SubjectName, ("subject_id", "name", "recorded_at", "source"), names)
    tally.subjects_created += len(new)
    _links(ctx, good, by_ref, tally, now)
    return by_ref


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("name is empty", field="name")
    if len(name) > 200:
        raise ValidationError(f"name is {len(name)} characters, at most 200", field="name")
    return name


def subject_row(
    ring: Keyring, key: SubjectKey, sid: int, name: str, now: datetime
) -> dict[str, Any]:
    """A new subject (Art. 19, 27): keyed by its identifier; a person's number encrypted."""
    id_key, id_cipher = (
        ring.encrypt(key.secret, context=CIPHER_CONTEXT) if key.secret is not None else (None, None)
    )
    return {
        "id": sid,
        "kind": key.kind.value,
        "id_type": key.id_type.value,
        "uscc": key.uscc,
        "registration_no": key.registration_no,
        "id_index": key.index,
        "id_cipher": id_cipher,
        "id_key": id_key,
        "id_masked": key.masked,
        "document_type": key.document_type,
        "document_country": key.document_country,
        "birth_date": key.birth_date,
        "region_code": key.region_code,
        "name": name,
        "created_at": now,
    }


def _links(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    by_ref: dict[str, _Subject],
    tally: _Tally,
    now: datetime,
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
    existing = ctx.store.open_links(sorted(pairs), role)
    rows = [
        (org, person, role, ctx.source, now)
        for org, person in sorted(pairs - existing)
        if org != person
    ]
    ctx.store.insert(
        ResponsibleLink,
        ("subject_id", "person_id", "role", "source", "recorded_at"),
        rows,
    )
    tally.links += len(rows)


_BASIS_COLUMNS = (
    "id",
    "doc_type",
    "number",
    "issuer",
    "issuer_uscc",
    "title",
    "decision_date",
    "effective_date",
    "designation_citation",
    "recorded_at",
)


def _basis_documents(
    ctx: _Context, good: list[Interpreted], now: datetime
) -> dict[tuple[str, str], int]:
    wanted = {(g.basis.issuer, g.basis.number): g.basis for g in good if g.basis is not None}
    if not wanted:
        return {}
    found = ctx.store.basis_ids(set(wanted))
    missing = [k for k in wanted if k not in found]
    if missing:
        ids = ctx.store.reserve(BasisDocument, len(missing))
        rows = []
        for bid, k in zip(ids, missing, strict=True):
            b = wanted[k]
            rows.append(
                (
                    bid,
                    b.doc_type,
                    b.number,
                    b.issuer,
                    b.issuer_uscc,
                    b.title,
                    b.decision_date,
                    b.effective_date,
                    b.designation_citation,
                    now,
                )
            )
            found[k] = bid
        ctx.store.insert(BasisDocument, _BASIS_COLUMNS, rows)
    return found


@dataclass
class _Record:
    """A stored record, or one first seen in this chunk (id None until it is inserted)."""

    id: int | None
    subject_id: int
    natural_key: str


@dataclass
class _Current:
    """The current version of a stored record, as the outcome rules need it."""

    version: int
    digest: str
    batch_id: int | None
    cause_type: str | None


@dataclass
class _Pending:
    """A record given a new version by this chunk (new, or stored and updated)."""

    record: _Record
    line: int
    interpreted: Interpreted
    digest: str
    number: int
    reason: str


def _records(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    subjects: dict[str, _Subject],
    basis: dict[tuple[str, str], int],
    tally: _Tally,
    now: datetime,
) -> None:
    """Decide every row's outcome, then insert new records and all versions in bulk."""
    keys = sorted({g.natural_key for _, g in good})
    stored = {
        nk: _Record(rid, sid, nk)
        for nk, rid, sid in ctx.store.records(ctx.provider.id, ctx.item.code, keys)
    }
    refiled = _refiled(ctx, good, subjects, stored)
    current: dict[int, _Current] = {}
    superseded: dict[int, set[str]] = defaultdict(set)
    if stored:
        known = list(stored.values()) + [r for found in refiled.values() for r in found]
        ids = sorted(r.id for r in known if r.id is not None)
        for rid, number, digest, batch_id, cause in ctx.store.versions(ids):
            if rid in current:
                superseded[rid].add(current[rid].digest)
            current[rid] = _Current(number, digest, batch_id, cause)  # oldest first: last wins
    pending: dict[str, _Pending] = {}
    for row, g in good:
        subject = subjects[key_ref(g.key)]
        digest = g.digest
        if g.natural_key in pending:  # a second row of this chunk for the same record
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
            if record.subject_id != subject.id:
                # Withdrawn from the wrong subject and filed again under this one (Art. 42).
                record = next(
                    (r for r in refiled.get(g.natural_key, ()) if r.subject_id == subject.id),
                    record,
                )
            assert record.id is not None
            cur = current.get(record.id)
            problem = _judge(
                earlier_subject=record.subject_id,
                subject=subject.id,
                earlier_digest=cur.digest if cur else None,
                digest=digest,
                earlier_in_batch=cur is not None and cur.batch_id == ctx.batch_id,
            )
            if problem is None and _stale_after_correction(cur, digest, superseded[record.id]):
                problem = "unchanged"
            if problem is None:
                number = cur.version + 1 if cur else 1
                reason = "resubmitted with changes"
                pending[g.natural_key] = _Pending(record, row.line, g, digest, number, reason)
                tally.outcomes["updated"] += 1
                continue
        else:
            record = _Record(None, subject.id, g.natural_key)
            pending[g.natural_key] = _Pending(record, row.line, g, digest, 1, "submitted")
            tally.outcomes["accepted"] += 1
            continue
        if problem == "unchanged":
            tally.outcomes["unchanged"] += 1
        elif problem is not None:
            tally.reject(
                ctx,
                row.line,
                row.values,
                [RowError(row.line, _basis_field(ctx.spec), "conflict", problem)],
            )
    _insert_records(ctx, [p.record for p in pending.values() if p.record.id is None], now)
    ctx.store.insert(
        RecordVersion,
        _VERSION_COLUMNS,
        [_version(ctx, p, basis, now) for p in pending.values()],
    )


def _refiled(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    subjects: dict[str, _Subject],
    stored: dict[str, _Record],
) -> dict[str, list[_Record]]:
    """Records filed again under the right subject (``REFILED_SUFFIX``) for rows whose
    document number is stored under another subject: only those rows cost a lookup."""
    crossed = sorted(
        {
            g.natural_key
            for _, g in good
            if g.natural_key in stored
            and stored[g.natural_key].subject_id != subjects[key_ref(g.key)].id
        }
    )
    if not crossed:
        return {}
    # A record refiled in error can itself be withdrawn and refiled: follow a few steps.
    wanted = {nk + REFILED_SUFFIX * n: nk for nk in crossed for n in (1, 2, 3)}
    out: dict[str, list[_Record]] = defaultdict(list)
    for nk, rid, sid in ctx.store.records(ctx.provider.id, ctx.item.code, sorted(wanted)):
        out[wanted[nk]].append(_Record(rid, sid, nk))
    return out


_RECORD_COLUMNS = (
    "id",
    "subject_id",
    "item_code",
    "provider_id",
    "polarity",
    "info_class",
    "natural_key",
    "created_at",
)


def _insert_records(ctx: _Context, records: list[_Record], now: datetime) -> None:
    """Insert the new records with ids reserved up front (versions reference them)."""
    if not records:
        return
    item, provider_id = ctx.item, ctx.provider.id
    ids = ctx.store.reserve(CreditRecord, len(records))
    for rid, r in zip(ids, records, strict=True):
        r.id = rid
    ctx.store.insert(
        CreditRecord,
        _RECORD_COLUMNS,
        [
            (
                r.id,
                r.subject_id,
                item.code,
                provider_id,
                item.polarity,
                item.info_class,
                r.natural_key,
                now,
            )
            for r in records
        ],
    )


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
            f"this document number is already {where} for another subject, and a record "
            "never moves between subjects (Art. 19). If it was filed against the wrong "
            "subject, an objection about it is decided 'withdrawn': the record is withdrawn "
            "from that subject and, when your unit names the right one, filed under it, "
            "after which this row is accepted for it (docs/objections.md, 'A record filed "
            "against the wrong subject')"
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


def _stale_after_correction(cur: _Current | None, digest: str, earlier: set[str]) -> bool:
    """Art. 42: a correction decided on an objection (or proactively) stands.

    A unit's system that resubmits the record as it was before the correction sends stale
    data; storing it would silently undo the decision. New content (a reissued document) is
    still accepted as a new version.
    """
    return cur is not None and cur.cause_type in _CASE_CAUSES and digest in earlier


def _basis_field(spec: ItemSpec) -> str | None:
    return next((f.name for f in spec.fields if f.role and f.role.value == "basis.number"), None)


_VERSION_COLUMNS = (
    "record_id",
    "subject_id",
    "version",
    "item_id",
    "payload",
    "basis_id",
    "severity",
    "conduct_end_date",
    "valid_from",
    "valid_to",
    "publicity_end",
    "batch_id",
    "content_sha256",
    "reason",
    "recorded_at",
    "recorded_by",
    "cause_type",
    "cause_id",
)


def _version(
    ctx: _Context, p: _Pending, basis: dict[tuple[str, str], int], now: datetime
) -> tuple[Any, ...]:
    """The values of one new version (inserted with the chunk's others in one statement)."""
    g, facts = p.interpreted, p.interpreted.facts
    return (
        p.record.id,
        p.record.subject_id,
        p.number,
        ctx.item.id,
        Encoded(g.payload, g.payload_json) if g.payload_json else g.payload,
        basis[(g.basis.issuer, g.basis.number)] if g.basis else None,
        facts.severity,
        facts.conduct_end_date,
        facts.valid_from,
        facts.valid_to,
        facts.publicity_end,
        ctx.batch_id,
        p.digest,
        p.reason,
        now,
        ctx.source,
        None,
        None,
    )


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
