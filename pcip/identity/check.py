"""One entry point to check any identifier (``pcip id check VALUE...``), for Art. 19 matching.

Classification, after stripping and upper-casing ASCII letters:

1. 15 ASCII digits: a legacy citizen identity number (converted, GB 11643-1999).
2. 17 ASCII digits + one more character, with positions 7-8 reading 18, 19 or 20 (a plausible
   birth century): a citizen identity number. If that check fails but the value is a valid USCC
   with no warnings, it is reported as a USCC: all-digit USCCs exist (e.g. ``12500118...``) and a
   mistyped citizen number almost never passes both the MOD 31 check and the embedded GB 11714
   check over a real region code.
3. Otherwise 18 characters of the USCC alphabet: a USCC (GB 32100-2015).
4. Anything else: ``unknown``, invalid, with a reason.

Nothing raises: every input, however malformed, gets a result.
"""

from __future__ import annotations

from datetime import date

from pcip.identity._text import is_ascii_digits, normalize, show
from pcip.identity.citizen_id import CitizenId, parse_citizen_id
from pcip.identity.uscc import ALPHABET, Uscc, parse_uscc
from pcip.kernel.messages import msg

__all__ = ["check_identifier"]

_PLAUSIBLE_CENTURIES = frozenset({"18", "19", "20"})
_USCC_ALPHABET = frozenset(ALPHABET)


def _looks_like_citizen_id(text: str) -> bool:
    return len(text) == 18 and is_ascii_digits(text[:17]) and text[6:8] in _PLAUSIBLE_CENTURIES


def _citizen_result(value: str, parsed: CitizenId) -> dict[str, object]:
    return {
        "value": value,
        "kind": "citizen_id",
        "valid": True,
        "warnings": list(parsed.warnings),
        "normalized": parsed.normalized,
        "birth_date": parsed.birth_date.isoformat(),
        "sex": parsed.sex.value,
        "region": {"code": parsed.region.code, "name": parsed.region.name},
    }


def _uscc_result(value: str, parsed: Uscc) -> dict[str, object]:
    entity = parsed.entity_type
    return {
        "value": value,
        "kind": "uscc",
        "valid": True,
        "warnings": list(parsed.warnings),
        "normalized": parsed.normalized,
        "authority": {
            "code": parsed.authority.code,
            "name_zh": parsed.authority.name_zh,
            "name_en": parsed.authority.name_en,
        },
        "entity_type": None
        if entity is None
        else {"code": entity.code, "name_zh": entity.name_zh, "name_en": entity.name_en},
        "region": None
        if parsed.region_name is None
        else {"code": parsed.region_code, "name": parsed.region_name},
        "organisation_code": parsed.organisation_code,
    }


def _invalid(value: str, kind: str, reason: str) -> dict[str, object]:
    return {"value": value, "kind": kind, "valid": False, "reason": reason, "warnings": []}


def _unknown_reason(text: str) -> str:
    if not text:
        return msg("identity.empty")
    if len(text) != 18:
        return msg("identity.length", n=len(text))
    bad = next((i for i, ch in enumerate(text) if ch not in _USCC_ALPHABET), 0)
    return msg("identity.character_not_allowed", ch=show(text[bad]), pos=bad + 1)


def _check_citizen_first(value: str, text: str, today: date) -> dict[str, object]:
    citizen = parse_citizen_id(text, today=today)
    if not isinstance(citizen, str):
        return _citizen_result(value, citizen)
    uscc = parse_uscc(text)
    if isinstance(uscc, Uscc) and not uscc.warnings:
        return _uscc_result(value, uscc)
    return _invalid(value, "citizen_id", citizen)


def check_identifier(value: str, *, today: date) -> dict[str, object]:
    """Classify and check a citizen identity number or USCC; never raises.

    Returns ``value`` (as given), ``kind`` (``citizen_id``, ``uscc`` or ``unknown``), ``valid``,
    ``reason`` (only when invalid), ``warnings`` (codes) and, when valid, the decoded parts.
    """
    text = normalize(value)
    if len(text) == 15 and is_ascii_digits(text):
        return _check_citizen_first(value, text, today)
    if _looks_like_citizen_id(text):
        return _check_citizen_first(value, text, today)
    if len(text) == 18 and all(ch in _USCC_ALPHABET for ch in text):
        uscc = parse_uscc(text)
        if isinstance(uscc, str):
            return _invalid(value, "uscc", uscc)
        return _uscc_result(value, uscc)
    return _invalid(value, "unknown", _unknown_reason(text))
