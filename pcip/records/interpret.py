"""From one submitted row to the facts the platform stores (Art. 16, 19, 21, 23).

``interpret`` validates a row against its catalog item's field schema and reads the fields by
their roles: who the subject is (Art. 19: organisations by USCC only, persons by ID), the basis
document (Art. 21), and the dates the disclosure rules need (Art. 43). It returns either the
interpreted row or every problem found, each naming its field, so a unit can fix the row.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pcip import clock
from pcip.catalog.schemas import SEVERITY_WORDS, FieldRole, FieldSpec, FieldType, ItemSpec
from pcip.errors import PcipError
from pcip.identity import (
    is_individual_business_placeholder,
    mask_citizen_id,
    mask_document_number,
    validate_uscc,
)
from pcip.identity.uscc import Uscc
from pcip.kernel.enums import IdType, Polarity, SubjectKind
from pcip.kernel.keys.keyring import Keyring
from pcip.kernel.messages import Both, Message, msg
from pcip.records.service import BasisFacts, RecordFacts, content_hash_and_json
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
    #: ``payload`` as canonical JSON text (what is stored).
    payload_json: str = ""
    #: A natural person's birth date as the unit sent it (Art. 3; persons without a citizen ID).
    birth_date: date | None = None


_DATE = re.compile(r"(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})")
_INTEGER = re.compile(r"-?\d{1,18}")


def _parse_date(raw: str) -> date:
    raw = raw.strip()
    # Units send 2024-05-01, 2024/05/01 or 20240501.
    m = _DATE.fullmatch(raw)
    if not m:
        raise ValueError(msg("records.value_not_date", raw=raw))
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValueError(msg("records.value_not_real_date", raw=raw)) from None


def _date_value(raw: str) -> str:
    got = _DATES.get(raw)
    if got is not None:
        return got
    # Fast path for the canonical form (almost every value): the same answer as the general
    # parser, which would read these digits and write them back unchanged.
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and raw.isascii():
        try:
            date.fromisoformat(raw)
        except ValueError:
            got = None
        else:
            got = raw
    if got is None:
        got = _parse_date(raw).isoformat()  # raises with the reason
    return _remember(_DATES, raw, got)


def _decimal_value(raw: str) -> str:
    got = _DECIMALS.get(raw)
    if got is not None:
        return got
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(msg("records.value_not_number", raw=raw)) from None
    if not value.is_finite() or value < 0:
        raise ValueError(msg("records.value_negative", raw=raw))
    return _remember(_DECIMALS, raw, str(value))


#: Converted dates and amounts by the text submitted: a file's values repeat (a few thousand
#: days, the usual fines), and each conversion is a pure function of its text. Only values
#: that convert are kept; a bad one is checked (and refused) every time.
_DATES: dict[str, str] = {}
_DECIMALS: dict[str, str] = {}


def _remember(cache: dict[str, str], raw: str, value: str) -> str:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[raw] = value
    return value


def _integer_value(raw: str) -> int:
    if not _INTEGER.fullmatch(raw):
        raise ValueError(msg("records.value_not_whole", raw=raw))
    return int(raw)


#: Validated USCCs by the text submitted (the issuer's code repeats on every row of a file).
_USCC_CACHE: dict[str, str] = {}
#: The same codes parsed, by their normalised text: the subject's key is made from the parse
#: of its field's check instead of validating the code a second time.
_PARSED_USCC: dict[str, Uscc] = {}
#: Bound of each of these caches: they serve the values that repeat row after row (the
#: issuing unit's code), and stay small whatever the file's size.
_CACHE_LIMIT = 4096


def _uscc_value(raw: str, name: str) -> str:
    got = _USCC_CACHE.get(raw)
    if got is None:
        parsed = validate_uscc(raw, field=name)  # raises with the reason
        got = parsed.normalized
        if len(_USCC_CACHE) >= _CACHE_LIMIT:
            _USCC_CACHE.clear()
        if len(_PARSED_USCC) >= _CACHE_LIMIT:
            _PARSED_USCC.clear()
        _USCC_CACHE[raw] = got
        _PARSED_USCC[got] = parsed
    return got


Checker = Callable[[str], Any]


def _checker(f: FieldSpec) -> Checker:
    """The conversion of one non-empty value of ``f``: returns it, or raises ValueError (or a
    PcipError naming the field) with the reason. ``interpret`` takes the same three steps
    inline: codes read as their words, the length limit, the type's conversion."""
    folded, limit, convert = _folded_codes(f), f.max_length, _conversion(f)

    def check(raw: str) -> Any:
        if folded is not None:
            raw = folded.get(raw.casefold(), raw)
        if limit is not None and len(raw) > limit:
            raise ValueError(_too_long(raw, limit))
        return raw if convert is None else convert(raw)

    return check


