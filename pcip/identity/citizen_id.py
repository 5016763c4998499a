"""Citizen identity numbers (公民身份号码, GB 11643-1999), used for identity matching (Art. 19).

An 18-character number is a 6-digit address code (GB/T 2260), an 8-digit birth date YYYYMMDD,
a 3-digit sequence (odd = male, even = female) and an ISO 7064 MOD 11-2 check character.

Decisions taken here:

* Legacy 15-digit numbers (pre-1999, no century, no check character) are converted: "19" is
  inserted before the 2-digit year and the check character computed; the result carries the
  warning ``legacy_15_digit_converted``. Rejecting them would lose old records that are still
  perfectly attributable.
* The earliest accepted birth date is 1800-01-01, not 1900-01-01: the standard's own example
  440524188001010014 is born in 1880 and a validator must not reject its standard's vector.
* The address code only has to have been in use at some time in or after the birth year
  (see :mod:`pcip.identity.regions`), unlike python-stdnum's ``cn.ric`` which rejects e.g.
  Chongqing residents born before 1997.
* Residence permits for Taiwan residents (2018 measures on residence permits for Hong Kong,
  Macao and Taiwan residents) carry address code 830000, which is not in GB/T 2260; it is
  accepted as such. (810000 and 820000 are in GB/T 2260.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from pcip.errors import ValidationError
from pcip.identity._text import is_ascii_digits, normalize, show
from pcip.identity.regions import RegionInfo, RegionName, region_info
from pcip.kernel.messages import msg

__all__ = [
    "CHECK_CHARACTERS",
    "EARLIEST_BIRTH_DATE",
    "LEGACY_15_DIGIT_CONVERTED",
    "WEIGHTS",
    "CitizenId",
    "Sex",
    "citizen_id_check_character",
    "convert_legacy_15",
    "parse_citizen_id",
    "validate_citizen_id",
]

# GB 11643-1999 / ISO 7064 MOD 11-2: weight of position i is 2**(18-i) mod 11.
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Check character for S = sum mod 11 = 0..10.
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_DATE = date(1800, 1, 1)
LEGACY_15_DIGIT_CONVERTED = "legacy_15_digit_converted"

TAIWAN_RESIDENCE_PERMIT_REGION = RegionInfo(
    code="830000",
    name="台湾地区（台湾居民居住证）",
    first_year=2018,
    last_year=None,
    history=(RegionName("台湾地区（台湾居民居住证）", 2018, None),),
)


class Sex(StrEnum):
    """Sex encoded by the parity of the sequence code (GB 11643-1999 §5.3)."""

    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class CitizenId:
    """A valid citizen identity number and the parts it encodes."""

    normalized: str
    birth_date: date
    sex: Sex
    region: RegionInfo
    warnings: tuple[str, ...] = field(default=())


def citizen_id_check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 ASCII digits (GB 11643-1999).

    S = sum(digit_i * WEIGHTS[i]) mod 11 with WEIGHTS[i] = 2**(17-i) * 2 mod 11. Reading the
    digits as a base-13 number gives sum(digit_i * 13**(16-i)), and 13 = 2 (mod 11), so
    S = 2 * int(first17, 13) mod 11: the same sum computed in C, which keeps the synthetic
    generators fast. Callers must pass ASCII digits only (``int`` also accepts full-width digits
    and underscores); the tests check this identity against the explicit weights.
    """
    if len(first17) != 17:
        raise ValueError("citizen_id_check_character needs the first 17 digits")
    return CHECK_CHARACTERS[2 * int(first17, 13) % 11]


def convert_legacy_15(number: str) -> str:
    """Convert a 15-digit number to 18 digits: insert "19" before the year, add the check char.

    All 15-digit numbers were issued to people born in the 1900s (they predate 1999).
    """
    first17 = number[:6] + "19" + number[6:]
    return first17 + citizen_id_check_character(first17)


def _check_shape(number: str) -> str | None:
    if len(number) != 18:
        return msg("identity.length", n=len(number))
    for position, ch in enumerate(number[:17], start=1):
        if ch not in "0123456789":
            return msg("identity.not_a_digit", ch=show(ch), pos=position)
    expected = citizen_id_check_character(number[:17])
    if number[17] != expected:
        return msg("identity.check_character", got=show(number[17]), want=expected)
    return None


def _birth_date(digits: str, today: date) -> date | str:
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return msg("identity.birth_not_a_date", d=digits)
    if born > today:
        return msg("identity.birth_after_today", d=born.isoformat(), today=today.isoformat())
    if born < EARLIEST_BIRTH_DATE:
        return msg(
            "identity.birth_too_early", d=born.isoformat(), earliest=EARLIEST_BIRTH_DATE.isoformat()
        )
    return born


def _region(code: str, birth_year: int) -> RegionInfo | str:
    info = TAIWAN_RESIDENCE_PERMIT_REGION if code == "830000" else region_info(code)
    if info is None:
        return msg("identity.region_unknown", code=code)
    if not info.in_use_in_or_after(birth_year):
        return msg(
            "identity.region_abolished",
            code=code,
            name=info.name,
            last_year=info.last_year,
            birth_year=birth_year,
        )
    return info


def _parse_18(number: str, today: date, warnings: tuple[str, ...]) -> CitizenId | str:
    problem = _check_shape(number)
    if problem is not None:
        return problem
    born = _birth_date(number[6:14], today)
    if isinstance(born, str):
        return born
    region = _region(number[:6], born.year)
    if isinstance(region, str):
        return region
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return CitizenId(number, born, sex, region, warnings)


def parse_citizen_id(value: str, *, today: date) -> CitizenId | str:
    """Parse a citizen identity number; return the decoded number or a one-line reason.

    Never raises. Input is stripped and ASCII letters upper-cased (lower-case ``x`` accepted);
    15-digit legacy numbers are converted (see the module docstring).
    """
    number = normalize(value)
    if len(number) == 15 and is_ascii_digits(number):
        return _parse_18(convert_legacy_15(number), today, (LEGACY_15_DIGIT_CONVERTED,))
    return _parse_18(number, today, ())


def validate_citizen_id(value: str, *, today: date, field: str = "citizen_id") -> CitizenId:
    """Validate a citizen identity number (GB 11643-1999) for identity matching (Art. 19).

    Raises :class:`pcip.errors.ValidationError` naming ``field`` with the same reason text that
    :func:`pcip.identity.check.check_identifier` reports.
    """
    result = parse_citizen_id(value, today=today)
    if isinstance(result, str):
        raise ValidationError(result, field=field)
    return result
