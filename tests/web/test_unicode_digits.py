"""Digits that are not ASCII (superscripts such as '²' pass str.isdigit() but not int())
are refused with the field's error, never a server error (hardening, Art. 27)."""

from __future__ import annotations

import pytest

from pcip.errors import ValidationError
from pcip.web.console.common import parse_id


@pytest.mark.parametrize("text", ["²", "１２", "٣"])
def test_an_id_in_other_digits_is_refused_at_its_field(text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_id(text, "record_id")
    assert refused.value.field == "record_id"
