"""Synthetic citizen identity numbers and USCCs that pass the platform's own checks.

Faker's Chinese ID numbers ignore the region-year rule and it has no USCC, so demo and test data
come from here. Every value is valid per :mod:`pcip.identity` (GB 11643-1999 with the address
code rule of :mod:`pcip.identity.regions`; GB 32100-2015 with a correct embedded GB 11714
organisation code, so no warnings). Generation only draws from the ``rng`` passed in: the same
seed gives the same values.

Region pools are precomputed per (prefix, birth year) and cached, so a million numbers take
seconds.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date
from functools import cache
from itertools import accumulate

from pcip.identity.citizen_id import EARLIEST_BIRTH_DATE, Sex, citizen_id_check_character
from pcip.identity.regions import RegionInfo, all_regions
from pcip.identity.uscc import (
    ALPHABET,
    ENTITY_TYPES,
    org_code_check_character,
    uscc_check_character,
)

__all__ = ["random_citizen_id", "random_uscc"]

# Names that only group codes; no organisation or person is registered "in" them.
_GROUPING_NAMES = frozenset(
    {"市辖区", "县", "市", "省直辖县级行政单位", "省直辖行政单位", "自治区直辖县级行政单位"}
)
# Taiwan, Hong Kong and Macao: no mainland-issued identity numbers or USCCs carry these codes.
_EXCLUDED_PROVINCES = frozenset({"71", "81", "82"})
# USCCs were first issued on 2015-10-01 (GB 32100-2015): only codes in use since then appear.
_USCC_FIRST_YEAR = 2015

# Relative frequency of authority + entity-type codes: market-regulation enterprises dominate.
_ENTITY_WEIGHTS: dict[str, int] = {
    "91": 700,
    "92": 100,
    "93": 40,
    "12": 40,
    "11": 30,
    "13": 5,
    "19": 5,
    "51": 20,
    "52": 20,
    "53": 5,
    "31": 5,
    "81": 5,
    "Y1": 10,
    "N2": 10,
    "N1": 3,
    "N3": 2,
    "A1": 3,
}
_DIGITS = "0123456789"
_ALPHABET_CHARS = tuple(ALPHABET)
_STILL_IN_USE = 9999  # sort key for codes with no last year
_NEW_ORG_CODE_SHARE = 0.4  # codes issued with the USCC begin "MA" (GB 11714 after 2015)


def _own_name(info: RegionInfo) -> str:
    return info.history[-1].name if info.history else ""


def _usable(info: RegionInfo, prefix: str) -> bool:
    return (
        info.code.startswith(prefix)
        and info.code[:2] not in _EXCLUDED_PROVINCES
        and _own_name(info) not in _GROUPING_NAMES
    )


def _last_year_key(info: RegionInfo) -> int:
    return _STILL_IN_USE if info.last_year is None else info.last_year


@cache
def _citizen_codes_by_last_year(prefix: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """County-level codes under ``prefix``, sorted by last year in use (still in use first),
    with the negated last years as a bisect key."""
    infos = sorted(
        (info for info in all_regions() if info.code[4:] != "00" and _usable(info, prefix)),
        key=lambda info: -_last_year_key(info),
    )
    return tuple(i.code for i in infos), tuple(-_last_year_key(i) for i in infos)


@cache
def _citizen_region_pool(prefix: str, birth_year: int) -> tuple[str, ...]:
    """County-level codes in use in or after ``birth_year`` (the GB 11643 address-code rule):
    a prefix of the list sorted by last year, so each birth year costs one bisect."""
    codes, keys = _citizen_codes_by_last_year(prefix)
    return codes[: bisect_right(keys, -birth_year)]


@cache
def _uscc_region_pool(prefix: str) -> tuple[str, ...]:
    """Codes (any level: a municipal body registers at 500000) in use since USCCs exist."""
    return tuple(
        info.code
        for info in all_regions()
        if _usable(info, prefix) and info.in_use_in_or_after(_USCC_FIRST_YEAR)
    )


def _check_prefix(prefix: str | None) -> str:
    if not prefix:
        return ""
    if len(prefix) > 6 or not all(ch in _DIGITS for ch in prefix):
        raise ValueError(f"region_prefix must be up to 6 digits, got {prefix!r}")
    return prefix


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    # rng.random() indexing is several times faster than rng.choice and equally deterministic;
    # its bias (at most len/2**53) is irrelevant for synthetic data.
    return items[int(rng.random() * len(items))]


def _sequence(rng: random.Random, male: bool) -> int:
    # GB 11643-1999: odd sequence = male, even = female; 000 is not issued.
    if male:
        return 2 * int(rng.random() * 500) + 1  # 1..999
    return 2 * int(rng.random() * 499) + 2  # 2..998


def random_citizen_id(
    rng: random.Random,
    *,
    birth_from: date,
    birth_to: date,
    region_prefix: str | None = None,
    sex: str | None = None,
) -> str:
    """A valid 18-digit citizen identity number born in ``[birth_from, birth_to]``.

    The address code is drawn from GB/T 2260 codes in use in or after the birth year, so
    ``region_prefix="50"`` gives Chongqing codes even for births before 1997. ``sex`` is
    ``"male"``, ``"female"`` or ``None`` (either). The generator has no clock: keep
    ``birth_to`` on or before the ``today`` the numbers will be checked against.
    """
    if birth_from > birth_to or birth_from < EARLIEST_BIRTH_DATE:
        raise ValueError(f"need {EARLIEST_BIRTH_DATE} <= birth_from <= birth_to")
    prefix = _check_prefix(region_prefix)
    # A plain bool, not the Sex enum: enum member lookups dominate a million-number run.
    male = rng.random() < 0.5 if sex is None else Sex(sex) is Sex.MALE
    first, days = birth_from.toordinal(), birth_to.toordinal() - birth_from.toordinal() + 1
    born = date.fromordinal(first + int(rng.random() * days))
    pool = _citizen_region_pool(prefix, born.year)
    if not pool:
        raise ValueError(f"no GB/T 2260 code starts with {prefix!r} for birth year {born.year}")
    first17 = (
        f"{_pick(rng, pool)}{born.year:04d}{born.month:02d}{born.day:02d}{_sequence(rng, male):03d}"
    )
    return first17 + citizen_id_check_character(first17)


@cache
def _entity_choices(
    authority: str | None, entity_type: str | None
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Entity-type codes matching the filters, with cumulative weights to bisect into."""
    codes = tuple(
        code
        for code in ENTITY_TYPES
        if (authority is None or code[0] == authority)
        and (entity_type is None or code[1] == entity_type or code == entity_type)
    )
    if not codes:
        raise ValueError(f"no entity type for authority={authority!r}, type={entity_type!r}")
    # Codes absent from the weight table are rare but possible: weight 1.
    return codes, tuple(accumulate(_ENTITY_WEIGHTS.get(code, 1) for code in codes))