def _folded_codes(f: FieldSpec) -> dict[str, str] | None:
    # Codes and other spellings units send ("01", "3", "严重失信") are read as the word stored
    # and shown; the word itself is accepted as is.
    return {k.casefold(): v for k, v in f.codes.items()} if f.codes else None


def _too_long(raw: str, limit: int) -> Message:
    return msg("records.value_too_long", n=len(raw), limit=limit)


def value_reason(exc: ValueError) -> str:
    """Why a value check failed: its coded message (rendered in the reader's language) when
    it has one, else the exception's text."""
    reason = exc.args[0] if exc.args else None
    return reason if isinstance(reason, Message) else str(exc)


def _conversion(f: FieldSpec) -> Checker | None:
    """The type's conversion of a value within its length limit (None: kept as sent)."""
    if f.type is FieldType.DATE:
        return _date_value
    if f.type is FieldType.DECIMAL:
        return _decimal_value
    if f.type is FieldType.INTEGER:
        return _integer_value
    if f.type is FieldType.ENUM and f.choices:
        allowed, listed = frozenset(f.choices), list(f.choices)

        def choice(raw: str) -> str:
            if raw not in allowed:
                raise ValueError(msg("records.value_not_choice", raw=raw, listed=listed))
            return raw

        return choice
    if f.type is FieldType.USCC:
        name = f.name

        def uscc(raw: str) -> str:
            # A code seen before is valid, so not the placeholder: no need to test that again.
            got = _USCC_CACHE.get(raw)
            if got is not None:
                return got
            return raw if is_individual_business_placeholder(raw) else _uscc_value(raw, name)

        return uscc
    return None


def check_value(f: FieldSpec, raw: str) -> Any:
    """Convert one non-empty value, or raise ValueError with the reason."""
    return _checker(f)(raw)


@dataclass(frozen=True)
class _Plan:
    """An item's field schema compiled for interpretation: built once per spec, not per row."""

    spec: ItemSpec
    #: (name, required, "required" message, codes, length limit, conversion, role) in schema
    #: order: ``_checker``'s steps, taken inline by ``interpret`` (a call per field and row
    #: was a tenth of its time).
    fields: tuple[
        tuple[str, bool, str, dict[str, str] | None, int | None, Checker | None, FieldRole | None],
        ...,
    ]
    known: frozenset[str]
    by_role: dict[FieldRole, str]
    personal: tuple[str, ...]
    birth_dates: frozenset[str]
    negative: bool
    persons: bool
    organisations: bool
    basis_type: str
    #: Subject keys of natural persons by (number, document type, country, field, day).
    people: dict[tuple[str, str, str, str, date], SubjectKey] = field(default_factory=dict)

    def fname(self, role: FieldRole, default: str) -> str:
        return self.by_role.get(role, default)


_PLANS: dict[int, _Plan] = {}


def _plan(spec: ItemSpec) -> _Plan:
    # Keyed by identity: the cached plan holds the spec, so its id cannot be reused meanwhile.
    plan = _PLANS.get(id(spec))
    if plan is not None and plan.spec is spec:
        return plan
    if len(_PLANS) >= 256:
        _PLANS.clear()
    plan = _Plan(
        spec=spec,
        fields=tuple(
            (
                f.name,
                f.required,
                msg("records.required", field=f.name, label=Both(f.label("zh_CN"), f.label("en"))),
                _folded_codes(f),
                f.max_length,
                _conversion(f),
                f.role,
            )
            for f in spec.fields
        ),
        known=frozenset(f.name for f in spec.fields),
        by_role={f.role: f.name for f in spec.fields if f.role is not None},
        personal=tuple(f.name for f in spec.fields if f.personal),
        birth_dates=frozenset(
            f.name for f in spec.fields if f.role is FieldRole.SUBJECT_BIRTH_DATE
        ),
        negative=spec.polarity is Polarity.NEGATIVE,
        persons=SubjectKind.PERSON in spec.subject_kinds,
        organisations=bool(
            {SubjectKind.LEGAL_PERSON, SubjectKind.ORGANISATION} & set(spec.subject_kinds)
        ),
        basis_type=_BASIS_TYPES.get(spec.scope_category, "admin_decision"),
    )
    _PLANS[id(spec)] = plan
    return plan


