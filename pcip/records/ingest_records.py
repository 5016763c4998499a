"""The basis documents, records and record versions a chunk of rows becomes (Art. 20-23):
each row is judged new, updated, unchanged or a duplicate, and written in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pcip.catalog.schemas import ItemSpec
from pcip.kernel.messages import msg
from pcip.records.ingest_state import RowError, _Context, _Subject, _Tally
from pcip.records.interpret import Interpreted
from pcip.records.models import (
    REFILED_SUFFIX,
    BasisDocument,
    CreditRecord,
    RecordVersion,
)
from pcip.records.readers import Row
from pcip.records.service import BasisFacts
from pcip.records.store import Encoded
from pcip.subjects.service import key_ref

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


@dataclass
class BasisFound:
    """The basis documents a chunk's rows cite: ids by (issuer, number), stored or reserved."""

    ids: dict[tuple[str, str], int]
    #: The documents not stored yet, with their reserved ids, to be written.
    new: list[tuple[int, BasisFacts]]


def find_basis(ctx: _Context, good: list[Interpreted]) -> BasisFound:
    """Reads only: the stored basis documents, and ids reserved for the others."""
    wanted = {(g.basis.issuer, g.basis.number): g.basis for g in good if g.basis is not None}
    if not wanted:
        return BasisFound({}, [])
    found = ctx.store.basis_ids(set(wanted))
    missing = [k for k in wanted if k not in found]
    new: list[tuple[int, BasisFacts]] = []
    if missing:
        ids = ctx.store.reserve(BasisDocument, len(missing))
        for bid, k in zip(ids, missing, strict=True):
            found[k] = bid
            new.append((bid, wanted[k]))
    return BasisFound(found, new)


def write_basis(ctx: _Context, basis: BasisFound, now: datetime) -> None:
    """Insert the basis documents ``find_basis`` reserved ids for (Art. 21)."""
    if basis.new:
        ctx.store.insert(
            BasisDocument,
            _BASIS_COLUMNS,
            [
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
                for bid, b in basis.new
            ],
        )


@dataclass
class _Record:
    """A stored record, or one first seen in this chunk (id None until it is reserved)."""

    id: int | None
    subject_id: int
    natural_key: str
    #: First seen in this chunk, and inserted with it.
    new: bool = False


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


def decide_records(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    subjects: dict[str, _Subject],
    tally: _Tally,
) -> list[_Pending]:
    """Decide every row's outcome (new, updated, unchanged, or rejected), and reserve ids for
    the new records. Reads only: ``write_records`` writes the versions this returns."""
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
            record = _Record(None, subject.id, g.natural_key, new=True)
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
    _reserve_records(ctx, [p.record for p in pending.values() if p.record.id is None])
    return list(pending.values())


def write_records(
    ctx: _Context, pending: list[_Pending], basis: dict[tuple[str, str], int], now: datetime
) -> None:
    """Insert the new records and every new version in bulk (after ``decide_records``)."""
    _insert_records(ctx, [p.record for p in pending if p.record.new], now)
    item_id = ctx.item.id  # read once: an ORM attribute
    ctx.store.insert(
        RecordVersion,
        _VERSION_COLUMNS,
        [_version(ctx, item_id, p, basis, now) for p in pending],
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


def _reserve_records(ctx: _Context, records: list[_Record]) -> None:
    """Ids for the new records, reserved up front (their versions reference them)."""
    if records:
        for rid, r in zip(ctx.store.reserve(CreditRecord, len(records)), records, strict=True):
            r.id = rid


def _insert_records(ctx: _Context, records: list[_Record], now: datetime) -> None:
    if not records:
        return
    # The ORM's attributes read once, not per record (each read is an instrumented call).
    code, polarity, info_class = ctx.item.code, ctx.item.polarity, ctx.item.info_class
    provider_id = ctx.provider.id
    ctx.store.insert(
        CreditRecord,
        _RECORD_COLUMNS,
        [
            (r.id, r.subject_id, code, provider_id, polarity, info_class, r.natural_key, now)
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
        return msg(
            "records.other_subject_in_batch" if earlier_in_batch else "records.other_subject"
        )
    if earlier_digest == digest:
        return "unchanged"
    if earlier_in_batch:
        return msg("records.same_number_in_batch")
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
    ctx: _Context, item_id: int, p: _Pending, basis: dict[tuple[str, str], int], now: datetime
) -> tuple[Any, ...]:
    """The values of one new version (inserted with the chunk's others in one statement)."""
    g, facts = p.interpreted, p.interpreted.facts
    return (
        p.record.id,
        p.record.subject_id,
        p.number,
        item_id,
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
