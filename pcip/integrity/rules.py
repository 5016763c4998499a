"""Government-integrity rules as data (``data/rules.yaml``): the Art. 9 reasons, lawful or
not, and the Art. 10 evaluation weights, each with its citation."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from pcip.errors import ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg

DATA_FILE = Path(__file__).parent / "data" / "rules.yaml"


class Reason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z_]{3,32}$")
    lawful: bool
    name_zh: str
    name_en: str


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")

    performance_rate: int = Field(ge=0, le=100)
    no_breach: int = Field(ge=0, le=100)
    compensation_rate: int = Field(ge=0, le=100)


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["pcip.integrity/1"]
    reasons: list[Reason] = Field(min_length=1)
    reasons_citation: str = Field(min_length=3)
    weights: Weights
    breach_cap: int = Field(ge=1)
    weights_citation: str = Field(min_length=3)
    interval_months: int = Field(ge=1, le=60)


def parse(data: object) -> Rules:
    r = validate_data(Rules, data, field="rules")
    w = r.weights
    if w.performance_rate + w.no_breach + w.compensation_rate != 100:
        raise ValidationError(msg("integrity.weights_sum"), field="weights")
    return r


@lru_cache(maxsize=1)
def rules() -> Rules:
    return parse(yaml.safe_load(DATA_FILE.read_text(encoding="utf-8")))


def reason(code: str) -> Reason:
    r = next((x for x in rules().reasons if x.code == code), None)
    if r is None:
        raise ValidationError(
            msg(
                "integrity.unknown_reason", code=repr(code), codes=[x.code for x in rules().reasons]
            ),
            field="reason",
        )
    return r
