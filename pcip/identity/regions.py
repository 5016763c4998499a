"""GB/T 2260 administrative division codes with the years each code was in use.

The data is python-stdnum's bundled ``cn/loc.dat`` (read through ``stdnum.numdb``). Its format:
a 2-digit province line (``50 province="重庆市"``) followed by indented 4-digit lines for the
rest of the code (``  0103 county="[1997-]渝中区"``). A ``county`` value is one or more
comma-separated names, each optionally prefixed by ``[first-last]``: the first and last year the
code carried that name, both inclusive, either side may be empty (open). A name without brackets
has been in use for the whole period the data covers.

Identity matching (Art. 19 of the Chongqing Social Credit Regulations) needs one rule from this
data: a citizen identity number's address code must have been in use at some time in or after
the birth year. A code *created* after the birth year is fine (numbers are issued after birth,
with the code in use at issue: Chongqing's 50xxxx codes date from 1997 and people born in 1990
carry them); a code *abolished* before the birth year cannot be right. python-stdnum's
``cn.ric`` instead requires the code to exist in the birth year, which rejects real people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from stdnum import numdb

__all__ = [
    "RegionInfo",
    "RegionName",
    "all_regions",
    "region_info",
]

_PERIOD_RE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")
_CODE_RE = re.compile(r"[0-9]{6}")

# Names that only group codes ("municipal districts", "counties") and add nothing to a full name.
_GROUPING_NAMES = frozenset(
    {
        "市辖区",
        "县",
        "市",
        "省直辖县级行政单位",
        "省直辖行政单位",
        "自治区直辖县级行政单位",
    }
)


@dataclass(frozen=True, slots=True)
class RegionName:
    """One name a code carried, with the inclusive years (``None`` = open-ended)."""

    name: str
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """A GB/T 2260 code: its full name and the years it was in use.

    ``name`` is the latest name, prefixed by the province and prefecture names where they add
    information (e.g. ``重庆市渝中区``). ``first_year`` is ``None`` when the code predates the
    data; ``last_year`` is ``None`` while the code is still in use.
    """

    code: str
    name: str
    first_year: int | None
    last_year: int | None
    history: tuple[RegionName, ...]

    def in_use_in_or_after(self, year: int) -> bool:
        """Whether the code was in use at some time in or after ``year``.

        This is the address-code rule for citizen identity numbers (GB 11643-1999): only a code
        abolished before the birth year is impossible.
        """
        return self.last_year is None or self.last_year >= year


def _parse_periods(value: str) -> tuple[RegionName, ...]:
    periods: list[RegionName] = []
    for part in value.split(","):
        match = _PERIOD_RE.match(part)
        if match is None:
            periods.append(RegionName(part, None, None))
            continue
        first, last, name = match.groups()
        periods.append(RegionName(name, int(first) if first else None, int(last) if last else None))
    return tuple(periods)


def _span(history: tuple[RegionName, ...]) -> tuple[int | None, int | None]:
    """The years covered by all names: open on a side if any name is open on that side."""
    firsts = [p.first_year for p in history]
    lasts = [p.last_year for p in history]
    first = None if None in firsts else min(y for y in firsts if y is not None)
    last = None if None in lasts else max(y for y in lasts if y is not None)
    return first, last


def _expand(low: str, high: str) -> list[str]:
    """numdb lines may carry ranges (``0101-0105``); loc.dat does not, but stay correct."""
    if low == high:
        return [low]
    return [str(n).zfill(len(low)) for n in range(int(low), int(high) + 1)]


def _raw_entries() -> tuple[dict[str, str], dict[str, tuple[RegionName, ...]]]:
    """Walk the numdb tree: province names by 2-digit prefix, and histories by 6-digit code."""
    provinces: dict[str, str] = {}
    counties: dict[str, tuple[RegionName, ...]] = {}
    prefix_tree: list[Any] = numdb.get("cn/loc").prefixes
    for _length, low, high, props, children in prefix_tree:
        for province in _expand(low, high):
            provinces[province] = props.get("province", "")
            for _clen, clow, chigh, cprops, _grand in children:
                for suffix in _expand(clow, chigh):
                    counties[province + suffix] = _parse_periods(cprops.get("county", ""))
    return provinces, counties


def _latest_name(history: tuple[RegionName, ...]) -> str:
    # loc.dat lists a code's names chronologically; the last one is the current (or final) name.
    return history[-1].name if history else ""


def _full_name(
    code: str, provinces: dict[str, str], counties: dict[str, tuple[RegionName, ...]]
) -> str:
    own = _latest_name(counties[code])
    province_code = code[:2] + "0000"
    province = _latest_name(counties.get(province_code, ())) or provinces.get(code[:2], "")
    if code == province_code:
        return own or province
    parts = [province]
    prefecture_code = code[:4] + "00"
    if code != prefecture_code:
        prefecture = _latest_name(counties.get(prefecture_code, ()))
        if prefecture not in _GROUPING_NAMES and prefecture != province:
            parts.append(prefecture)
    # The code's own name always goes in, even a grouping one: "重庆市市辖区" (500100) must not
    # read the same as the municipality itself (500000).
    parts.append(own)
    return "".join(parts)


@cache
def _table() -> dict[str, RegionInfo]:
    provinces, counties = _raw_entries()
    table: dict[str, RegionInfo] = {}
    for code, history in counties.items():
        first, last = _span(history)
        name = _full_name(code, provinces, counties)
        table[code] = RegionInfo(code, name, first, last, history)
    return table


def region_info(code: str) -> RegionInfo | None:
    """Look up a 6-digit GB/T 2260 code; ``None`` when it is not (and never was) a code."""
    if not _CODE_RE.fullmatch(code):
        return None
    return _table().get(code)


@cache
def all_regions() -> tuple[RegionInfo, ...]:
    """Every code in the data, in file order (deterministic, for the synthetic generators)."""
    return tuple(_table().values())
