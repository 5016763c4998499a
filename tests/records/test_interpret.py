"""Art. 16, 19, 21, 23: interpreting a submitted row by its item's field schema and roles."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from pcip import clock
from pcip.catalog.service import item_in_force, item_spec
from pcip.demo.generators.records import Issuer, Party, make_row
from pcip.kernel.actors import Actor
from pcip.kernel.enums import SubjectKind
from pcip.kernel.platform import Platform
from pcip.records.ingest_state import RowError
from pcip.records.interpret import Interpreted, RowProblem, interpret
from pcip.web import i18n
from tests.helpers import citizen_id, uscc

ACTOR = Actor.system("test")
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _fixed_clock() -> object:
    with clock.frozen("2026-11-26T10:00:00") as t:
        yield t


def _penalty_row(platform: Platform, **changes: str) -> dict[str, str]:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, "admin_penalty"))
    party = Party(SubjectKind.LEGAL_PERSON, "重庆某某商贸有限公司", uscc=uscc(21))
    row = make_row(
        random.Random(5), spec, party, Issuer("重庆市渝中区市场监督管理局", uscc(22)), TODAY
    )
    row.update(changes)
    return row


def _interpret(
    platform: Platform, code: str, row: dict[str, str]
) -> Interpreted | list[RowProblem]:
    with platform.transaction() as s:
        return interpret(item_spec(item_in_force(s, code)), row, platform.keyring)


def _problems(got: Interpreted | list[RowProblem]) -> list[RowProblem]:
    assert isinstance(got, list), "expected the row to be rejected"
    return got


def test_facts2_cf_row_is_interpreted(platform: Platform) -> None:
    row = _penalty_row(platform)
    got = _interpret(platform, "admin_penalty", row)
    assert isinstance(got, Interpreted)
    assert got.key.uscc == row["CF_XDR_SHXYM"] and got.basis is not None
    assert got.basis.number == row["CF_WSH"] and got.natural_key.endswith(row["CF_WSH"])


def test_art19_organisation_without_uscc_is_rejected_not_matched_by_name(
    platform: Platform,
) -> None:
    problems = _problems(
        _interpret(platform, "admin_penalty", _penalty_row(platform, CF_XDR_SHXYM=""))
    )
    assert problems[0].field == "CF_XDR_SHXYM" and "only by its USCC" in problems[0].message


def test_art21_negative_row_without_basis_number_is_rejected(platform: Platform) -> None:
    problems = _problems(_interpret(platform, "admin_penalty", _penalty_row(platform, CF_WSH="")))
    assert any(p.field == "CF_WSH" for p in problems)


def test_art23_fields_outside_the_schema_are_dropped_and_reported(platform: Platform) -> None:
    got = _interpret(platform, "admin_penalty", _penalty_row(platform, EXTRA_COL="x", 手机号="1"))
    assert isinstance(got, Interpreted)
    assert got.dropped_fields == ["EXTRA_COL", "手机号"]
    assert "EXTRA_COL" not in got.payload


def test_facts1_individual_business_placeholder_needs_registration_number(
    platform: Platform,
) -> None:
    row = _penalty_row(
        platform, CF_XDR_LB="个体工商户", CF_XDR_SHXYM="00000000000000000X", CF_XDR_GSZC=""
    )
    assert _problems(_interpret(platform, "admin_penalty", row))[0].field == "CF_XDR_GSZC"
    row["CF_XDR_GSZC"] = "500103600123456"
    got = _interpret(platform, "admin_penalty", row)
    assert isinstance(got, Interpreted) and got.key.registration_no == "500103600123456"


def test_facts2_natural_person_penalty_uses_citizen_id(platform: Platform) -> None:
    number = citizen_id(31, born=date(1985, 3, 2))
    row = _penalty_row(
        platform,
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM="",
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=number,
        CF_XDR_MC="赵六",
    )
    got = _interpret(platform, "admin_penalty", row)
    assert isinstance(got, Interpreted) and got.key.kind is SubjectKind.PERSON
    assert got.key.birth_date == date(1985, 3, 2)


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("CF_JDRQ", "2024-02-30", "not a real date"),
        ("CF_JDRQ", "yesterday", "not a date"),
        ("CF_NR_FK", "-5", "non-negative"),
        ("CF_XDR_LB", "公司", "not one of"),
        ("CF_CFJGDM", "91500000MA5U000000", "check"),
    ],
)
def test_art23_schema_violations_name_the_field(
    platform: Platform, field: str, value: str, fragment: str
) -> None:
    problems = _problems(
        _interpret(platform, "admin_penalty", _penalty_row(platform, **{field: value}))
    )
    assert problems[0].field == field and fragment in problems[0].message


@pytest.mark.parametrize(
    ("field", "value", "zh", "en"),
    [
        ("CF_JDRQ", "2024-02-30", "“2024-02-30”不是真实存在的日期", "not a real date"),
        ("CF_JDRQ", "yesterday", "“yesterday”不是日期", "not a date"),
        ("CF_NR_FK", "lots", "“lots”不是数字", "not a number"),
        ("CF_NR_FK", "-5", "“-5”不是非负金额", "non-negative"),
        ("CF_XDR_LB", "公司", "“公司”不是以下之一", "not one of"),
    ],
)
def test_issue19_3_a_rejected_rows_value_reason_reads_in_the_pages_language(
    platform: Platform, field: str, value: str, zh: str, en: str
) -> None:
    """The value check's reason is a coded message: the ledger keeps its code (as JSON) and a
    Chinese console page shows it in Chinese, the English one (and the CLI) in English."""
    problem = _problems(
        _interpret(platform, "admin_penalty", _penalty_row(platform, **{field: value}))
    )[0]
    kept = json.loads(json.dumps(RowError(2, field, problem.code, problem.message).kept()))
    with i18n.using("zh_CN"):
        said = i18n.kept_reason(kept)
    assert zh in said and en not in said, said
    with i18n.using("en"):
        assert en in i18n.kept_reason(kept)
    assert en in problem.message  # as text (logs, CLI, the API): English


def test_art21_future_decision_date_is_rejected(platform: Platform) -> None:
    problems = _problems(
        _interpret(platform, "admin_penalty", _penalty_row(platform, CF_JDRQ="2026-12-01"))
    )
    assert problems[0].field == "CF_JDRQ" and "future" in problems[0].message


def test_art21_basis_effective_in_future_is_rejected(platform: Platform) -> None:
    row = _penalty_row(platform, CF_JDRQ="2026-11-20", basis_effective_date="2026-12-05")
    problems = _problems(_interpret(platform, "admin_penalty", row))
    assert problems[0].field == "basis_effective_date" and "Art. 21" in problems[0].message


def test_art19_item_for_natural_persons_refuses_an_organisation_row(platform: Platform) -> None:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, "volunteering"))
    assert spec.subject_kinds == (SubjectKind.PERSON,)
    party = Party(SubjectKind.LEGAL_PERSON, "重庆某公司", uscc=uscc(77))
    row = make_row(random.Random(1), spec, party, Issuer("重庆市民政局", uscc(78)), TODAY)
    problems = _problems(interpret(spec, row, platform.keyring, TODAY))
    # The schema refuses it first (no ID number for a person-only item); either way, no record.
    assert problems[0].field in ("subject_category", "document_number")


def test_art19_item_for_organisations_refuses_a_person_row(platform: Platform) -> None:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, "registration_info"))
    party = Party(SubjectKind.PERSON, "张三", citizen_id=citizen_id(5))
    row = make_row(random.Random(1), spec, party, Issuer("重庆市市场监督管理局", uscc(79)), TODAY)
    problems = _problems(interpret(spec, row, platform.keyring, TODAY))
    assert problems[0].field in ("subject_category", "uscc")


def test_art19_kind_guard_on_an_item_whose_schema_allows_both(platform: Platform) -> None:
    from pcip.catalog.schemas import ItemSpec

    spec = ItemSpec.model_validate(
        {
            "code": "persons_only",
            "name_zh": "测试",
            "name_en": "test",
            "scope_category": 7,
            "subject_kinds": ["person"],
            "polarity": "positive",
            "disclosure_class": "public",
            "legal_basis": "Art. 18(7)",
            "fields": [
                {
                    "name": "subject_name",
                    "label_zh": "名称",
                    "label_en": "name",
                    "required": True,
                    "role": "subject.name",
                },
                {
                    "name": "subject_category",
                    "label_zh": "类别",
                    "label_en": "category",
                    "type": "enum",
                    "choices": ["自然人", "法人及非法人组织"],
                    "role": "subject.category",
                },
                {
                    "name": "uscc",
                    "label_zh": "代码",
                    "label_en": "USCC",
                    "type": "uscc",
                    "role": "subject.uscc",
                },
            ],
        }
    )
    row = {"subject_name": "重庆某公司", "subject_category": "法人及非法人组织", "uscc": uscc(80)}
    problems = _problems(interpret(spec, row, platform.keyring, TODAY))
    assert problems[0].field == "subject_category"
    assert "natural persons only" in problems[0].message
