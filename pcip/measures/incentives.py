"""The incentive measures (Art. 31): a data file beside the punishment measures, checked on load.

Art. 31 lets city, district and county departments and units take, within their legal
authority, seven types of incentive for credit subjects with good credit, matched to the degree
of their trustworthy conduct and social contribution, and announce them to the public. Each item
names its type (1-7), its legal basis and its proportionality note, and is versioned by its
effective dates. Type 7 ("other incentives provided by laws, regulations and state provisions")
must cite that law beside Art. 31, or the file is refused.

Which subjects qualify for an incentive is a department's assessment of good credit; the
platform holds no such finding, so credit checks do not name incentives (docs/lists.md).
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.errors import ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg

DATA_FILE = Path(__file__).with_name("incentives.json")
#: Art. 31: the regulation's own citation for types 1-6.
ART31 = "《重庆市社会信用条例》第三十一条"


class IncentiveSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{2,47}$")
    #: Art. 31(1)-(7).
    type: int = Field(ge=1, le=7)
    name_zh: str = Field(min_length=2)
    name_en: str = Field(min_length=2)
    legal_basis: str
    #: The legal basis in English (the laws' official English titles, the articles), kept
    #: beside the citation as enacted; an English page shows it (issue 19.3). Versions
    #: published before it existed have none: their pages quote the Chinese.
    legal_basis_en: str | None = None
    proportionality: str
    effective_from: date
    effective_to: date | None

    def basis(self, locale: str) -> str:
        """The legal basis in ``locale`` (the Chinese where no English is given)."""
        english = not locale.startswith("zh") and bool(self.legal_basis_en)
        return self.legal_basis_en or "" if english else self.legal_basis

    @model_validator(mode="after")
    def _rules(self) -> IncentiveSpec:
        if not self.legal_basis.strip():
            raise ValueError("legal_basis: every incentive cites its legal authority (Art. 31)")
        if self.type == 7 and self.legal_basis.strip().startswith(ART31):
            raise ValueError(
                "legal_basis: a type 7 incentive cites the law, regulation or state provision "
                "that provides it (Art. 31(7))"
            )
        if not self.proportionality.strip():
            raise ValueError(
                "proportionality: every incentive says how it matches the degree of "
                "trustworthy conduct and social contribution (Art. 31)"
            )
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to: before effective_from")
        return self

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class IncentivesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    note: str = ""
    incentives: list[IncentiveSpec]


def parse(data: object) -> IncentivesFile:
    parsed = validate_data(IncentivesFile, data, field="incentives")
    seen: set[str] = set()
    for i, item in enumerate(parsed.incentives):
        if item.code in seen:
            raise ValidationError(
                msg("measures.incentive_twice", code=repr(item.code)), field=f"incentives.{i}.code"
            )
        seen.add(item.code)
    return parsed


@lru_cache(maxsize=1)
def _all() -> tuple[IncentiveSpec, ...]:
    return tuple(parse(json.loads(DATA_FILE.read_text(encoding="utf-8"))).incentives)


def in_force(on: date) -> list[IncentiveSpec]:
    """Art. 31: the incentive measures in force on ``on``, by type."""
    return sorted((m for m in _all() if m.in_force(on)), key=lambda m: (m.type, m.code))
