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

from pcip.errors import ValidationError

M = TypeVar("M", bound=BaseModel)


def validate_data(model: type[M], data: object, *, field: str) -> M:
    """``data`` as ``model``, or the first problem as a ``ValidationError`` naming its path
    (``field`` when the problem is the document as a whole)."""
    try:
        return model.model_validate(data)
    except PydanticError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        if ": " in message and message.split(": ", 1)[0].isidentifier():
            sub, message = message.split(": ", 1)
            loc = f"{loc}.{sub}" if loc else sub
        raise ValidationError(message, field=loc or field) from None
