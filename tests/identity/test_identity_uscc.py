"""Unified Social Credit Codes: GB 32100-2015 with the embedded GB 11714 organisation code
(Art. 19 identity matching of legal persons and unincorporated organisations)."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidFormat

from pcip.errors import ValidationError
from pcip.identity import (
    EMBEDDED_ORG_CODE_CHECK_FAILED,
    INDIVIDUAL_BUSINESS_PLACEHOLDER,
    REGION_CODE_UNKNOWN,
    Uscc,
    is_individual_business_placeholder,
    org_code_check_character,
    parse_uscc,
    uscc_check_character,
    validate_uscc,
)
from pcip.identity.uscc import ALPHABET

KNOWN = "91110000600037341L"  # python-stdnum's own example


def with_check(first17: str) -> str:
    return first17 + uscc_check_character(first17)


def with_org_check(body: str) -> str:
    return body + org_code_check_character(body)


def parsed(value: str) -> Uscc:
    result = parse_uscc(value)
    assert isinstance(result, Uscc), result
    return result


def reason(value: str) -> str:
    result = parse_uscc(value)
    assert isinstance(result, str), result
    return result


def test_gb32100_known_code_decoded() -> None:
    assert stdnum_uscc.validate(KNOWN) == KNOWN
    result = parsed(KNOWN)
    assert result.authority.code == "9"
    assert result.entity_type is not None and result.entity_type.name_zh == "企业"
    assert (result.region_code, result.region_name) == ("110000", "北京市")
    assert result.organisation_code == "600037341"
    assert result.warnings == ()


@pytest.mark.parametrize("head", ["Y1500103", "N2500103", "A1500000"])
def test_gb32100_letter_authority_accepted_although_stdnum_rejects_it(head: str) -> None:
    code = with_check(head + with_org_check("MA5U7G3K"))
    with pytest.raises(InvalidFormat):
        stdnum_uscc.validate(code)
    result = parsed(code)
    assert result.authority.code == head[0]
    assert result.entity_type is not None and result.entity_type.code == head[:2]
    assert result.warnings == ()


def test_gb32100_every_single_substitution_detected() -> None:
    code = with_check("Y1500103" + with_org_check("MA5U7G3K"))
    for position in range(18):
        for ch in ALPHABET.replace(code[position], ""):
            mutated = code[:position] + ch + code[position + 1 :]
            assert isinstance(parse_uscc(mutated), str), mutated


def test_gb11714_org_code_check_character() -> None:
    assert org_code_check_character("60003734") == "1"
    assert org_code_check_character("00000006") == "X"  # 11 - sum mod 11 = 10 -> X
    assert org_code_check_character("00000019") == "0"  # 11 -> 0
    # Letters are valued over the full alphabet (I, O, S, V, Z included): M=22, A=10, U=30.
    # 22*3 + 10*7 + 5*9 + 30*10 = 481; 481 mod 11 = 8; 11 - 8 = 3. (With the USCC alphabet's
    # values, M=21 and U=27, the answer would differ.)
    assert org_code_check_character("MA5U0000") == "3"


def test_gb11714_embedded_org_code_failure_is_a_warning_not_a_rejection() -> None:
    code = with_check("91110000600037342")  # embedded check should be 1
    assert stdnum_uscc.validate(code) == code  # stdnum does not check the embedded code
    result = parsed(code)
    assert result.warnings == (EMBEDDED_ORG_CODE_CHECK_FAILED,)


def test_gb32100_unknown_region_is_a_warning() -> None:
    result = parsed(with_check("91990000" + with_org_check("60003734")))
    assert result.region_name is None
    assert result.warnings == (REGION_CODE_UNKNOWN,)


def test_gb32100_national_level_region_100000() -> None:
    result = parsed(with_check("11100000" + with_org_check("00001312")))
    assert result.region_name == "中华人民共和国（国家级）"
    assert result.entity_type is not None and result.entity_type.name_en == "government organ"
    assert result.warnings == ()


def test_gb32100_unknown_entity_type_is_valid_with_null_type() -> None:
    result = parsed(with_check("94500103" + with_org_check("60003734")))
    assert result.authority.code == "9"
    assert result.entity_type is None
    assert result.warnings == ()


@pytest.mark.parametrize("authority", ["0", "B", "X"])
def test_gb32100_undefined_authority_rejected(authority: str) -> None:
    code = with_check(authority + "1500103" + with_org_check("60003734"))
    assert reason(code) == (
        f"registration authority code {authority} is not defined in GB 32100-2015 "
        "(expected 1-9, A, N or Y)"
    )


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_gb32100_excluded_letters_rejected(letter: str) -> None:
    code = KNOWN[:10] + letter + KNOWN[11:]
    assert reason(code) == (
        f"character {letter} at position 11 is not in the USCC alphabet "
        "(digits and capital letters except I, O, S, V, Z)"
    )


def test_gb32100_wrong_check_character_named() -> None:
    assert reason(KNOWN[:17] + "M") == "check character is M, should be L"


def test_gb32100_lowercase_and_whitespace_normalised() -> None:
    assert parsed("  " + KNOWN.lower() + " ").normalized == KNOWN


def test_gb32100_individual_business_placeholder_recognised() -> None:
    assert INDIVIDUAL_BUSINESS_PLACEHOLDER == "0" * 17 + "X"
    assert is_individual_business_placeholder("00000000000000000X")
    assert is_individual_business_placeholder(" 00000000000000000x ")
    assert not is_individual_business_placeholder(KNOWN)
    assert "individual businesses" in reason("00000000000000000x")
    assert "registration number is required" in reason(INDIVIDUAL_BUSINESS_PLACEHOLDER)


def test_art19_validate_uscc_raises_validation_error_with_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_uscc(KNOWN[:17] + "M")
    assert caught.value.field == "uscc"
    assert caught.value.message == "check character is M, should be L"
    with pytest.raises(ValidationError) as caught:
        validate_uscc("", field="CF_XDR_SHXYM")
    assert caught.value.field == "CF_XDR_SHXYM"
    assert caught.value.message == "length is 0, expected 18"
    assert validate_uscc(KNOWN.lower()).normalized == KNOWN
