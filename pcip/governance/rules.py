"""The rules of change proposals as data (``data/rules.yaml``), each with its citation:
the seven stakeholder groups (Art. 17, 35), the comment period, the eight catalog scope
categories (Art. 18) and the five measure scope types (Art. 36)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from pcip.errors import ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import Both, msg

DATA_FILE = Path(__file__).parent / "data" / "rules.yaml"


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z_]{3,32}$")
    name_zh: str
    name_en: str


class Scope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1, le=8)
    name_zh: str
    #: The scope is open only where a (local) regulation provides: the citation must say so.
    citation_required: bool


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["pcip.governance/1"]
    groups: list[Group] = Field(min_length=7, max_length=7)
    groups_citation: str = Field(min_length=3)
    comment_days: int = Field(ge=1, le=365)
    comment_days_citation: str = Field(min_length=3)
    #: The same citation as Chinese text cites it (a refusal in Chinese names it so).
    comment_days_citation_zh: str = Field(min_length=3)
    catalog_categories: list[Scope] = Field(min_length=8, max_length=8)
    catalog_citation: str = Field(min_length=3)
    measure_types: list[Scope] = Field(min_length=5, max_length=5)
    measure_citation: str = Field(min_length=3)


def parse(data: object) -> Rules:
    return validate_data(Rules, data, field="rules")


@lru_cache(maxsize=1)
def rules() -> Rules:
    return parse(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


def group_codes() -> tuple[str, ...]:
    return tuple(g.code for g in rules().groups)


def group_names(codes: list[str]) -> list[Both]:
    """The names of the groups ``codes``, in both languages (a message's parameter)."""
    names = {g.code: Both(g.name_zh, g.name_en) for g in rules().groups}
    return [names[c] for c in codes]


def check_group(code: str) -> str:
    if code not in group_codes():
        raise ValidationError(
            msg("governance.unknown_group", code=code, group_codes=list(group_codes())),
            field="group",
        )
    return code


def cites_local_regulation(citation: str) -> bool:
    """Art. 17, 35: the provision cited is in a local regulation (地方性法规: 条例, 规定)."""
    text = citation.strip()
    return len(text) >= 6 and any(w in text for w in ("条例", "规定", "regulation", "Regulation"))
