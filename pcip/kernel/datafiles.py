"""Checking the legal-parameter data files (list types, measure lists, incentive measures).

Their shapes are pydantic models; a refused file raises the project's ``ValidationError``
whose field is the dotted path to the value at fault (``types.2.legal_basis``), so an operator
can find the row. A model validator names a sub-field by starting its message with
``name: ``.
"""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from pcip.errors import Collect, ValidationError

M = TypeVar("M", bound=BaseModel)


def validate_data(model: type[M], data: object, *, field: str) -> M:
    """``data`` as ``model``, or its problems as a ``ValidationError`` naming the path of the
    first (``field`` when the problem is the document as a whole): a ``FieldErrors`` naming
    each field when there are several, so a form shows them all at once (issue 19.8)."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        problems = Collect()
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            if ": " in message and message.split(": ", 1)[0].isidentifier():
                sub, message = message.split(": ", 1)
                loc = f"{loc}.{sub}" if loc else sub
            with problems:
                raise ValidationError(message, field=loc or field) from None
        problems.raise_any()
        raise AssertionError("unreachable: pydantic refused the data without an error") from None
