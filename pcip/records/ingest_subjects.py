"""The subjects a chunk of rows names (Art. 19, 33): found by their keys, created, renamed,
and linked to their responsible persons, in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pcip.errors import ValidationError
from pcip.kernel.enums import ResponsibleRole
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import msg
from pcip.records.ingest_state import _Context, _Subject, _Tally
from pcip.records.interpret import Interpreted
from pcip.records.readers import Row
from pcip.subjects.models import ResponsibleLink, Subject, SubjectName
from pcip.subjects.service import CIPHER_CONTEXT, SubjectKey, key_ref

_SUBJECT_COLUMNS = tuple(c.key for c in Subject.__table__.columns)
_KEY_COLUMNS = (("uscc:", "uscc"), ("reg:", "registration_no"), ("idx:", "id_index"))


@dataclass
class SubjectsFound:
    """What the reads of a chunk found of its subjects (``find_subjects``)."""

    #: (key, name as sent) of every subject the rows name, legal representatives after.
    wanted: list[tuple[SubjectKey, str]]
    #: Their references (``key_ref``), in the same order.
    refs: list[str]
    #: Every subject by reference: stored ones as read, new ones with their reserved ids.
    by_ref: dict[str, _Subject]
    #: The new subjects' keys and first names, by reference, in the order their ids were given.
    new: dict[str, tuple[SubjectKey, str]]
    #: (organisation, person) pairs named as legal representative, and those already linked.
    pairs: set[tuple[int, int]]
    linked: set[tuple[int, int]]


def find_subjects(ctx: _Context, good: list[tuple[Row, Interpreted]]) -> SubjectsFound:
    """The chunk's subjects found by their keys (Art. 19: by identifier only), ids reserved
    for those not stored yet, and the legal representatives already linked (Art. 33). Reads
    only: ``write_subjects`` writes what this found."""
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
    if new:
        ids = ctx.store.reserve(Subject, len(new))
        for sid, (ref, (key, name)) in zip(ids, new.items(), strict=True):
            by_ref[ref] = _Subject(sid, key.kind.value, name)
    pairs = {
        (by_ref[key_ref(g.key)].id, by_ref[key_ref(g.legal_rep[1])].id)
        for _, g in good
        if g.legal_rep and by_ref[key_ref(g.key)].kind != "person"
    }
    role = ResponsibleRole.LEGAL_REPRESENTATIVE.value
    linked = ctx.store.open_links(sorted(pairs), role) if pairs else set()
    return SubjectsFound(wanted, refs, by_ref, new, pairs, linked)


def write_subjects(
    ctx: _Context,
    good: list[tuple[Row, Interpreted]],
    found: SubjectsFound,
    tally: _Tally,
    now: datetime,
) -> None:
    """Create the new subjects, apply the names the rows report and link the legal
    representatives (Art. 19, 33). Writes only, after ``find_subjects``.

    Names are applied in order, so the last name reported wins and every change lands in the
    name history (a new name never creates a new subject).
    """
    by_ref, new = found.by_ref, found.new
    # Art. 3: a person identified by another document carries the birth date the unit sends
    # (the first one known is kept).
    born = {key_ref(g.key): g.birth_date for _, g in good if g.birth_date is not None}
    names: list[tuple[int, str, datetime, str]] = []
    if new:
        rows = []
        for ref, (key, name) in new.items():
            sid = by_ref[ref].id
            row = subject_row(ctx.ring, key, sid, name, now)
            if row["birth_date"] is None and ref in born:
                row["birth_date"] = born[ref]
            rows.append(tuple(row[c] for c in _SUBJECT_COLUMNS))
            names.append((sid, name, now, ctx.source))
        ctx.store.insert(Subject, _SUBJECT_COLUMNS, rows)
    renamed: dict[int, str] = {}
    for (_, name), ref in zip(found.wanted, found.refs, strict=True):
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
    _links(ctx, found, tally, now)


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError(msg("records.subject_name_empty"), field="name")
    if len(name) > 200:
        raise ValidationError(msg("records.subject_name_too_long", n=len(name)), field="name")
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


def _links(ctx: _Context, found: SubjectsFound, tally: _Tally, now: datetime) -> None:
    """Art. 33: the legal representative named in a row is linked to the organisation."""
    role = ResponsibleRole.LEGAL_REPRESENTATIVE.value
    rows = [
        (org, person, role, ctx.source, now)
        for org, person in sorted(found.pairs - found.linked)
        if org != person
    ]
    ctx.store.insert(
        ResponsibleLink,
        ("subject_id", "person_id", "role", "source", "recorded_at"),
        rows,
    )
    tally.links += len(rows)
