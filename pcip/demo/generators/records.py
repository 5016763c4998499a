"""Synthetic rows for any catalog item, driven by the item's field schema and field roles.

Rows come out as a providing unit would send them in a file: every value a string, dates in
ISO form, empty string for "not given". Ingestion tests and benchmarks write these rows to
CSV/JSONL/XLSX; the demo stores them directly. Nothing here is real data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from pcip.catalog.schemas import FieldRole, FieldSpec, FieldType, ItemSpec
from pcip.demo.generators import shapes
from pcip.kernel.enums import Polarity, SubjectKind

CAT_ORGANISATION = "法人及非法人组织"
CAT_PERSON = "自然人"
CAT_INDIVIDUAL_BUSINESS = "个体工商户"

_PHRASES = (
    "未按规定履行相关义务",
    "经查证属实",
    "依据相关法律法规作出决定",
    "责令限期改正",
    "已按要求整改完毕",
    "涉及食品经营许可事项",
    "依法予以登记",
    "按期履行",
    "参与社区志愿服务",
    "向受灾地区捐赠物资",
)


@dataclass(frozen=True)
class Party:
    """The subject a synthetic row is about, as a unit would know it."""

    kind: SubjectKind
    name: str
    uscc: str | None = None
    citizen_id: str | None = None
    legal_rep_name: str | None = None
    legal_rep_id: str | None = None


@dataclass(frozen=True)
class Issuer:
    name: str
    uscc: str


def _category(party: Party, choices: tuple[str, ...] | None) -> str:
    wanted = CAT_PERSON if party.kind is SubjectKind.PERSON else CAT_ORGANISATION
    if choices and wanted not in choices:
        return choices[0]
    return wanted


def _doc_number(rng: random.Random, issuer: Issuer, year: int) -> str:
    prefix = "渝" + issuer.name[-4:-1] if len(issuer.name) >= 4 else "渝"
    return f"{prefix}罚〔{year}〕{rng.randint(1, 999999):06d}号"


@dataclass
class _Dates:
    decision: date
    effective: date
    conduct_end: date
    valid_from: date
    valid_to: date
    publicity_end: date


def _dates(rng: random.Random, today: date, spec: ItemSpec) -> _Dates:
    # Spread decisions over the last 7 years so some natural persons' records pass the
    # Art. 43 five-year limit and some publicity periods have ended.
    decision = today - timedelta(days=rng.randint(1, 7 * 365))
    effective = min(today, decision + timedelta(days=rng.choice((0, 0, 15, 30))))
    conduct_end = decision - timedelta(days=rng.randint(0, 400))
    months = max((s.max_months for s in spec.severity_classes), default=36)
    publicity_end = decision + timedelta(days=max(1, months) * 30)
    valid_to = date(2099, 12, 31) if rng.random() < 0.3 else decision + timedelta(days=365 * 5)
    return _Dates(decision, effective, conduct_end, decision, valid_to, publicity_end)


def _value(
    rng: random.Random, f: FieldSpec, party: Party, issuer: Issuer, d: _Dates, spec: ItemSpec
) -> str:
    role = f.role
    by_role: dict[FieldRole, str] = {
        FieldRole.SUBJECT_NAME: party.name,
        FieldRole.SUBJECT_USCC: party.uscc or "",
        FieldRole.SUBJECT_LEGACY_CODE: "",
        FieldRole.SUBJECT_DOC_TYPE: "身份证" if party.citizen_id else "",
        FieldRole.SUBJECT_DOC_NUMBER: party.citizen_id or "",
        FieldRole.SUBJECT_DOC_COUNTRY: "",
        FieldRole.LEGAL_REP_NAME: party.legal_rep_name or "",
        FieldRole.LEGAL_REP_DOC_TYPE: "身份证" if party.legal_rep_id else "",
        FieldRole.LEGAL_REP_DOC_NUMBER: party.legal_rep_id or "",
        FieldRole.BASIS_NUMBER: _doc_number(rng, issuer, d.decision.year),
        FieldRole.BASIS_TITLE: f"{spec.name_zh}决定书",
        FieldRole.BASIS_ISSUER: issuer.name,
        FieldRole.BASIS_ISSUER_USCC: issuer.uscc,
        FieldRole.BASIS_DECISION_DATE: d.decision.isoformat(),
        FieldRole.BASIS_EFFECTIVE_DATE: d.effective.isoformat(),
        FieldRole.CONDUCT_END_DATE: d.conduct_end.isoformat(),
        FieldRole.VALID_FROM: d.valid_from.isoformat(),
        FieldRole.VALID_TO: d.valid_to.isoformat(),
        FieldRole.PUBLICITY_END: d.publicity_end.isoformat(),
        FieldRole.SOURCE_UNIT: issuer.name,
        FieldRole.SOURCE_UNIT_USCC: issuer.uscc,
        # Removals, revocations and birth dates are the exception: scenarios set them.
        FieldRole.ENDED_ON: "",
        FieldRole.END_REASON: "",
        FieldRole.REVOKED_ON: "",
        FieldRole.SUBJECT_BIRTH_DATE: "",
    }
    if role is FieldRole.SUBJECT_CATEGORY:
        return _category(party, f.choices)
    if role is FieldRole.SEVERITY:
        sev = [s.severity.value for s in spec.severity_classes] or ["general"]
        return rng.choice([c for c in (f.choices or tuple(sev))])
    if role is not None and role in by_role:
        return by_role[role]
    return _by_type(rng, f, d)


def _by_type(rng: random.Random, f: FieldSpec, d: _Dates) -> str:
    if f.type is FieldType.ENUM and f.choices:
        return rng.choice(f.choices)
    if f.type is FieldType.DATE:
        return (d.decision - timedelta(days=rng.randint(0, 60))).isoformat()
    if f.type is FieldType.DECIMAL:
        return f"{rng.choice((0.05, 0.2, 0.5, 1, 2.5, 10)):.2f}"
    if f.type is FieldType.INTEGER:
        return str(rng.randint(1, 500))
    if f.type in (FieldType.USCC, FieldType.CITIZEN_ID):
        return ""  # identifiers other than the party's are left empty rather than invented
    if not f.required and rng.random() < 0.3:
        return ""
    text = rng.choice(_PHRASES)
    if f.type is FieldType.TEXT:
        text = "，".join(rng.sample(_PHRASES, 3)) + "。"
    return text[: f.max_length] if f.max_length else text


def _fit_item(
    rng: random.Random, spec: ItemSpec, party: Party, issuer: Issuer, d: _Dates, row: dict[str, str]
) -> None:
    """Issue 19.11: the basis number and title in the shape of the item's document, and the
    item's own fields in words that fit it (``shapes``); a value a field cannot hold (too
    long, not one of its choices) is left as generated."""
    fields = {f.name: f for f in spec.fields}
    for f in spec.fields:
        if f.name in shapes.REMARKS:  # a unit leaves remarks empty unless it has one
            row[f.name] = ""
        if f.role is FieldRole.BASIS_NUMBER:
            row[f.name] = shapes.basis_number(rng, spec.code, issuer.name, d.decision.year)
        elif f.role is FieldRole.BASIS_TITLE and spec.code in shapes.TITLES:
            row[f.name] = shapes.TITLES[spec.code]
    for name, value in shapes.item_fields(
        rng, spec.code, party.uscc, issuer.name, d.decision
    ).items():
        spec_field = fields.get(name)
        if spec_field is None or (spec_field.max_length and len(value) > spec_field.max_length):
            continue
        if spec_field.choices and value not in spec_field.choices:
            continue
        row[name] = value


def make_row(
    rng: random.Random, spec: ItemSpec, party: Party, issuer: Issuer, today: date
) -> dict[str, str]:
    """One row for ``spec`` about ``party``, as the issuing unit would submit it."""
    d = _dates(rng, today, spec)
    row = {f.name: _value(rng, f, party, issuer, d, spec) for f in spec.fields}
    _fit_item(rng, spec, party, issuer, d, row)
    if spec.polarity is not Polarity.NEGATIVE:
        return row
    # Continuing conduct exists (Art. 43: no end date, no expiry), but it is the exception.
    for f in spec.fields:
        if f.role is FieldRole.CONDUCT_END_DATE and not f.required and rng.random() < 0.05:
            row[f.name] = ""
    return row