def interpret(
    spec: ItemSpec, row: Mapping[str, Any], ring: Keyring, today: date | None = None
) -> Interpreted | list[RowProblem]:
    plan = _plan(spec)
    problems: list[RowProblem] = []
    extra = row.keys() - plan.known
    dropped = sorted(extra) if extra else []  # Art. 23: outside the schema
    payload: dict[str, Any] = {}
    #: The values of the fields that have a role, as text (what the roles are read from).
    roles: dict[FieldRole, str] = {}
    for name, required, missing, folded, limit, convert, role in plan.fields:
        raw = row.get(name)
        if raw is None:
            text = ""
        elif type(raw) is str:
            text = raw.strip()
        else:
            text = str(raw).strip()
        if not text:
            if required:
                problems.append(RowProblem(name, "required", missing))
            continue
        # The steps of ``_checker``, inline.
        if folded is not None:
            text = folded.get(text.casefold(), text)
        if limit is not None and len(text) > limit:
            why = _too_long(text, limit)
            problems.append(
                RowProblem(name, "invalid", msg("records.invalid", field=name, why=why))
            )
            continue
        if convert is None:
            payload[name] = text
            if role is not None:
                roles[role] = text
            continue
        try:
            value = payload[name] = convert(text)
        except PcipError as exc:
            problems.append(RowProblem(name, "invalid", exc.message))
        except ValueError as exc:
            problems.append(
                RowProblem(
                    name, "invalid", msg("records.invalid", field=name, why=value_reason(exc))
                )
            )
        else:
            if role is not None:
                roles[role] = value if type(value) is str else str(value)
    if problems:
        return problems
    try:
        key = _subject_key(plan, roles, ring)
        legal_rep = _legal_rep(plan, roles, ring)
    except PcipError as exc:
        return [RowProblem(exc.field, "subject", exc.message)]
    basis, basis_problems = _basis(plan, roles, today or clock.today())
    if basis_problems:
        return basis_problems
    facts = _facts(roles)
    name = roles.get(FieldRole.SUBJECT_NAME, "")
    if not name:
        return [
            RowProblem(
                plan.fname(FieldRole.SUBJECT_NAME, "subject_name"),
                "required",
                msg("records.name_required"),
            )
        ]
    number = roles.get(FieldRole.BASIS_NUMBER, "")
    natural = _natural_key(ring, spec, key, payload, basis, number)
    # Every payload value is a field check's result: a string, or an integer of at most 18
    # digits (``_integer_value``).
    digest, text = content_hash_and_json(ring, payload, basis, facts, plain=True)
    stored, stored_text = _mask_personal(plan, payload, text)
    born = roles.get(FieldRole.SUBJECT_BIRTH_DATE)
    birth_date = date.fromisoformat(born) if born and key.kind is SubjectKind.PERSON else None
    return Interpreted(
        key,
        name,
        stored,
        basis,
        facts,
        natural,
        digest,
        dropped,
        legal_rep,
        stored_text,
        birth_date,
    )


