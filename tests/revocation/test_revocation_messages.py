"""Issue 19.3: the schema of a basis-document change (Art. 44) checks the new basis with coded
messages, never English a page would match by pattern."""

from __future__ import annotations

import pytest
from pydantic import ValidationError as PydanticError

from pcip.kernel.messages import Message
from pcip.revocation.schemas import ChangeIn
from tests.web.test_console_revocations import FORM


def test_art44_the_schema_carries_its_coded_check_of_the_new_basis() -> None:
    """The API says the English; the code rides along for a page to word it."""
    with pytest.raises(PydanticError) as exc:
        ChangeIn.model_validate({**FORM, "kind": "amended"})
    coded = exc.value.errors()[0]["ctx"]["error"].args[0]
    assert isinstance(coded, Message) and coded.key == "revocation.needs_new_basis"
    assert coded.render("zh_CN") == "变更须写明变更后的依据文书"
    assert "a change names the basis document as changed" in str(exc.value)
