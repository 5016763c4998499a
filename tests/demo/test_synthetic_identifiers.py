"""Synthetic citizen IDs (GB 11643-1999) and USCCs (GB 32100-2015, GB 11714) for demos/tests."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from pcip.demo.generators import random_citizen_id, random_uscc
from pcip.identity import parse_citizen_id, parse_uscc, region_info
from pcip.identity.citizen_id import CitizenId
from pcip.identity.uscc import Uscc

TODAY = date(2025, 6, 1)


def test_gb11643_synthetic_citizen_ids_deterministic_for_a_seed() -> None:
    def batch(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [
            random_citizen_id(rng, birth_from=date(1950, 1, 1), birth_to=date(2020, 1, 1))
            for _ in range(50)
        ]

    assert batch(7) == batch(7)
    assert batch(7) != batch(8)


def test_gb32100_synthetic_usccs_deterministic_for_a_seed() -> None:
    def batch(seed: int) -> list[str]:
        rng = random.Random(seed)
        return [random_uscc(rng) for _ in range(50)]

    assert batch(7) == batch(7)
    assert batch(7) != batch(8)


@pytest.mark.parametrize("year", range(1960, 2011, 5))
def test_art19_chongqing_prefix_works_for_births_1960_to_2010(year: int) -> None:
    rng = random.Random(year)
    for _ in range(200):
        number = random_citizen_id(
            rng, birth_from=date(year, 1, 1), birth_to=date(year, 12, 31), region_prefix="50"
        )
        assert number.startswith("50")
        result = parse_citizen_id(number, today=TODAY)
        assert isinstance(result, CitizenId), (number, result)
        assert result.birth_date.year == year


def test_gb11643_synthetic_region_never_abolished_before_birth_year() -> None:
    rng = random.Random(1)
    for _ in range(2000):
        number = random_citizen_id(rng, birth_from=date(2011, 1, 1), birth_to=date(2024, 12, 31))
        info = region_info(number[:6])
        assert info is not None and info.in_use_in_or_after(int(number[6:10]))
        assert number[:6] != "110103"  # 崇文区, abolished 2010


def test_gb11643_synthetic_sex_parameter() -> None:
    rng = random.Random(3)

    def sequence_digit(sex: str) -> int:
        number = random_citizen_id(
            rng, birth_from=date(1980, 1, 1), birth_to=date(1990, 1, 1), sex=sex
        )
        return int(number[16])

    assert all(sequence_digit("male") % 2 == 1 for _ in range(200))
    assert all(sequence_digit("female") % 2 == 0 for _ in range(200))


def test_gb11643_synthetic_rejects_bad_arguments() -> None:
    rng = random.Random(0)
    with pytest.raises(ValueError):
        random_citizen_id(rng, birth_from=date(2000, 1, 1), birth_to=date(1999, 1, 1))
    with pytest.raises(ValueError):
        random_citizen_id(rng, birth_from=date(1700, 1, 1), birth_to=date(1999, 1, 1))
    with pytest.raises(ValueError):
        random_citizen_id(
            rng, birth_from=date(2000, 1, 1), birth_to=date(2000, 1, 1), region_prefix="99"
        )
    with pytest.raises(ValueError):
        random_citizen_id(
            rng, birth_from=date(2000, 1, 1), birth_to=date(2000, 1, 1), region_prefix="5x"
        )
    with pytest.raises(ValueError):
        random_citizen_id(rng, birth_from=date(2000, 1, 1), birth_to=date(2000, 1, 1), sex="m")
    with pytest.raises(ValueError):
        random_uscc(rng, authority="9", entity_type="51")


def test_gb32100_synthetic_mix_is_mostly_91_with_letter_authorities() -> None:
    rng = random.Random(5)
    counts = Counter(random_uscc(rng)[0] for _ in range(5000))
    assert counts["9"] > 3500
    assert counts["Y"] > 0 and counts["N"] > 0 and counts["A"] > 0


@pytest.mark.parametrize(
    ("authority", "entity_type", "head"),
    [("Y", None, "Y1"), ("1", "1", "11"), (None, "92", "92"), ("N", "2", "N2")],
)
def test_gb32100_synthetic_filters(
    authority: str | None, entity_type: str | None, head: str
) -> None:
    rng = random.Random(11)
    for _ in range(100):
        code = random_uscc(rng, authority=authority, entity_type=entity_type, region_prefix="50")
        assert code.startswith(head) and code[2:4] == "50"
        result = parse_uscc(code)
        assert isinstance(result, Uscc) and result.warnings == ()