def _subject_key(plan: _Plan, roles: dict[FieldRole, str], ring: Keyring) -> SubjectKey:
    spec = plan.spec
    category = roles.get(FieldRole.SUBJECT_CATEGORY, "")
    uscc = roles.get(FieldRole.SUBJECT_USCC, "")
    doc_number = roles.get(FieldRole.SUBJECT_DOC_NUMBER, "")
    uscc_field = plan.fname(FieldRole.SUBJECT_USCC, "uscc")
    if category == CAT_PERSON or (not category and doc_number and not uscc):
        if not plan.persons:
            raise PcipError(
                msg("records.organisations_only", item=spec.code),
                field=plan.fname(FieldRole.SUBJECT_CATEGORY, "subject_category"),
            )
        return _person_key(plan, roles, ring)
    if not plan.organisations:
        raise PcipError(
            msg("records.persons_only", item=Both(spec.name_zh, spec.name_en)),
            field=plan.fname(FieldRole.SUBJECT_CATEGORY, "subject_category"),
        )
    if category == CAT_INDIVIDUAL_BUSINESS and (
        not uscc or is_individual_business_placeholder(uscc)
    ):
        reg = roles.get(FieldRole.SUBJECT_LEGACY_CODE, "")
        if not reg:
            raise PcipError(
                msg("records.registration_no_needed"),
                field=plan.fname(FieldRole.SUBJECT_LEGACY_CODE, "registration_no"),
            )
        return SubjectKey(SubjectKind.ORGANISATION, IdType.REGISTRATION_NO, registration_no=reg)
    if not uscc:
        raise PcipError(
            msg("records.uscc_missing"),
            field=uscc_field,
        )
    # A parsed code is a valid one, never the placeholder.
    if uscc not in _PARSED_USCC and is_individual_business_placeholder(uscc):
        raise PcipError(msg("records.placeholder_uscc"), field=uscc_field)
    return _organisation_key(uscc, uscc_field)


_ORGANISATIONS: dict[tuple[str, str], SubjectKey] = {}


def _organisation_key(uscc: str, field: str) -> SubjectKey:
    got = _ORGANISATIONS.get((uscc, field))
    if got is None:
        parsed = _PARSED_USCC.get(uscc)
        if parsed is not None:  # validated by its field's check
            got = subjects.organisation_key(parsed, field=field)
        else:
            got = subjects.organisation_by_uscc(uscc, field=field)  # raises with the reason
        if len(_ORGANISATIONS) >= _CACHE_LIMIT:
            _ORGANISATIONS.clear()
        _ORGANISATIONS[(uscc, field)] = got
    return got


def _person(
    plan: _Plan, ring: Keyring, doc_type: str, number: str, country: str | None, field: str
) -> SubjectKey:
    """A natural person's key; remembered per plan (the same people recur in a file)."""
    # The identifier checks use the platform clock (a birth date after today is refused).
    cache_key = (number, doc_type, country or "", field, clock.today())
    got = plan.people.get(cache_key)
    if got is not None:
        return got
    if doc_type in _CITIZEN_DOC_LABELS:
        got = subjects.person_by_citizen_id(ring, number, field=field)
    else:
        got = subjects.person_by_document(ring, doc_type, number, country)
    if len(plan.people) >= _CACHE_LIMIT:
        plan.people.clear()
    plan.people[cache_key] = got
    return got


def _person_key(plan: _Plan, roles: dict[FieldRole, str], ring: Keyring) -> SubjectKey:
    number = roles.get(FieldRole.SUBJECT_DOC_NUMBER, "")
    number_field = plan.fname(FieldRole.SUBJECT_DOC_NUMBER, "document_number")
    if not number:
        raise PcipError(
            msg("records.document_number_missing"),
            field=number_field,
        )
    doc_type = roles.get(FieldRole.SUBJECT_DOC_TYPE, "")
    country = roles.get(FieldRole.SUBJECT_DOC_COUNTRY) or None
    return _person(plan, ring, doc_type, number, country, number_field)


def _legal_rep(
    plan: _Plan, roles: dict[FieldRole, str], ring: Keyring
) -> tuple[str, SubjectKey] | None:
    name = roles.get(FieldRole.LEGAL_REP_NAME, "")
    number = roles.get(FieldRole.LEGAL_REP_DOC_NUMBER, "")
    if not (name and number):
        return None
    doc_type = roles.get(FieldRole.LEGAL_REP_DOC_TYPE, "")
    field = plan.fname(FieldRole.LEGAL_REP_DOC_NUMBER, "legal_rep_document_number")
    return name, _person(plan, ring, doc_type, number, None, field)


