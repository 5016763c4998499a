"""check_identifier: the single entry point of ``pcip id check`` (Art. 19 identity matching)."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pcip.identity import (
    check_identifier,
    citizen_id_check_character,
    org_code_check_character,
    parse_citizen_id,
    uscc_check_character,
)

TODAY = date(2025, 6, 1)
VALID_CITIZEN = "11010519491231002X"
VALID_USCC = "91110000600037341L"
KINDS = {"citizen_id", "uscc", "unknown"}


def cid(first17: str) -> str:
    return first17 + citizen_id_check_character(first17)


def assert_well_formed(result: dict[str, object], value: str) -> None:
    assert result["value"] == value
    assert result["kind"] in KINDS
    assert isinstance(result["valid"], bool)
    assert isinstance(result["warnings"], list)
    if result["valid"]:
        assert "reason" not in result
    else:
        assert isinstance(result["reason"], str) and result["reason"]
        assert "\n" not in result["reason"]


def test_art19_check_valid_citizen_id_exact_keys() -> None:
    result = check_identifier(" 11010519491231002x ", today=TODAY)
    assert result == {
        "value": " 11010519491231002x ",
        "kind": "citizen_id",
        "valid": True,
        "warnings": [],
        "normalized": "11010519491231002X",
        "birth_date": "1949-12-31",
        "sex": "female",
        "region": {"code": "110105", "name": "北京市朝阳区"},
    }


def test_art19_check_valid_uscc_exact_keys() -> None:
    result = check_identifier(VALID_USCC, today=TODAY)
    assert result == {
        "value": VALID_USCC,
        "kind": "uscc",
        "valid": True,
        "warnings": [],
        "normalized": VALID_USCC,
        "authority": {
            "code": "9",
            "name_zh": "工商（市场监管）",
            "name_en": "market regulation (industry and commerce)",
        },
        "entity_type": {"code": "91", "name_zh": "企业", "name_en": "enterprise"},
        "region": {"code": "110000", "name": "北京市"},
        "organisation_code": "600037341",
    }


def test_art19_check_legacy_15_digit_reports_conversion() -> None:
    result = check_identifier("110105491231002", today=TODAY)
    assert result["kind"] == "citizen_id" and result["valid"] is True
    assert result["normalized"] == VALID_CITIZEN
    assert result["warnings"] == ["legacy_15_digit_converted"]


def test_gb32100_check_unknown_region_reported_as_null_with_warning() -> None:
    body = "60003734" + org_code_check_character("60003734")
    code = "91990000" + body
    result = check_identifier(code + uscc_check_character(code), today=TODAY)
    assert result["valid"] is True
    assert result["region"] is None
    assert result["warnings"] == ["region_code_unknown"]


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("11010519491231003X", "citizen_id", "check character is X, should be 8"),
        (cid("11010519901332001"), "citizen_id", "birth date 19901332 is not a real date"),
        (cid("99010119900101001"), "citizen_id", "region code 990101 is not a GB/T 2260 code"),
        ("11010519491231002", "unknown", "length is 17, expected 18"),
        ("", "unknown", "value is empty"),
        ("   ", "unknown", "value is empty"),
        ("hello", "unknown", "length is 5, expected 18"),
        ("91110000600037341M", "uscc", "check character is M, should be L"),
        (
            "９１１１００００６０００３７３４１Ｌ",
            "unknown",
            "character '９' at position 1 is not allowed in a citizen identity number or a USCC",
        ),
        (
            "911100006000373\x001L",
            "unknown",
            "character '\\x00' at position 16 is not allowed in a citizen identity number "
            "or a USCC",
        ),
    ],
)
def test_art19_check_reasons_name_what_is_wrong(value: str, kind: str, expected: str) -> None:
    result = check_identifier(value, today=TODAY)
    assert_well_formed(result, value)
    assert (result["kind"], result["valid"], result["reason"]) == (kind, False, expected)


def test_gb32100_check_placeholder_is_invalid_uscc_with_explanation() -> None:
    result = check_identifier("00000000000000000X", today=TODAY)
    assert (result["kind"], result["valid"]) == ("uscc", False)
    assert "placeholder" in str(result["reason"])


def test_art19_check_all_digit_uscc_that_looks_like_a_citizen_id_reported_as_uscc() -> None:
    # Positions 7-8 read "18" (region 500118 永川区), so the value first looks like a citizen ID
    # born in the 1800s; it fails that check but is a valid, warning-free USCC.
    value = "125001180000000355"
    assert isinstance(parse_citizen_id(value, today=TODAY), str)
    result = check_identifier(value, today=TODAY)
    assert (result["kind"], result["valid"], result["warnings"]) == ("uscc", True, [])
    assert result["region"] == {"code": "500118", "name": "重庆市永川区"}


def test_art19_check_huge_input_does_not_echo_into_reason() -> None:
    value = "1" * 1_000_000
    result = check_identifier(value, today=TODAY)
    assert result["reason"] == "length is 1000000, expected 18"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_art19_check_never_raises_on_any_text(value: str) -> None:
    assert_well_formed(check_identifier(value, today=TODAY), value)


@settings(max_examples=300, deadline=None)
@given(st.binary().map(lambda b: b.decode("latin-1")))
def test_art19_check_never_raises_on_latin1_bytes(value: str) -> None:
    assert_well_formed(check_identifier(value, today=TODAY), value)


_NEAR_ALPHABET = string.digits + "XxYyIiOoZz -\t\n\x00\u3000１Ｘß"


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([VALID_CITIZEN, VALID_USCC, "110105491231002", "00000000000000000X"]),
    st.lists(
        st.tuples(st.integers(0, 19), st.sampled_from(["replace", "insert", "delete"])),
        max_size=3,
    ),
    st.text(alphabet=_NEAR_ALPHABET, min_size=3, max_size=3),
)
def test_art19_check_never_raises_on_near_valid_strings(
    base: str, edits: list[tuple[int, str]], chars: str
) -> None:
    value = base
    for (position, op), ch in zip(edits, chars, strict=False):
        position = min(position, len(value))
        if op == "replace":
            value = value[:position] + ch + value[position + 1 :]
        elif op == "insert":
            value = value[:position] + ch + value[position:]
        else:
            value = value[:position] + value[position + 1 :]
    assert_well_formed(check_identifier(value, today=TODAY), value)
