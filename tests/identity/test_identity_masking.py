"""Masking of personal identifiers in outputs (Art. 22 disclosure modes, Art. 39 privacy)."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pcip.demo.generators import random_citizen_id
from pcip.identity import mask_citizen_id, mask_document_number, mask_name, mask_uscc


def test_art19_mask_citizen_id_keeps_region_and_last_two() -> None:
    assert mask_citizen_id("50010319900101123X") == "500103**********3X"
    assert mask_citizen_id("110105491231002") == "110105*******02"
    assert mask_citizen_id("1234567") == "*******"
    assert mask_citizen_id("") == ""


def test_art19_mask_name_examples() -> None:
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳修") == "欧**"
    assert mask_name("张") == "*"
    assert mask_name("John Smith") == "J***"
    assert mask_name("  ") == ""


def test_art19_mask_document_number_keeps_last_four() -> None:
    assert mask_document_number("E12345678") == "*****5678"
    assert mask_document_number("1234") == "****"


def test_art19_uscc_is_not_masked() -> None:
    assert mask_uscc("91110000600037341L") == "91110000600037341L"


@settings(deadline=None)  # the first call builds the region pools
@given(st.integers(0, 2**32), st.dates(date(1900, 1, 1), date(2025, 6, 1)))
def test_art19_mask_citizen_id_never_reveals_the_middle(seed: int, born: date) -> None:
    number = random_citizen_id(random.Random(seed), birth_from=born, birth_to=born)
    masked = mask_citizen_id(number)
    assert masked == number[:6] + "*" * 10 + number[-2:]
    # The birth date never survives masking.
    assert born.strftime("%Y%m%d") not in masked


@given(st.text(min_size=1))
def test_art19_mask_name_never_reveals_beyond_first_character(name: str) -> None:
    masked = mask_name(name)
    stripped = name.strip()
    if not stripped:
        assert masked == ""
        return
    if len(stripped) > 1 or (stripped[0].isascii() and stripped[0].isalpha()):
        assert masked[0] == stripped[0]
    assert set(masked[1:]) <= {"*"}


@given(st.text())
def test_art19_mask_document_number_never_reveals_more_than_four(number: str) -> None:
    masked = mask_document_number(number)
    assert len(masked) == len(number.strip())
    assert set(masked[:-4]) <= {"*"}
