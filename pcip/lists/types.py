"""List types (Art. 32): a data file checked on load, never edited in code.

``list_types.json`` holds every list type with its field, scope, designation standard,
removal conditions and procedure, remedies, statement period (D-10) and legal basis. The file
is parsed with ``ListTypeSpec``: a local type marked active without a local-regulation
citation, a serious type without its field, or a platform type without its statement period
is refused with the field and the reason, so a bad file stops the platform from starting
rather than letting an unlawful list type run.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pcip.errors import NotFound, ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg
from pcip.lists.schemas import ListTypeOut, ListTypesFile, ListTypeSpec

DATA_FILE = Path(__file__).with_name("list_types.json")


def parse(data: Any) -> ListTypesFile:
    """Check a list-types document; the error names the type and field at fault."""
    parsed = validate_data(ListTypesFile, data, field="types")
    codes = [t.code for t in parsed.types]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise ValidationError(msg("lists.types_repeated", codes=dupes), field="types")
    return parsed


def load(path: Path = DATA_FILE) -> ListTypesFile:
    return parse(json.loads(path.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, ListTypeSpec]:
    return {t.code: t for t in load().types}


def all_types(*, active_only: bool = True) -> list[ListTypeSpec]:
    return [t for t in _catalogue().values() if t.status == "active" or not active_only]


def get(code: str, *, field: str = "list_type") -> ListTypeSpec:
    spec = _catalogue().get(code)
    if spec is None or spec.status != "active":
        known = sorted(_catalogue())
        raise NotFound(msg("lists.no_list_type", code=code, known=known), field=field)
    return spec


def out(spec: ListTypeSpec) -> ListTypeOut:
    return ListTypeOut.model_validate(spec.model_dump())
