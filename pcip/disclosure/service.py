"""From stored facts to disclosure decisions: load a subject's records and apply the rules.

This module reads; ``pcip.disclosure.rules.decide`` judges. Every inquiry mode goes through
``held_records`` and ``disclose``, so what the public, a unit, a third party and the subject
see differs only by the mode and purpose passed to the one rule function (Art. 22).
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from pcip.catalog.models import CatalogItem
from pcip.catalog.schemas import FieldRole, ItemSpec
from pcip.catalog.service import item_entry, item_versions, personal_fields
from pcip.clock import legal_day
from pcip.disclosure import rules
from pcip.kernel.driver import DriverStatement
from pcip.kernel.enums import (
    DisclosureClass,
    InfoClass,
    InquiryMode,
    Polarity,
    Severity,
    SubjectKind,
)
from pcip.kernel.masking import mask_name
from pcip.providers.models import Provider
from pcip.records.models import BasisDocument, Batch, CreditRecord, RecordEvent, RecordVersion
from pcip.subjects.models import Subject


@dataclass
class HeldVersion:
    version: RecordVersion
    item: CatalogItem
    spec: ItemSpec
    catalog_version: str
    basis: BasisDocument | None
    batch: Batch | None
    facts: rules.RecordFacts


@dataclass
class HeldRecord:
    """One record with every version (oldest first), its provider and its dated events."""

    record: CreditRecord
    provider: Provider
    versions: list[HeldVersion] = field(default_factory=list)
    events: list[RecordEvent] = field(default_factory=list)

    def version_on(self, on: date) -> HeldVersion | None:
        """The version that was the record on day ``on`` (None: not yet held)."""
        current = None
        for held in self.versions:
            if held.facts.recorded_on <= on:
                current = held
        return current

    @property
    def latest(self) -> HeldVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Disclosed:
    held: HeldRecord
    version: HeldVersion
    decision: rules.Decision


_SUBJECT: BindParameter[int] = bindparam("subject_id")
#: Built once: constructing a statement of this size costs more than running it.
_HELD = (
    select(
        CreditRecord,
        RecordVersion,
        BasisDocument,
        Batch,
        Provider,
        select(RecordEvent.id)
        .where(RecordEvent.record_id == CreditRecord.id, RecordEvent.subject_id == _SUBJECT)
        .exists(),
    )
    .join(
        RecordVersion,
        (RecordVersion.record_id == CreditRecord.id)
        & (RecordVersion.subject_id == CreditRecord.subject_id),
    )
    .join(Provider, Provider.id == CreditRecord.provider_id)
    .outerjoin(BasisDocument, BasisDocument.id == RecordVersion.basis_id)
    .outerjoin(Batch, Batch.id == RecordVersion.batch_id)
    .where(CreditRecord.subject_id == _SUBJECT)
    .order_by(CreditRecord.id, RecordVersion.version)
)
_EVENTS = (
    select(RecordEvent)
    .where(RecordEvent.subject_id == _SUBJECT)
    .order_by(RecordEvent.effective_on, RecordEvent.id)
)


class _Rows:
    """One mapped class read as plain rows: a named tuple of the columns in ``read``, under the
    names of their attributes (issue 22: the hot path builds no ORM object, no identity map, no
    instance state; the rules and the answer only read these columns). The primary key comes
    first: an outer join that found nothing gives it as NULL."""

    def __init__(self, model: type[Any], read: tuple[str, ...]) -> None:
        by_key = {a.key: a for a in sa_inspect(model).column_attrs}
        attrs = [by_key[k] for k in read]
        assert attrs[0].columns[0].primary_key, model
        self.model = model
        self.columns = [a.columns[0] for a in attrs]
        kind: Any = namedtuple(f"{model.__name__}Row", [a.key for a in attrs])  # type: ignore[misc]
        self.type: type[tuple[Any, ...]] = kind
        self.make: Callable[[Iterable[Any]], tuple[Any, ...]] = kind._make

    def __len__(self) -> int:
        return len(self.columns)


#: The entities of one row of ``_with_subject``, in order, with the columns the rules
#: (``record_facts``, ``later_rules``), the answers (``pcip.inquiry.present``) and the inquiry
#: service read of them; ``ROW_TYPES`` for tests. Issue 22: with every column of the six
#: tables the statement cost PostgreSQL 0.82-1.13 ms against 0.59-0.64 (docs/performance.md),
#: and the server a loader per value. A column left out is not there to read
#: (``AttributeError``): the inquiry tests read every one used.
_ROWS = (
    _Rows(Subject, ("id", "kind", "uscc", "registration_no", "id_masked", "birth_date", "name")),
    _Rows(CreditRecord, ("id", "polarity", "info_class")),
    _Rows(
        RecordVersion,
        (
            "id",
            "version",
            "item_id",
            "payload",
            "batch_id",
            "severity",
            "conduct_end_date",
            "publicity_end",
            "reason",
            "cause_type",
            "cause_id",
            "recorded_at",
        ),
    ),
    _Rows(BasisDocument, ("id", "doc_type", "number", "issuer", "decision_date", "effective_date")),
    _Rows(Batch, ("id", "received_at", "source_sha256")),
    _Rows(Provider, ("id", "uscc", "name")),
)
ROW_TYPES = {r.model: r.type for r in _ROWS}


def _with_subject(which: ColumnElement[bool]) -> Select[Any]:
    """The subject ``which`` selects (at most one) with its records, every version, basis
    document, batch and provider, in one statement: the subject's row comes once per version
    (or alone, outer-joined, when nothing is held). Core columns only, from the tables (no ORM
    entity in it, so executing it loads none)."""
    s, r, v, b, bt, p, e = (
        Subject.__table__.c,
        CreditRecord.__table__.c,
        RecordVersion.__table__.c,
        BasisDocument.__table__.c,
        Batch.__table__.c,
        Provider.__table__.c,
        RecordEvent.__table__.c,
    )
    one = select(s.id).where(which).order_by(s.id).limit(1).scalar_subquery()
    return (
        select(
            *(c for rows in _ROWS for c in rows.columns),
            select(e.id).where(e.record_id == r.id, e.subject_id == s.id).exists(),
        )
        .select_from(Subject.__table__)
        .outerjoin(CreditRecord.__table__, r.subject_id == s.id)
        .outerjoin(RecordVersion.__table__, (v.record_id == r.id) & (v.subject_id == r.subject_id))
        .outerjoin(Provider.__table__, p.id == r.provider_id)
        .outerjoin(BasisDocument.__table__, b.id == v.basis_id)
        .outerjoin(Batch.__table__, bt.id == v.batch_id)
        .where(s.id == one)
        .order_by(r.id, v.version)
    )


_S = Subject.__table__.c
#: Issue 22: the subject and what is held about it in one round trip, by id (self and
#: authorized inquiries) or by an organisation's USCC or registration number (public pages).
_BY_ID = DriverStatement(_with_subject(_S.id == _SUBJECT))
_BY_CODE = DriverStatement(
    _with_subject(
        (_S.kind != SubjectKind.PERSON.value)
        & ((_S.uscc == bindparam("code")) | (_S.registration_no == bindparam("reg_no")))
    )
)


def _split(row: Any) -> list[Any]:
    """One row of ``_with_subject`` as (subject, record, version, basis, batch, provider,
    has events): each entity a named tuple, or None where the outer join found nothing (its
    primary key is NULL)."""
    out: list[Any] = []
    start = 0
    for rows in _ROWS:
        part = row[start : start + len(rows)]
        start += len(rows)
        out.append(None if part[0] is None else rows.make(part))
    out.append(row[start])
    return out


def subject_and_records(
    session: Session,
    *,
    subject_id: int | None = None,
    organisation: tuple[str, str] | None = None,
    items: Collection[str] | None = None,
    categories: Collection[int] | None = None,
) -> tuple[Subject | None, list[HeldRecord]]:
    """The subject (by id, or an organisation by ``(uscc, registration_no)``) and every record
    held about it, as ``held_records`` gives them, read in one statement (None: no subject).

    Issue 22: the subject, records, versions, basis documents, batches and providers come back
    as plain rows (named tuples with the entities' attribute names, ``ROW_TYPES``), not ORM
    objects, and with only the columns in ``_ROWS``: read-only, and the rules and the answers
    read nothing else of them. The statement runs on the driver's cursor
    (``pcip.kernel.driver``), in the session's transaction.
    ``tests/disclosure`` checks that both reads give the same decisions on generated records.
    """
    conn = session.connection()
    if organisation is not None:
        code, reg_no = organisation
        result = _BY_CODE.rows(conn, {"code": code, "reg_no": reg_no})
    else:
        result = _BY_ID.rows(conn, {"subject_id": subject_id})
    rows = [_split(row) for row in result]
    if not rows:
        return None, []
    subject = cast(Subject, rows[0][0])
    held = [row[1:] for row in rows if row[1] is not None and row[2] is not None]
    return subject, _assemble(session, subject, held, items, categories)


def held_records(
    session: Session,
    subject: Subject,
    *,
    items: Collection[str] | None = None,
    categories: Collection[int] | None = None,
) -> list[HeldRecord]:
    """Every record held about ``subject`` (optionally within an item/category scope).

    One statement reads the records with every version, basis document, batch and provider
    (and whether any record has dated events; a second statement reads those only then).
    Catalog items come from ``catalog.service.item_entry``: item versions never change.
    """
    rows = session.execute(_HELD, {"subject_id": subject.id}).all()
    return _assemble(session, subject, rows, items, categories)


def _assemble(
    session: Session,
    subject: Subject,
    rows: Sequence[Any],
    items: Collection[str] | None,
    categories: Collection[int] | None,
) -> list[HeldRecord]:
    """Rows of (record, version, basis, batch, provider, has events) into held records."""
    if not rows:
        return []
    events: dict[int, list[RecordEvent]] = defaultdict(list)
    if any(row[5] for row in rows):
        for e in session.scalars(_EVENTS, {"subject_id": subject.id}):
            events[e.record_id].append(e)
    by_record: dict[int, list[tuple[RecordVersion, BasisDocument | None, Batch | None]]] = {}
    records: dict[int, tuple[CreditRecord, Provider]] = {}
    for record, version, document, source, provider, _ in rows:
        if record.id not in records:
            records[record.id] = (record, provider)
            by_record[record.id] = []
        by_record[record.id].append((version, document, source))

    out: list[HeldRecord] = []
    for rid, (record, provider) in records.items():
        mine = by_record[rid]
        held = HeldRecord(record, provider, events=events[rid])
        for i, (v, basis, batch) in enumerate(mine):
            item, spec, cat_version = item_entry(session, v.item_id)
            if items is not None or categories is not None:
                in_scope = (items is not None and spec.code in items) or (
                    categories is not None and spec.scope_category in categories
                )
                if not in_scope:
                    break
            later = mine[i + 1][0] if i + 1 < len(mine) else None
            facts = record_facts(subject, record, v, spec, basis, held.events, later)
            if facts.polarity is Polarity.NEGATIVE:
                facts = replace(facts, later_rules=later_rules(session, v.item_id, spec, facts))
            held.versions.append(HeldVersion(v, item, spec, cat_version, basis, batch, facts))
        if held.versions:
            out.append(held)
    return out


def record_facts(
    subject: Subject,
    record: CreditRecord,
    v: RecordVersion,
    spec: ItemSpec,
    basis: BasisDocument | None,
    events: list[RecordEvent],
    later: RecordVersion | None,
) -> rules.RecordFacts:
    """The facts the rules look at for one version (dates, classes, dated outcomes)."""
    first: dict[str, date] = {}
    for e in events:
        first.setdefault(e.kind, e.effective_on)
    kind = SubjectKind(subject.kind)
    ended_on, end_reason, revoked_on = _unit_dates(spec, v.payload)
    return rules.RecordFacts(
        item_code=spec.code,
        polarity=Polarity(record.polarity),
        info_class=InfoClass(record.info_class),
        disclosure_class=DisclosureClass(spec.disclosure_class),
        subject_kind=kind,
        recorded_on=legal_day(v.recorded_at),
        subject_birth_date=subject.birth_date,
        severity=Severity(v.severity) if v.severity else None,
        severity_classes=spec.severity_classes,
        default_severity=spec.default_severity,
        inquiry_period=spec.inquiry_period,
        publicity=spec.publicity_for(kind),
        decision_date=basis.decision_date if basis else None,
        effective_date=basis.effective_date if basis else None,
        conduct_end_date=v.conduct_end_date,
        publicity_end=v.publicity_end,
        ended_on=ended_on,
        end_reason=end_reason,
        revoked_on=revoked_on,
        superseded_on=legal_day(later.recorded_at) if later is not None else None,
        basis_revoked_on=first.get("basis_revoked"),
        provision_stopped_on=first.get("provision_stopped"),
        restored_on=first.get("restored"),
        removed_on=first.get("removed"),
        objections=objection_intervals(events),
        personal_fields=personal_fields(spec),
    )


def later_rules(
    session: Session, item_id: int, spec: ItemSpec, facts: rules.RecordFacts
) -> tuple[rules.PeriodRules, ...]:
    """The period rules of the versions of this item published after the one the record was
    accepted under (``rules.decide`` applies the lighter rule once each is in force)."""
    versions = item_versions(session, spec.code)
    ids = [iid for _, iid in versions]
    if item_id not in ids:
        return ()
    out = []
    for day, iid in versions[ids.index(item_id) + 1 :]:
        _, later_spec, _ = item_entry(session, iid)
        out.append(
            rules.PeriodRules(
                effective_from=day,
                severity_classes=later_spec.severity_classes,
                default_severity=later_spec.default_severity,
                inquiry_period=later_spec.inquiry_period,
                publicity=later_spec.publicity_for(facts.subject_kind),
            )
        )
    return tuple(out)


_END_ROLES: dict[int, tuple[ItemSpec, str | None, str | None, str | None]] = {}


def _unit_dates(
    spec: ItemSpec, payload: dict[str, Any]
) -> tuple[date | None, str | None, date | None]:
    """The unit's own end (removal, deletion), its reason and a revocation, read from the
    stored payload by field role (docs/facts.md#publicity-periods: they end disclosure on that
    day)."""
    got = _END_ROLES.get(id(spec))
    if got is None or got[0] is not spec:
        by_role = {f.role: f.name for f in spec.fields if f.role is not None}
        got = (
            spec,
            by_role.get(FieldRole.ENDED_ON),
            by_role.get(FieldRole.END_REASON),
            by_role.get(FieldRole.REVOKED_ON),
        )
        if len(_END_ROLES) >= 1024:
            _END_ROLES.clear()
        _END_ROLES[id(spec)] = got
    _, ended, reason, revoked = got

    def day(name: str | None) -> date | None:
        value = payload.get(name) if name else None
        return date.fromisoformat(value) if isinstance(value, str) and value else None

    text = payload.get(reason) if reason else None
    return day(ended), str(text) if text else None, day(revoked)


def objection_intervals(events: list[RecordEvent]) -> tuple[rules.Interval, ...]:
    """Art. 41 label periods from label-on / label-off events (open while no label-off)."""
    out: list[rules.Interval] = []
    start: date | None = None
    for e in events:
        if e.kind == "objection_label_on" and start is None:
            start = e.effective_on
        elif e.kind == "objection_label_off" and start is not None:
            # Art. 42: the label goes the moment the case is decided, so the day it is
            # removed is no longer a labelled day.
            if e.effective_on > start:
                out.append(rules.Interval(start, e.effective_on - timedelta(days=1)))
            start = None
    if start is not None:
        out.append(rules.Interval(start))
    return tuple(out)


def disclose(
    held: list[HeldRecord], mode: InquiryMode, on: date, purpose: str | None = None
) -> list[Disclosed]:
    """What ``mode`` is given on day ``on``: for each record, the version of that day, if any.

    The subject's own view (``SELF``) gets every record, each with its decision (D-6).
    """
    out: list[Disclosed] = []
    for h in held:
        version = h.version_on(on)
        if version is None:
            continue
        decision = rules.decide(version.facts, mode, on, purpose)
        if decision.visible:
            out.append(Disclosed(h, version, decision))
    return out


def masked_payload(d: Disclosed) -> dict[str, Any]:
    """The payload with every field the decision masks replaced by its masked form."""
    payload = dict(d.version.version.payload)
    masked = set(d.decision.masked)
    name_fields = {f.name for f in d.version.spec.fields if f.role is FieldRole.SUBJECT_NAME}
    for f in d.version.spec.fields:
        value = payload.get(f.name)
        if value is None or value == "":
            continue
        if f.name in masked and f.name not in name_fields:
            payload[f.name] = _mask_value(str(value))
        if "subject.name" in masked and f.name in name_fields:
            payload[f.name] = mask_name(str(value))
    return payload


def _mask_value(value: str) -> str:
    """Personal values are already masked at ingestion; masking again is idempotent."""
    if "*" in value:
        return value
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]
