"""An answer built once as plain values, written out as JSON without building its model
(issue 22 point 2: "answers serialised once (orjson)").

A service that answers a hot request (the three logged inquiries) builds its answer as a tree
of plain values (dicts, lists, strings, numbers, dates and datetimes) keyed and ordered as the
fields of its pydantic model. The API writes the tree with orjson; every other door (the web
pages, reports, the command line) asks for the model, validated from the same tree. In one
thread, a self answer's 2.4 records cost 154 µs as models written by pydantic, 96-103 µs as a
tree written by orjson; under load the server's CPU per self inquiry fell by about a tenth
(docs/performance.md, eighth pass).

orjson writes what pydantic's ``model_dump_json`` writes for such a tree (UTC as ``Z``, dates
as ISO text, no ASCII escaping, enums as their values), with one difference it is not given:
a float with an exponent (``1e16``, which pydantic writes ``1e+16``: the same number).
``tests/conftest.py`` compares the two for every answer the suite builds; where orjson cannot
write a value (an integer past 64 bits) the model writes the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

#: pydantic writes a UTC datetime with ``Z``; orjson does with this option.
_OPTIONS = orjson.OPT_UTC_Z


@dataclass(frozen=True, slots=True)
class Answer(Generic[M]):
    """The content of a ``model_type`` as plain values, in its fields' order."""

    model_type: type[M]
    tree: dict[str, Any]

    def model(self) -> M:
        """The model, validated from the tree (a tree that does not fit it raises)."""
        return self.model_type.model_validate(self.tree)

    def json(self) -> bytes:
        """The answer as JSON, as the model would write it."""
        try:
            return orjson.dumps(self.tree, option=_OPTIONS)
        except orjson.JSONEncodeError:  # e.g. an integer past 64 bits: the model writes it
            return self.model().model_dump_json(by_alias=True).encode()


__all__ = ["Answer"]
