"""Issue 19.3 and 19.8: a console form's schema errors, all at once, each in the page's
language (``pcip.web.console.common.schema_refusal``): a validator's own coded message, or
pydantic's common checks worded through the message table, never pydantic's English on a
Chinese page."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from pcip.errors import FieldErrors
from pcip.kernel.messages import msg, render
from pcip.web.console.common import schema_refusal


class Form(BaseModel):
    reason: str = Field(min_length=1)
    title: str = Field(min_length=2, max_length=5)
    on: date
    amount: int
    number: str

    @field_validator("number")
    @classmethod
    def _coded(cls, value: str) -> str:
        raise ValueError(msg("forms.choose_from_list"))


def _refusal() -> FieldErrors:
    with pytest.raises(ValidationError) as caught:
        Form.model_validate(
            {"reason": "", "title": "x", "on": "someday", "amount": "lots", "number": "1"}
        )
    refusal = schema_refusal(caught.value)
    assert isinstance(refusal, FieldErrors)
    return refusal


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "zh_CN",
            {
                "reason": "此项必填",
                "title": "至少 2 个字符",
                "on": "不是有效日期（格式 YYYY-MM-DD）",
                "amount": "不是有效数字",
                "number": "请从列表中选择",
            },
        ),
        (
            "en",
            {
                "reason": "this field is required",
                "title": "at least 2 characters",
                "on": "not a date (YYYY-MM-DD)",
                "amount": "not a number",
                "number": "choose from the list",
            },
        ),
    ],
)
def test_issue19_3_a_form_s_schema_errors_read_in_the_page_s_language(
    locale: str, expected: dict[str, str]
) -> None:
    errors = _refusal().errors
    assert {e.field: render(e.message, locale) for e in errors} == expected
