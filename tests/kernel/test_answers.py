"""Issue 22 point 2: an answer written from its tree with orjson is what its model writes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from pcip.kernel.answers import Answer


class Kind(StrEnum):
    SELF = "self"


class Inner(BaseModel):
    day: date | None
    at: datetime
    note: str | None = None


class Outer(BaseModel):
    id: int
    kind: Kind
    name: str
    inner: Inner
    steps: list[Inner]
    fields: dict[str, Any]


def _tree(**fields: Any) -> dict[str, Any]:
    at = datetime(2026, 12, 7, 18, 16, 18, 123456, tzinfo=UTC)
    return {
        "id": 7,
        "kind": Kind.SELF,
        "name": '重庆示例科技有限公司 \u2028 "quoted" \\ é',
        "inner": {"day": date(2026, 1, 2), "at": at, "note": None},
        "steps": [
            {"day": None, "at": at.replace(microsecond=0), "note": "x"},
            {"day": None, "at": at.astimezone(timezone(timedelta(hours=8))), "note": None},
            {"day": None, "at": datetime(2026, 1, 2, 3, 4, 5), "note": None},  # SQLite: naive
        ],
        "fields": fields or {"amount": 5000.0, "count": 3, "flag": True, "list": [1, "二", None]},
    }


def _model_json(answer: Answer[Any]) -> bytes:
    return answer.model().model_dump_json(by_alias=True).encode()


def test_issue22_an_answers_json_is_byte_for_byte_its_models() -> None:
    answer = Answer(Outer, _tree())
    assert answer.json() == _model_json(answer)
    assert answer.model().inner.at.tzinfo is UTC  # the tree validates as the model


def test_issue22_an_integer_orjson_cannot_write_is_written_by_the_model() -> None:
    answer = Answer(Outer, _tree(big=2**64 + 1))
    assert answer.json() == _model_json(answer)
    assert json.loads(answer.json())["fields"]["big"] == 2**64 + 1


def test_issue22_a_float_with_an_exponent_is_the_same_number_in_other_words() -> None:
    """The one difference the module's docstring names: ``1e16`` against ``1e+16``."""
    answer = Answer(Outer, _tree(large=1e16, small=1e-7))
    assert json.loads(answer.json()) == json.loads(_model_json(answer))
    assert b'"large":1e16' in answer.json()
