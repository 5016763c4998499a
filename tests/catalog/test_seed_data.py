"""Reference catalogs seeded by ``pcip init`` (Art. 16-18, 21, 43; docs/facts.md#double-publicity,
#publicity-periods)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from pcip.catalog.schemas import (
    SCOPE_CATEGORIES,
    CatalogSpec,
    FieldRole,
    FieldSpec,
    FieldType,
    InquiryPeriod,
    ItemSpec,
)
from pcip.catalog.seed_data import PARTY_CATEGORIES, SEED_CATALOGS
from pcip.kernel.enums import DisclosureClass, InfoClass, Polarity, Severity, SubjectKind

CATALOGS = {c.code: c for c in SEED_CATALOGS}
ITEMS = {i.code: i for c in SEED_CATALOGS for i in c.items}
ITEM_CATALOG = {i.code: c.code for c in SEED_CATALOGS for i in c.items}
NEGATIVE = [i for i in ITEMS.values() if i.polarity is Polarity.NEGATIVE]

PARTY_SUFFIXES = (
    "XDR_MC",
    "XDR_LB",
    "XDR_SHXYM",
    "XDR_GSZC",
    "XDR_ZZJG",
    "XDR_SWDJ",
    "XDR_SYDW",
    "XDR_SHZZ",
    "FRDB",
    "FR_ZJLX",
    "FR_ZJHM",
    "XDR_ZJLX",
    "XDR_ZJHM",
)
CF_LAYOUT = {f"CF_{s}" for s in PARTY_SUFFIXES} | {
    "CF_WSH",
    "CF_WFXW",
    "CF_SY",
    "CF_YJ",
    "CF_CFLB",
    "CF_NR",
    "CF_NR_FK",
    "CF_NR_WFFF",
    "CF_NR_ZKDX",
    "CF_JDRQ",
    "CF_YXQ",
    "CF_GSJZQ",
    "CF_CFJG",
    "CF_CFJGDM",
    "CF_SJLY",
    "CF_SJLYDM",
    "BZ",
}
XK_LAYOUT = {f"XK_{s}" for s in PARTY_SUFFIXES} | {
    "XK_XKWS",
    "XK_WSH",
    "XK_XKLB",
    "XK_XKZS",
    "XK_XKBH",
    "XK_NR",
    "XK_JDRQ",
    "XK_YXQZ",
    "XK_YXQZI",
    "XK_XKJG",
    "XK_XKJGDM",
    "XK_ZT",
    "XK_LYDW",
    "XK_LYDWDM",
    "BZ",
}


def _fields(code: str) -> dict[str, FieldSpec]:
    return {f.name: f for f in ITEMS[code].fields}


def _by_role(item: ItemSpec) -> dict[FieldRole, FieldSpec]:
    return {f.role: f for f in item.fields if f.role is not None}


# --- Art. 16-18: the two catalogs and their scope -------------------------------------------


def test_art16_seeds_the_national_basic_and_city_supplemental_catalogs() -> None:
    assert [c.code for c in SEED_CATALOGS] == ["national_basic", "cq_supplement"]
    national, city = CATALOGS["national_basic"], CATALOGS["cq_supplement"]
    assert (national.version, national.effective_from) == ("2024.2", date(2024, 1, 1))
    assert "全国公共信用信息基础目录" in national.legal_basis
    assert "Art. 16" in national.legal_basis
    assert (city.version, city.effective_from) == ("2021.2", date(2021, 7, 1))
    assert "Art. 17" in city.legal_basis


def test_art16_item_codes_unique_across_catalogs() -> None:
    codes = [i.code for c in SEED_CATALOGS for i in c.items]
    assert len(codes) == len(set(codes))


def test_art18_seed_covers_all_eight_scope_categories() -> None:
    assert {i.scope_category for i in ITEMS.values()} == set(SCOPE_CATEGORIES)


def test_art18_required_items_are_seeded_in_their_catalog() -> None:
    expected = {
        "registration_info": ("national_basic", 1, Polarity.NEUTRAL),
        "admin_penalty": ("national_basic", 2, Polarity.NEGATIVE),
        "admin_licence": ("national_basic", 2, Polarity.POSITIVE),
        "admin_inspection": ("national_basic", 2, Polarity.NEUTRAL),
        "abnormal_operation_list": ("national_basic", 2, Polarity.NEGATIVE),
        "tax_arrears": ("national_basic", 3, Polarity.NEGATIVE),
        "social_insurance_arrears": ("national_basic", 3, Polarity.NEGATIVE),
        "court_judgment_defaulter": ("national_basic", 4, Polarity.NEGATIVE),
        "false_materials": ("national_basic", 5, Polarity.NEGATIVE),
        "commendation": ("national_basic", 7, Polarity.POSITIVE),
        "pledge_made": ("cq_supplement", 6, Polarity.NEUTRAL),
        "pledge_breach": ("cq_supplement", 6, Polarity.NEGATIVE),
        "volunteering": ("cq_supplement", 7, Polarity.POSITIVE),
        "charity_donation": ("cq_supplement", 7, Polarity.POSITIVE),
        "cq_government_pledge_breach": ("cq_supplement", 8, Polarity.NEGATIVE),
    }
    actual = {
        code: (ITEM_CATALOG[code], item.scope_category, item.polarity)
        for code, item in ITEMS.items()
    }
    assert actual == expected


def test_art18_category_8_items_are_city_items_citing_a_local_regulation() -> None:
    cat8 = [i for i in ITEMS.values() if i.scope_category == 8]
    assert cat8
    for item in cat8:
        assert ITEM_CATALOG[item.code] == "cq_supplement"
        assert "重庆市社会信用条例" in item.legal_basis
        assert "Art. 18(8)" in item.legal_basis


def test_art18_legal_basis_cites_the_matching_scope_paragraph() -> None:
    for item in ITEMS.values():
        assert f"Art. 18({item.scope_category})" in item.legal_basis, item.code


def test_art18_items_are_bilingual_and_described() -> None:
    for item in ITEMS.values():
        assert item.name_zh and item.name_en, item.code
        assert item.description_zh and item.description_en, item.code
        for f in item.fields:
            assert f.label_zh and f.label_en, (item.code, f.name)


def test_art56_all_seeded_items_are_public_credit_information() -> None:
    assert all(i.info_class is InfoClass.PUBLIC for i in ITEMS.values())


# --- Art. 19: subject identification ----------------------------------------------------------


def test_art19_every_item_identifies_its_subject() -> None:
    for item in ITEMS.values():
        roles = _by_role(item)
        assert roles[FieldRole.SUBJECT_NAME].required, item.code
        if any(k is not SubjectKind.PERSON for k in item.subject_kinds):
            assert roles[FieldRole.SUBJECT_USCC].type is FieldType.USCC, item.code
        if SubjectKind.PERSON in item.subject_kinds:
            assert FieldRole.SUBJECT_DOC_TYPE in roles, item.code
            assert FieldRole.SUBJECT_DOC_NUMBER in roles, item.code
        else:
            assert FieldRole.SUBJECT_DOC_NUMBER not in roles, item.code
            assert roles[FieldRole.SUBJECT_USCC].required, item.code


def test_art19_document_numbers_are_masked_in_public_output() -> None:
    doc_roles = {FieldRole.SUBJECT_DOC_NUMBER, FieldRole.LEGAL_REP_DOC_NUMBER}
    for item in ITEMS.values():
        for f in item.fields:
            if f.role in doc_roles:
                assert f.personal, (item.code, f.name)


def test_art19_subject_category_uses_the_party_category_vocabulary() -> None:
    for item in ITEMS.values():
        cat = _by_role(item)[FieldRole.SUBJECT_CATEGORY]
        assert cat.type is FieldType.ENUM
        assert cat.choices is not None
        assert set(cat.choices) <= set(PARTY_CATEGORIES), item.code


def test_art19_generic_items_use_snake_case_field_names() -> None:
    for item in ITEMS.values():
        if item.layout is None:
            for f in item.fields:
                assert re.fullmatch(r"[a-z][a-z0-9_]*", f.name), (item.code, f.name)
            assert {"subject_name", "subject_category"} <= {f.name for f in item.fields}


def test_art23_each_role_appears_at_most_once_per_item() -> None:
    for item in ITEMS.values():
        roles = [f.role for f in item.fields if f.role is not None]
        assert len(roles) == len(set(roles)), item.code


# --- Art. 21: basis documents of negative items ----------------------------------------------


def test_art21_negative_items_have_basis_document_fields() -> None:
    assert NEGATIVE
    for item in NEGATIVE:
        roles = _by_role(item)
        assert roles[FieldRole.BASIS_NUMBER].required, item.code
        assert roles[FieldRole.BASIS_ISSUER].required, item.code
        assert roles[FieldRole.BASIS_DECISION_DATE].type is FieldType.DATE, item.code
        assert roles[FieldRole.BASIS_DECISION_DATE].required, item.code
        assert roles[FieldRole.BASIS_EFFECTIVE_DATE].type is FieldType.DATE, item.code
        assert FieldRole.BASIS_ISSUER_USCC in roles, item.code


def test_art43_negative_items_record_the_end_of_the_conduct() -> None:
    for item in NEGATIVE:
        conduct_end = _by_role(item)[FieldRole.CONDUCT_END_DATE]
        assert conduct_end.type is FieldType.DATE, item.code
        # Empty while the conduct continues (or provisional per D-6), so never required.
        assert not conduct_end.required, item.code


# --- Art. 43: inquiry periods ------------------------------------------------------------------


def test_art43_negative_items_have_five_year_person_period() -> None:
    for item in NEGATIVE:
        period = item.inquiry_period
        assert period is not None, item.code
        assert period.years == 5
        assert period.starts == "conduct_end"
        assert period.applies_to == (SubjectKind.PERSON,)
        assert "Art. 43" in period.citation


def test_art43_positive_and_neutral_items_have_no_inquiry_period() -> None:
    for item in ITEMS.values():
        if item.polarity is not Polarity.NEGATIVE:
            assert item.inquiry_period is None, item.code
            assert item.severity_classes == (), item.code


# --- docs/facts.md#publicity-periods: publicity periods -------------------------------------------


@pytest.mark.parametrize("code", ["admin_penalty", "false_materials"])
def test_facts3_severity_periods_match_national_rules(code: str) -> None:
    classes = {s.severity: (s.min_months, s.max_months) for s in ITEMS[code].severity_classes}
    assert classes == {
        Severity.MINOR: (0, 3),
        Severity.GENERAL: (3, 12),
        Severity.SERIOUS: (12, 36),
    }
    for s in ITEMS[code].severity_classes:
        assert "国办发〔2025〕22号" in s.citation
        assert "2026" in s.citation


# --- Art. 22: disclosure classes ---------------------------------------------------------------


def test_art22_disclosure_classes() -> None:
    public = {
        "registration_info",
        "admin_penalty",
        "admin_licence",
        "admin_inspection",
        "abnormal_operation_list",
        "tax_arrears",
        "social_insurance_arrears",
        "court_judgment_defaulter",
        "false_materials",
        "commendation",
        "cq_government_pledge_breach",
    }
    authorized = {"pledge_made", "pledge_breach", "volunteering", "charity_donation"}
    actual = {code: item.disclosure_class for code, item in ITEMS.items()}
    assert actual == {
        **dict.fromkeys(public, DisclosureClass.PUBLIC),
        **dict.fromkeys(authorized, DisclosureClass.AUTHORIZED),
    }


# --- docs/facts.md#double-publicity: double-publicity layouts -------------------------------------


def test_facts2_admin_penalty_has_full_cf_layout() -> None:
    item = ITEMS["admin_penalty"]
    assert item.layout == "cf"
    names = {f.name for f in item.fields}
    assert {n for n in names if n.startswith("CF_") or n == "BZ"} == CF_LAYOUT
    # Art. 21 / 43 extension columns the CF layout lacks; optional, so plain CF files import.
    extensions = names - CF_LAYOUT
    assert extensions == {
        "basis_effective_date",
        "conduct_end_date",
        "severity",  # issue 14 point 2
        "revocation_date",  # issue 14 point 1
        "birth_date",  # issue 14 point 3
    }
    assert not any(_fields("admin_penalty")[n].required for n in extensions)


def test_facts2_admin_penalty_required_fields() -> None:
    required = {f.name for f in ITEMS["admin_penalty"].fields if f.required}
    assert required == {
        "CF_XDR_MC",
        "CF_XDR_LB",
        "CF_WSH",
        "CF_WFXW",
        "CF_SY",
        "CF_YJ",
        "CF_CFLB",
        "CF_NR",
        "CF_JDRQ",
        "CF_CFJG",
    }


def test_facts2_admin_penalty_roles() -> None:
    roles = {f.name: f.role for f in ITEMS["admin_penalty"].fields if f.role is not None}
    assert roles == {
        "CF_XDR_MC": FieldRole.SUBJECT_NAME,
        "CF_XDR_LB": FieldRole.SUBJECT_CATEGORY,
        "CF_XDR_SHXYM": FieldRole.SUBJECT_USCC,
        "CF_XDR_GSZC": FieldRole.SUBJECT_LEGACY_CODE,
        "CF_XDR_ZJLX": FieldRole.SUBJECT_DOC_TYPE,
        "CF_XDR_ZJHM": FieldRole.SUBJECT_DOC_NUMBER,
        "CF_FRDB": FieldRole.LEGAL_REP_NAME,
        "CF_FR_ZJLX": FieldRole.LEGAL_REP_DOC_TYPE,
        "CF_FR_ZJHM": FieldRole.LEGAL_REP_DOC_NUMBER,
        "CF_WSH": FieldRole.BASIS_NUMBER,
        "CF_JDRQ": FieldRole.BASIS_DECISION_DATE,
        "CF_CFJG": FieldRole.BASIS_ISSUER,
        "CF_CFJGDM": FieldRole.BASIS_ISSUER_USCC,
        "CF_GSJZQ": FieldRole.PUBLICITY_END,
        "CF_SJLY": FieldRole.SOURCE_UNIT,
        "CF_SJLYDM": FieldRole.SOURCE_UNIT_USCC,
        "basis_effective_date": FieldRole.BASIS_EFFECTIVE_DATE,
        "conduct_end_date": FieldRole.CONDUCT_END_DATE,
        "severity": FieldRole.SEVERITY,
        "revocation_date": FieldRole.REVOKED_ON,
        "birth_date": FieldRole.SUBJECT_BIRTH_DATE,
    }


def test_facts2_admin_penalty_types_and_units() -> None:
    f = _fields("admin_penalty")
    for name in ("CF_JDRQ", "CF_YXQ", "CF_GSJZQ"):
        assert f[name].type is FieldType.DATE, name
    for name in ("CF_NR_FK", "CF_NR_WFFF"):
        assert f[name].type is FieldType.DECIMAL, name
        assert "10,000 RMB" in f[name].label_en, name
    for name in ("CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM"):
        assert f[name].type is FieldType.USCC, name
    assert f["CF_XDR_LB"].type is FieldType.ENUM
    assert f["CF_XDR_LB"].choices == ("法人及非法人组织", "自然人", "个体工商户")
    assert f["CF_XDR_ZJHM"].personal and f["CF_FR_ZJHM"].personal
    for name in CF_LAYOUT - {"CF_NR_FK", "CF_NR_WFFF", "CF_JDRQ", "CF_YXQ", "CF_GSJZQ"}:
        if f[name].type is not FieldType.ENUM:
            assert f[name].max_length is not None, name


def test_facts2_admin_licence_has_full_xk_layout() -> None:
    item = ITEMS["admin_licence"]
    assert item.layout == "xk"
    assert {f.name for f in item.fields} == XK_LAYOUT | {"birth_date"}  # extension (Art. 3)


def test_facts2_admin_licence_roles_and_types() -> None:
    f = _fields("admin_licence")
    assert f["XK_WSH"].role is FieldRole.BASIS_NUMBER
    assert f["XK_XKWS"].role is FieldRole.BASIS_TITLE
    assert f["XK_JDRQ"].role is FieldRole.BASIS_DECISION_DATE
    assert f["XK_XKJG"].role is FieldRole.BASIS_ISSUER
    assert f["XK_XKJGDM"].role is FieldRole.BASIS_ISSUER_USCC
    assert f["XK_YXQZ"].role is FieldRole.VALID_FROM
    assert f["XK_YXQZI"].role is FieldRole.VALID_TO
    assert f["XK_LYDW"].role is FieldRole.SOURCE_UNIT
    assert f["XK_XDR_GSZC"].role is FieldRole.SUBJECT_LEGACY_CODE
    for name in ("XK_XDR_ZZJG", "XK_XDR_SWDJ", "XK_XDR_SYDW", "XK_XDR_SHZZ"):
        assert f[name].role is None, name
    for name in ("XK_JDRQ", "XK_YXQZ", "XK_YXQZI"):
        assert f[name].type is FieldType.DATE and f[name].required, name
    assert "2099-12-31" in f["XK_YXQZI"].label_en
    assert f["XK_XKLB"].choices == ("普通", "特许", "认可", "核准", "登记", "其他")
    assert f["XK_XDR_LB"].choices == _fields("admin_penalty")["CF_XDR_LB"].choices
    assert f["XK_XDR_ZJHM"].personal and f["XK_FR_ZJHM"].personal


def test_facts2_identity_fields_are_conditionally_required() -> None:
    # Ingestion enforces them by party category, so the schema marks none of them required.
    for prefix, code in (("CF", "admin_penalty"), ("XK", "admin_licence")):
        f = _fields(code)
        for suffix in PARTY_SUFFIXES[2:]:
            assert not f[f"{prefix}_{suffix}"].required, suffix


# --- Seeds round-trip and the schema guards they rely on ---------------------------------------


def test_art17_seed_catalogs_round_trip_through_validation() -> None:
    for catalog in SEED_CATALOGS:
        assert CatalogSpec.model_validate(catalog.model_dump()) == catalog
        # The catalog service stores each item's spec as JSON and reads it back.
        for item in catalog.items:
            assert ItemSpec.model_validate(item.model_dump(mode="json")) == item


def _minimal_item(**overrides: object) -> dict[str, object]:
    spec: dict[str, object] = {
        "code": "test_item",
        "name_zh": "测试",
        "name_en": "test",
        "scope_category": 2,
        "subject_kinds": ("legal_person",),
        "polarity": "negative",
        "disclosure_class": "public",
        "inquiry_period": {"years": 5, "citation": "Art. 43"},
        "publicity": [
            {
                "applies_to": ["legal_person"],
                "public": "until_ended",
                "citation": "test rule",
            }
        ],
        "fields": (
            {"name": "subject_name", "label_zh": "名称", "label_en": "name", "required": True},
            {
                "name": "basis_number",
                "label_zh": "文号",
                "label_en": "no.",
                "role": "basis.number",
                "required": True,
            },
        ),
        "legal_basis": "Art. 18(2)",
    }
    spec.update(overrides)
    return spec


def test_art18_schema_accepts_the_minimal_negative_item() -> None:
    assert ItemSpec.model_validate(_minimal_item()).code == "test_item"


def test_art18_8_schema_rejects_category_8_without_local_regulation_citation() -> None:
    with pytest.raises(ValidationError, match="local-regulation citation"):
        ItemSpec.model_validate(_minimal_item(scope_category=8, legal_basis="Art. 18(8)"))
    ok = ItemSpec.model_validate(
        _minimal_item(scope_category=8, legal_basis="重庆市社会信用条例 Art. 8-9, Art. 18(8)")
    )
    assert ok.scope_category == 8


def test_art21_schema_rejects_negative_item_without_basis_number() -> None:
    fields = ({"name": "subject_name", "label_zh": "名称", "label_en": "name"},)
    with pytest.raises(ValidationError, match=r"basis\.number"):
        ItemSpec.model_validate(_minimal_item(fields=fields))


def test_art43_schema_rejects_negative_item_without_inquiry_period() -> None:
    with pytest.raises(ValidationError, match="inquiry period"):
        ItemSpec.model_validate(_minimal_item(inquiry_period=None))


def test_art43_person_period_model_defaults() -> None:
    period = InquiryPeriod(years=5, citation="Art. 43")
    assert period.starts == "conduct_end"
    assert period.applies_to == (SubjectKind.PERSON,)
