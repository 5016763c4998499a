"""The assessment model (Art. 30): a data file with citations, and the pure scoring function.

``score(inputs, model)`` is the whole rule: the same inputs and version always give the same
grade and reason codes. Inputs are counts of records per catalog item and the number of
seriously untrustworthy listings in force; where they come from is ``service`` (one subject,
from what the authority mode may read) and ``batch`` (every subject, one aggregate query).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.kernel.datafiles import validate_data

MODEL_FILE = Path(__file__).parent / "data" / "model.yaml"
Grade = Literal["A", "B", "C", "D"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GradeBand(_Strict):
    grade: Grade
    min_score: int = Field(ge=0)
    meaning_en: str
    meaning_zh: str


class Weight(_Strict):
    item: str = ""
    points: int
    cap: int = Field(ge=1)
    reason: str = Field(pattern=r"^[A-Z][A-Z_]+$")
    citation: str = Field(min_length=5)


class Defaults(_Strict):
    negative: Weight
    positive: Weight


class SeriousList(Weight):
    grade_cap: Grade


class Model(_Strict):
    version: str = Field(min_length=1)
    effective_from: date
    legal_basis: str = Field(min_length=5)
    base_score: int
    min_score: int
    max_score: int
    grades: tuple[GradeBand, ...]
    weights: tuple[Weight, ...]
    default: Defaults
    serious_list: SeriousList

    @model_validator(mode="after")
    def _bands(self) -> Model:
        order = [g.grade for g in self.grades]
        if order != ["A", "B", "C", "D"]:
            raise ValueError("grades: list A, B, C, D in that order")
        mins = [g.min_score for g in self.grades]
        if mins != sorted(mins, reverse=True) or mins[-1] != self.min_score:
            raise ValueError("grades: minimum scores must fall from A to D, D at min_score")
        items = [w.item for w in self.weights]
        if len(set(items)) != len(items) or "" in items:
            raise ValueError("weights: each item once, by code")
        return self


def parse(data: object) -> Model:
    return validate_data(Model, data, field="model")


@cache
def current() -> Model:
    return parse(yaml.safe_load(MODEL_FILE.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Reason:
    code: str
    count: int
    points: int
    citation: str


@dataclass(frozen=True)
class Result:
    model_version: str
    score: int
    grade: Grade
    reasons: tuple[Reason, ...]


def score(
    items: Mapping[tuple[str, str], int], listings: int, model: Model | None = None
) -> Result:
    """Art. 30: the grade of one subject from its counts per (item code, polarity)."""
    m = model or current()
    by_item = {w.item: w for w in m.weights}
    total = m.base_score
    reasons: list[Reason] = []
    for (item, polarity), count in sorted(items.items()):
        if count <= 0:
            continue
        w = by_item.get(item)
        if w is None:
            if polarity == "negative":
                w = m.default.negative
            elif polarity == "positive":
                w = m.default.positive
            else:
                continue
        counted = min(count, w.cap)
        points = w.points * counted
        total += points
        reasons.append(Reason(w.reason, count, points, w.citation))
    capped: Grade | None = None
    if listings > 0:
        s = m.serious_list
        points = s.points * min(listings, s.cap)
        total += points
        reasons.append(Reason(s.reason, listings, points, s.citation))
        capped = s.grade_cap
    total = max(m.min_score, min(m.max_score, total))
    grade = next(g.grade for g in m.grades if total >= g.min_score)
    if capped is not None and grade < capped:  # "A" < "D": the cap lowers the grade
        grade = capped
    reasons.sort(key=lambda r: (r.points, r.code))
    return Result(m.version, total, grade, tuple(reasons))
