"""Citizen identity numbers: GB 11643-1999, ISO 7064 MOD 11-2, Art. 19 identity matching."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent

from pcip.errors import ValidationError
from pcip.identity import (
    LEGACY_15_DIGIT_CONVERTED,
    CitizenId,
    Sex,
    citizen_id_check_character,
    parse_citizen_id,
    validate_citizen_id,
)
from pcip.identity.citizen_id import CHECK_CHARACTERS, WEIGHTS

TODAY = date(2025, 6, 1)


def with_check(first17: str) -> str:
    return first17 + citizen_id_check_character(first17)


def parsed(value: str) -> CitizenId:
    result = parse_citizen_id(value, today=TODAY)
    assert isinstance(result, CitizenId), result
    return result


def reason(value: str) -> str:
    result = parse_citizen_id(value, today=TODAY)
    assert isinstance(result, str), result
    return result


def test_gb11643_standard_vectors() -> None:
    first = parsed("11010519491231002X")
    assert first.birth_date == date(1949, 12, 31)
    assert first.sex is Sex.FEMALE
    assert first.region.code == "110105"
    assert first.warnings == ()
    second = parsed("440524188001010014")
    assert second.birth_date == date(1880, 1, 1)
    assert second.sex is Sex.MALE


def test_gb11643_1880_standard_vector_accepted_although_stdnum_rejects_it() -> None:
    # The earliest accepted birth date is 1800-01-01 so the standard's own vector passes;
    # 440524 (潮阳县) was in use 1983-1993, after the 1880 birth year: our rule accepts it.
    with pytest.raises(InvalidComponent):
        ric.validate("440524188001010014")
    assert parsed("440524188001010014").region.name == "广东省汕头市潮阳县"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_gb11643_check_character_equals_explicit_weighted_sum(first17: str) -> None:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    assert citizen_id_check_character(first17) == CHECK_CHARACTERS[total % 11]


@pytest.mark.parametrize("vector", ["11010519491231002X", "440524188001010014"])
def test_gb11643_every_single_position_error_is_detected(vector: str) -> None:
    for position in range(18):
        alphabet = "0123456789X" if position == 17 else "0123456789"
        for ch in alphabet.replace(vector[position], ""):
            mutated = vector[:position] + ch + vector[position + 1 :]
            assert reason(mutated).startswith("check character is "), mutated


def test_art19_chongqing_code_before_1997_accepted_although_stdnum_rejects_it() -> None:
    # The trap: stdnum requires the code to exist in the birth year; 500103 dates from 1997.
    number = with_check("50010319900101123")
    with pytest.raises(InvalidComponent):
        ric.validate(number)
    result = parsed(number)
    assert result.region.code == "500103"
    assert result.region.name == "重庆市渝中区"
    assert result.birth_date == date(1990, 1, 1)


def test_art19_region_abolished_before_birth_year_rejected() -> None:
    # 110103 (北京市崇文区) was abolished in 2010: nobody born in 2011 carries it.
    assert reason(with_check("11010320110101001")) == (
        "region code 110103 (北京市崇文区) was abolished after 2010, before the birth year 2011"
    )
    assert parsed(with_check("11010320100101001")).region.code == "110103"


def test_gb11643_unknown_region_rejected() -> None:
    assert reason(with_check("99010119900101001")) == "region code 990101 is not a GB/T 2260 code"


def test_gb11643_taiwan_residence_permit_code_830000_accepted() -> None:
    result = parsed(with_check("83000019900101001"))
    assert result.region.code == "830000"


def test_gb11643_future_birth_date_rejected_and_today_accepted() -> None:
    assert reason(with_check("50010320250602001")) == (
        "birth date 2025-06-02 is after today (2025-06-01)"
    )
    assert parsed(with_check("50010320250601001")).birth_date == TODAY


@pytest.mark.parametrize("digits", ["19901332", "19900230", "19000229", "00000000", "19900001"])
def test_gb11643_birth_date_must_be_real(digits: str) -> None:
    assert reason(with_check(f"110105{digits}001")) == f"birth date {digits} is not a real date"


def test_gb11643_leap_day_accepted() -> None:
    assert parsed(with_check("11010520000229001")).birth_date == date(2000, 2, 29)


def test_gb11643_birth_before_1800_rejected() -> None:
    assert reason(with_check("11010517991231001")) == "birth date 1799-12-31 is before 1800-01-01"


def test_gb11643_lowercase_x_and_surrounding_whitespace_normalised() -> None:
    assert parsed(" \t11010519491231002x\n").normalized == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1101051949123100", "length is 16, expected 18"),
        ("110105 19491231002X", "length is 19, expected 18"),
        ("11010519491231002XX", "length is 19, expected 18"),
        ("11010519491A31002X", "character A at position 12 is not a digit"),
        ("１１０１０５１９４９１２３１００２Ｘ", "character '１' at position 1 is not a digit"),
        ("11010519491231002Y", "check character is Y, should be X"),
    ],
)
def test_gb11643_shape_errors_name_what_is_wrong(value: str, expected: str) -> None:
    assert reason(value) == expected


def test_gb11643_sex_from_sequence_parity() -> None:
    assert parsed(with_check("50010319900101123")).sex is Sex.MALE
    assert parsed(with_check("50010319900101124")).sex is Sex.FEMALE


def test_gb11643_legacy_15_digit_number_converted_with_warning() -> None:
    result = parsed("110105491231002")
    assert result.normalized == "11010519491231002X"
    assert result.birth_date == date(1949, 12, 31)
    assert result.warnings == (LEGACY_15_DIGIT_CONVERTED,)


def test_gb11643_legacy_15_digit_number_with_bad_date_rejected() -> None:
    assert reason("110105901332002") == "birth date 19901332 is not a real date"


def test_art19_validate_citizen_id_raises_validation_error_with_field() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_citizen_id("11010519491231002Y", today=TODAY)
    assert caught.value.field == "citizen_id"
    assert caught.value.message == "check character is Y, should be X"
    with pytest.raises(ValidationError) as caught:
        validate_citizen_id("", today=TODAY, field="legal_rep_id")
    assert caught.value.field == "legal_rep_id"
    assert validate_citizen_id("11010519491231002x", today=TODAY).normalized.endswith("X")
