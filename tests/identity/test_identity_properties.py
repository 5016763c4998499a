"""Property tests tying the generators to the checks (Art. 19 identity matching): generated
numbers pass GB 11643-1999 / GB 32100-2015, and both check characters detect every
single-character substitution."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pcip.demo.generators import random_citizen_id, random_uscc
from pcip.identity import check_identifier, parse_citizen_id, parse_uscc

TODAY = date(2025, 6, 1)
seeds = st.integers(0, 2**64)
birth_dates = st.dates(date(1800, 1, 1), TODAY)
# Any replacement character: digits, letters of the alphabets, lower case, other scripts, spaces.
replacements = st.one_of(
    st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz "), st.characters()
)


def _substitute(value: str, position: int, ch: str) -> str:
    return value[:position] + ch + value[position + 1 :]


@settings(max_examples=300, deadline=None)
@given(seeds, birth_dates, birth_dates, st.sampled_from([None, "male", "female"]))
def test_gb11643_every_generated_citizen_id_is_valid(
    seed: int, a: date, b: date, sex: str | None
) -> None:
    low, high = min(a, b), max(a, b)
    number = random_citizen_id(random.Random(seed), birth_from=low, birth_to=high, sex=sex)
    result = check_identifier(number, today=TODAY)
    assert (result["kind"], result["valid"], result["warnings"]) == ("citizen_id", True, [])
    assert low.isoformat() <= str(result["birth_date"]) <= high.isoformat()
    if sex is not None:
        assert result["sex"] == sex


@settings(max_examples=300, deadline=None)
@given(seeds)
def test_gb32100_every_generated_uscc_is_valid_without_warnings(seed: int) -> None:
    code = random_uscc(random.Random(seed))
    result = check_identifier(code, today=TODAY)
    assert (result["kind"], result["valid"], result["warnings"]) == ("uscc", True, [])


@settings(max_examples=500, deadline=None)
@given(seeds, birth_dates, st.integers(0, 17), replacements)
def test_gb11643_any_single_substitution_is_invalid(
    seed: int, born: date, position: int, ch: str
) -> None:
    number = random_citizen_id(random.Random(seed), birth_from=born, birth_to=born)
    # A lower-case x for X is the same character after normalisation, not a substitution.
    assume(ch not in (number[position], number[position].lower()))
    assert isinstance(parse_citizen_id(_substitute(number, position, ch), today=TODAY), str)


@settings(max_examples=500, deadline=None)
@given(seeds, st.integers(0, 17), replacements)
def test_gb32100_any_single_substitution_is_invalid(seed: int, position: int, ch: str) -> None:
    code = random_uscc(random.Random(seed))
    assume(ch not in (code[position], code[position].lower()))
    mutated = _substitute(code, position, ch)
    assert isinstance(parse_uscc(mutated), str)
    result = check_identifier(mutated, today=TODAY)
    assert not (result["kind"] == "uscc" and result["valid"])
