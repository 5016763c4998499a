"""From one submitted row to the facts the platform stores (Art. 16, 19, 21, 23).

``interpret`` validates a row against its catalog item's field schema and reads the fields by
their roles: who the subject is (Art. 19: organisations by USCC only, persons by ID), the basis
document (Art. 21), and the dates the disclosure rules need (Art. 43). It returns either the
interpreted row or every problem found, each naming its field, so a unit can fix the row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pcip import clock
from pcip.catalog.schemas import FieldRole, FieldSpec, FieldType, ItemSpec
from pcip.enums import IdType, Polarity, SubjectKind
from pcip.errors import PcipError
from pcip.identity import (
    is_individual_business_placeholder,
    mask_citizen_id,
    mask_document_number,
    validate_uscc,
)
from pcip.keyring import Keyring
from pcip.records.service import BasisFacts, RecordFacts, content_hash
from pcip.subjects import service as subjects
from pcip.subjects.service import SubjectKey

CAT_PERSON = "自然人"
CAT_INDIVIDUAL_BUSINESS = "个体工商户"
_CITIZEN_DOC_LABELS = frozenset({"", "身份证", "居民身份证", "citizen_id", "01"})
_BASIS_TYPES = {1: "admin_decision", 2: "admin_decision", 3: "admin_decision", 4: "judicial"}


@dataclass(frozen=True)
class RowProblem:
    field: str | None
    code: str
    message: str


@dataclass
class Interpreted:
    key: SubjectKey
    subject_name: str
    payload: dict[str, Any]
    basis: BasisFacts | None
    facts: RecordFacts
    natural_key: str
    #: Keyed digest of the full, unmasked content: what "unchanged" is decided on.
    digest: str
    dropped_fields: list[str] = field(default_factory=list)
    legal_rep: tuple[str, SubjectKey] | None = None


def _parse_date(raw: str) -> date:
    raw = raw.strip()
    # Units send 2024-05-01, 2024/05/01 or 20240501.
    m = re.fullmatch(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})", raw)
    if not m:
        raise ValueError(f"'{raw}' is not a date (use YYYY-MM-DD)")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(f"'{raw}' is not a real date") from None


def check_value(f: FieldSpec, raw: str) -> Any:
    """Convert one non-empty value, or raise ValueError with the reason."""
    if f.max_length is not None and len(raw) > f.max_length:
        raise ValueError(f"is {len(raw)} characters long, at most {f.max_length}")
    if f.type is FieldType.DATE:
        return _parse_date(raw).isoformat()
    if f.type is FieldType.DECIMAL:
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise ValueError(f"'{raw}' is not a number") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"'{raw}' is not a non-negative amount")
        return str(value)
    if f.type is FieldType.INTEGER:
        if not re.fullmatch(r"-?\d{1,18}", raw):
            raise ValueError(f"'{raw}' is not a whole number")
        return int(raw)
    if f.type is FieldType.ENUM and f.choices and raw not in f.choices:
        raise ValueError(f"'{raw}' is not one of: {', '.join(f.choices)}")
    if f.type is FieldType.USCC and not is_individual_business_placeholder(raw):
        return validate_uscc(raw, field=f.name).normalized
    return raw


def _by_role(spec: ItemSpec) -> dict[FieldRole, FieldSpec]:
    return {f.role: f for f in spec.fields if f.role is not None}


def interpret(
    spec: ItemSpec, row: dict[str, Any], ring: Keyring, today: date | None = None
) -> Interpreted | list[RowProblem]:
    problems: list[RowProblem] = []
    known = {f.name: f for f in spec.fields}
    dropped = sorted(k for k in row if k not in known)  # Art. 23: outside the schema
    payload: dict[str, Any] = {}
    for name, f in known.items():
        raw = row.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if f.required:
                problems.append(RowProblem(name, "required", f"{name} ({f.label_en}) is required"))
            continue
        try:
            payload[name] = check_value(f, text)
        except PcipError as exc:
            problems.append(RowProblem(name, "invalid", exc.message))
        except ValueError as exc:
            problems.append(RowProblem(name, "invalid", f"{name} {exc}"))
    if problems:
        return problems
    roles = _by_role(spec)

    def get(role: FieldRole) -> str:
        f = roles.get(role)
        return str(payload.get(f.name, "")) if f else ""

    def fname(role: FieldRole, default: str) -> str:
        f = roles.get(role)
        return f.name if f else default

    try:
        key = _subject_key(spec, get, fname, ring)
        legal_rep = _legal_rep(get, fname, ring)
    except PcipError as exc:
        return [RowProblem(exc.field, "subject", exc.message)]
    basis, basis_problems = _basis(spec, get, fname, today or clock.today())
    if basis_problems:
        return basis_problems
    facts = _facts(spec, get, basis)
    name = get(FieldRole.SUBJECT_NAME) or ""
    if not name:
        return [
            RowProblem(
                fname(FieldRole.SUBJECT_NAME, "subject_name"),
                "required",
                "the subject's name is required",
            )
        ]
    natural = _natural_key(ring, spec, key, payload, basis, get(FieldRole.BASIS_NUMBER))
    digest = content_hash(ring, payload, basis, facts)
    stored = _mask_personal(spec, payload)
    return Interpreted(key, name, stored, basis, facts, natural, digest, dropped, legal_rep)


def _subject_key(spec: ItemSpec, get: Any, fname: Any, ring: Keyring) -> SubjectKey:
    category = get(FieldRole.SUBJECT_CATEGORY)
    uscc = get(FieldRole.SUBJECT_USCC)
    doc_number = get(FieldRole.SUBJECT_DOC_NUMBER)
    uscc_field = fname(FieldRole.SUBJECT_USCC, "uscc")
    if category == CAT_PERSON or (not category and doc_number and not uscc):
        if SubjectKind.PERSON not in spec.subject_kinds:
            raise PcipError(
                f"item {spec.code} does not apply to natural persons",
                field=fname(FieldRole.SUBJECT_CATEGORY, "subject_category"),
            )
        return _person_key(get, fname, ring)
    if not {SubjectKind.LEGAL_PERSON, SubjectKind.ORGANISATION} & set(spec.subject_kinds):
        raise PcipError(
            f"item {spec.code} applies to natural persons only",
            field=fname(FieldRole.SUBJECT_CATEGORY, "subject_category"),
        )
    if category == CAT_INDIVIDUAL_BUSINESS and (
        not uscc or is_individual_business_placeholder(uscc)
    ):
        reg = get(FieldRole.SUBJECT_LEGACY_CODE)
        if not reg:
            raise PcipError(
                "an individual business reported without a USCC needs its registration number",
                field=fname(FieldRole.SUBJECT_LEGACY_CODE, "registration_no"),
            )
        return SubjectKey(SubjectKind.ORGANISATION, IdType.REGISTRATION_NO, registration_no=reg)
    if not uscc:
        raise PcipError(
            "a legal person or organisation is matched only by its USCC (Art. 19); "
            "the USCC is missing",
            field=uscc_field,
        )
    if is_individual_business_placeholder(uscc):
        raise PcipError(
            "the all-zero placeholder USCC is only for individual businesses", field=uscc_field
        )
    return subjects.organisation_by_uscc(uscc, field=uscc_field)


def _person_key(get: Any, fname: Any, ring: Keyring) -> SubjectKey:
    number = get(FieldRole.SUBJECT_DOC_NUMBER)
    number_field = fname(FieldRole.SUBJECT_DOC_NUMBER, "document_number")
    if not number:
        raise PcipError(
            "a natural person is matched by an ID document number (Art. 19); it is missing",
            field=number_field,
        )
    doc_type = get(FieldRole.SUBJECT_DOC_TYPE)
    if doc_type in _CITIZEN_DOC_LABELS:
        return subjects.person_by_citizen_id(ring, number, field=number_field)
    return subjects.person_by_document(
        ring, doc_type, number, get(FieldRole.SUBJECT_DOC_COUNTRY) or None
    )


def _legal_rep(get: Any, fname: Any, ring: Keyring) -> tuple[str, SubjectKey] | None:
    name, number = get(FieldRole.LEGAL_REP_NAME), get(FieldRole.LEGAL_REP_DOC_NUMBER)
    if not (name and number):
        return None
    doc_type = get(FieldRole.LEGAL_REP_DOC_TYPE)
    field = fname(FieldRole.LEGAL_REP_DOC_NUMBER, "legal_rep_document_number")
    if doc_type in _CITIZEN_DOC_LABELS:
        return name, subjects.person_by_citizen_id(ring, number, field=field)
    return name, subjects.person_by_document(ring, doc_type, number, None)


def _basis(
    spec: ItemSpec, get: Any, fname: Any, today: date
) -> tuple[BasisFacts | None, list[RowProblem]]:
    number = get(FieldRole.BASIS_NUMBER)
    negative = spec.polarity is Polarity.NEGATIVE
    if not number:
        if negative:
            return None, [
                RowProblem(
                    fname(FieldRole.BASIS_NUMBER, "basis_number"),
                    "basis",
                    "negative information needs its basis document number (Art. 21)",
                )
            ]
        return None, []
    decided = get(FieldRole.BASIS_DECISION_DATE)
    issuer = get(FieldRole.BASIS_ISSUER)
    if (not decided or not issuer) and not negative:
        return None, []  # a reference number alone: kept in the payload, keys the record
    if not decided or not issuer:
        missing = FieldRole.BASIS_DECISION_DATE if not decided else FieldRole.BASIS_ISSUER
        return None, [
            RowProblem(
                fname(missing, missing.value),
                "basis",
                "the basis document needs its issuer and decision date (Art. 21)",
            )
        ]
    effective = get(FieldRole.BASIS_EFFECTIVE_DATE)
    # Art. 21: negative information rests on an *effective* document; one dated in the future
    # is not yet a basis for anything.
    if date.fromisoformat(decided) > today:
        return None, [
            RowProblem(
                fname(FieldRole.BASIS_DECISION_DATE, "decision_date"),
                "basis",
                f"the decision date {decided} is in the future (Art. 21)",
            )
        ]
    if negative and effective and date.fromisoformat(effective) > today:
        return None, [
            RowProblem(
                fname(FieldRole.BASIS_EFFECTIVE_DATE, "effective_date"),
                "basis",
                f"the basis document takes effect on {effective}, in the future;"
                " submit it once it is effective (Art. 21)",
            )
        ]
    return BasisFacts(
        doc_type=_BASIS_TYPES.get(spec.scope_category, "admin_decision"),
        number=number,
        issuer=issuer,
        issuer_uscc=get(FieldRole.BASIS_ISSUER_USCC) or None,
        title=get(FieldRole.BASIS_TITLE) or None,
        decision_date=date.fromisoformat(decided),
        effective_date=date.fromisoformat(effective) if effective else None,
    ), []


def _facts(spec: ItemSpec, get: Any, basis: BasisFacts | None) -> RecordFacts:
    def d(role: FieldRole) -> date | None:
        v = get(role)
        return date.fromisoformat(v) if v else None

    return RecordFacts(
        severity=get(FieldRole.SEVERITY) or None,
        conduct_end_date=d(FieldRole.CONDUCT_END_DATE),
        valid_from=d(FieldRole.VALID_FROM),
        valid_to=d(FieldRole.VALID_TO),
        publicity_end=d(FieldRole.PUBLICITY_END),
    )


def _mask_personal(spec: ItemSpec, payload: dict[str, Any]) -> dict[str, Any]:
    """Art. 27: personal identifiers are not kept in the clear in a record's payload.

    The person they identify is the record's subject (or a linked subject), whose number is
    encrypted on the subject row; the payload keeps only the masked form for display.
    """
    out = dict(payload)
    for f in spec.fields:
        value = out.get(f.name)
        if f.personal and isinstance(value, str) and value:
            looks_like_id = len(value) == 18 and value[:17].isdigit()
            out[f.name] = mask_citizen_id(value) if looks_like_id else mask_document_number(value)
    return out


def _natural_key(
    ring: Keyring,
    spec: ItemSpec,
    key: SubjectKey,
    payload: dict[str, Any],
    basis: BasisFacts | None,
    number: str,
) -> str:
    """What makes a resubmission "the same record" (idempotency; Issue: unit+item+document).

    The basis document number when there is one; for registration information (Art. 18(1))
    one record per subject; otherwise the content itself, so an identical row is recognised.
    """
    if basis is not None:
        return f"doc:{basis.issuer_uscc or basis.issuer}:{basis.number}"[:255]
    if number:
        return f"doc:{number}"[:255]
    subject_ref = key.uscc or key.registration_no or key.index or ""
    if spec.scope_category == 1:
        return f"subject:{subject_ref}"
    raw = repr(sorted(payload.items())) + subject_ref
    return "content:" + ring.blind_index("record.natural_key", raw)