def _org_code(rng: random.Random) -> str:
    if rng.random() < _NEW_ORG_CODE_SHARE:
        body = "MA" + "".join([_pick(rng, _ALPHABET_CHARS) for _ in range(6)])
    else:
        body = f"{int(rng.random() * 100_000_000):08d}"
    return body + org_code_check_character(body)


def random_uscc(
    rng: random.Random,
    *,
    authority: str | None = None,
    entity_type: str | None = None,
    region_prefix: str | None = None,
) -> str:
    """A valid USCC with a valid embedded organisation code (GB 32100-2015, GB 11714).

    ``authority`` is the first character (``"9"``, ``"Y"``, ...); ``entity_type`` the second
    character or the full two-character code (``"1"`` or ``"91"``). Without filters the mix is
    mostly 91 enterprises, with letter authorities (A, N, Y) included.
    """
    codes, cumulative = _entity_choices(authority, entity_type)
    prefix = _check_prefix(region_prefix)
    pool = _uscc_region_pool(prefix)
    if not pool:
        raise ValueError(f"no GB/T 2260 code in use since 2015 starts with {prefix!r}")
    entity = codes[bisect_right(cumulative, rng.random() * cumulative[-1])]
    first17 = entity + _pick(rng, pool) + _org_code(rng)
    return first17 + uscc_check_character(first17)