def _basis(
    plan: _Plan, roles: dict[FieldRole, str], today: date
) -> tuple[BasisFacts | None, list[RowProblem]]:
    fname = plan.fname
    number = roles.get(FieldRole.BASIS_NUMBER, "")
    negative = plan.negative
    if not number:
        if negative:
            return None, [
                RowProblem(
                    fname(FieldRole.BASIS_NUMBER, "basis_number"),
                    "basis",
                    msg("records.basis_number_needed"),
                )
            ]
        return None, []
    decided = roles.get(FieldRole.BASIS_DECISION_DATE, "")
    issuer = roles.get(FieldRole.BASIS_ISSUER, "")
    if (not decided or not issuer) and not negative:
        return None, []  # a reference number alone: kept in the payload, keys the record
    if not decided or not issuer:
        missing = FieldRole.BASIS_DECISION_DATE if not decided else FieldRole.BASIS_ISSUER
        return None, [
            RowProblem(
                fname(missing, missing.value),
                "basis",
                msg("records.basis_issuer_date_needed"),
            )
        ]
    effective = roles.get(FieldRole.BASIS_EFFECTIVE_DATE, "")
    decision_date = date.fromisoformat(decided)
    # Art. 21: negative information rests on an *effective* document; one dated in the future
    # is not yet a basis for anything.
    if decision_date > today:
        return None, [
            RowProblem(
                fname(FieldRole.BASIS_DECISION_DATE, "decision_date"),
                "basis",
                msg("records.decision_in_future", day=decided),
            )
        ]
    effective_date = date.fromisoformat(effective) if effective else None
    if negative and effective_date is not None and effective_date > today:
        return None, [
            RowProblem(
                fname(FieldRole.BASIS_EFFECTIVE_DATE, "effective_date"),
                "basis",
                msg("records.not_yet_effective", day=effective),
            )
        ]
    return BasisFacts(
        doc_type=plan.basis_type,
        number=number,
        issuer=issuer,
        issuer_uscc=roles.get(FieldRole.BASIS_ISSUER_USCC) or None,
        title=roles.get(FieldRole.BASIS_TITLE) or None,
        decision_date=decision_date,
        effective_date=effective_date,
    ), []


def _facts(roles: dict[FieldRole, str]) -> RecordFacts:
    get = roles.get
    end, since, until, publicity = (
        get(FieldRole.CONDUCT_END_DATE),
        get(FieldRole.VALID_FROM),
        get(FieldRole.VALID_TO),
        get(FieldRole.PUBLICITY_END),
    )
    return RecordFacts(
        severity=_SEVERITY_CODES.get(get(FieldRole.SEVERITY) or ""),
        conduct_end_date=date.fromisoformat(end) if end else None,
        valid_from=date.fromisoformat(since) if since else None,
        valid_to=date.fromisoformat(until) if until else None,
        publicity_end=date.fromisoformat(publicity) if publicity else None,
    )


#: ``severity_value`` as one lookup (it imports the words on each call).
_SEVERITY_CODES = {word: code.value for word, code in SEVERITY_WORDS.items()}


def _mask_personal(plan: _Plan, payload: dict[str, Any], text: str) -> tuple[dict[str, Any], str]:
    """Art. 27: personal identifiers are not kept in the clear in a record's payload.

    The person they identify is the record's subject (or a linked subject), whose number is
    encrypted on the subject row; the payload keeps only the masked form for display.
    Returns the masked payload and its JSON, made from ``text`` (the payload's canonical JSON)
    by replacing each masked member: ``"name":<value>`` occurs once, as the member itself,
    since a quote inside a JSON string is always escaped.
    """
    out = payload
    for name in plan.personal:
        value = out.get(name)
        if isinstance(value, str) and value:
            looks_like_id = len(value) == 18 and value[:17].isdigit()
            if name in plan.birth_dates:
                masked = "****-**-**"  # the birth date is kept with the person (Art. 3)
            elif looks_like_id:
                masked = mask_citizen_id(value)
            else:
                masked = mask_document_number(value)
            if out is payload:
                out = dict(payload)
            out[name] = masked
            member = f'"{name}":'
            text = text.replace(member + _JSON.encode(value), member + _JSON.encode(masked), 1)
    return (dict(payload) if out is payload else out), text


_JSON = json.JSONEncoder(ensure_ascii=False)


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
    # A person by the record-key digest, not the rotating index (docs/operations.md).
    subject_ref = key.uscc or key.registration_no or key.record_ref or key.index or ""
    if spec.scope_category == 1:
        return f"subject:{subject_ref}"
    raw = repr(sorted(payload.items())) + subject_ref
    return "content:" + ring.blind_index("record.natural_key", raw)
