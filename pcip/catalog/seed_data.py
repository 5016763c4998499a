"""Reference catalogs seeded by ``pcip init`` (Art. 16-18), read from versioned data files.

Two catalogs, one file each in ``pcip/catalog/data/`` (YAML, the form in which later catalog
versions are proposed and published):

* ``national_basic.yaml``: the items of the National Basic Catalog of Public Credit Information
  (2024 edition) that Chongqing providing units supply to the platform (Art. 16);
* ``cq_supplement.yaml``: the city supplemental catalog compiled by the municipal development
  and reform department (Art. 17), restricted to the eight scope categories of Art. 18.

An item code belongs to exactly one catalog. Items of the national catalog carry the Art. 18
category they fall under so that both catalogs share one classification.

Every file is checked on load against :class:`pcip.catalog.schemas.CatalogSpec`; a wrong value
is a :class:`CatalogDataError` naming the file, the item, the field and the reason.

Record layouts
--------------
* ``admin_penalty`` and ``admin_licence`` accept the double-publicity layouts (CF_* / XK_*,
  docs/facts.md#double-publicity) as-is; their field names are the layout codes.
* Every other item uses snake_case English field names and one generic subject block
  (``subject_name``, ``subject_category``, ``uscc``, ``document_type``, ``document_number``).

Periods
-------
* ``inquiry_period``: Art. 43 gives natural persons' untrustworthiness information a 5-year
  inquiry period from the end of the conduct. Only persons get a statutory period (D-6), so every
  negative item carries ``applies_to=(person,)``; legal persons' and organisations' periods come
  from national rules and are expressed per item through ``severity_classes`` (publicity periods).
* ``severity_classes``: docs/facts.md#publicity-periods (State Council General Office 2025 No. 22;
  NDRC credit restoration measures in force 2026-04-01), for items whose publicity those rules
  govern. These are policy numbers: seeded with their citation, changed by publishing a new version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import ValidationError as PydanticValidationError

from pcip.catalog.schemas import (
    CatalogSpec,
)
from pcip.errors import PcipError

__all__ = [
    "CQ_SUPPLEMENT",
    "DATA_DIR",
    "FORMAT",
    "NATIONAL_BASIC",
    "PARTY_CATEGORIES",
    "SEED_CATALOGS",
    "CatalogDataError",
    "load_catalog_file",
    "parse_catalog",
]

#: The data files' own format version (the first key of every file).
FORMAT: Final = "pcip.catalog/1"
DATA_DIR: Final = Path(__file__).parent / "data"
SEED_FILES: Final = ("national_basic.yaml", "cq_supplement.yaml")

#: Party categories of the double-publicity layouts (CF_XDR_LB / XK_XDR_LB), also used by
#: ``subject_category`` in every other item so that one vocabulary covers all items.
CAT_ORGANISATION: Final = "法人及非法人组织"
CAT_PERSON: Final = "自然人"
CAT_INDIVIDUAL_BUSINESS: Final = "个体工商户"
PARTY_CATEGORIES: Final = (CAT_ORGANISATION, CAT_PERSON, CAT_INDIVIDUAL_BUSINESS)

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class CatalogDataError(PcipError):
    """A catalog data file is wrong; the message names the file, item, field and reason."""

    code = "catalog_data"


def load_catalog_file(path: Path) -> CatalogSpec:
    """Read and check one catalog version file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" line {where.line + 1}" if where is not None else ""
        raise CatalogDataError(f"{path.name}{line}: not valid YAML ({exc})") from None
    return parse_catalog(raw, source=path.name)


def parse_catalog(raw: object, *, source: str) -> CatalogSpec:
    """Check a catalog version given as plain data (a parsed file, a proposal's body)."""
    if not isinstance(raw, dict):
        raise CatalogDataError(f"{source}: a catalog version is a mapping of keys to values")
    if raw.get("format") != FORMAT:
        raise CatalogDataError(
            f"{source}: format must be {FORMAT!r}, not {raw.get('format')!r}", field="format"
        )
    body = {k: v for k, v in raw.items() if k != "format"}
    try:
        return CatalogSpec.model_validate(body)
    except PydanticValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where, path = _describe(body, first["loc"])
        got = f" (got {first['input']!r})" if "input" in first and where and path else ""
        more = f"; and {len(errors) - 1} more problem(s)" if len(errors) > 1 else ""
        message = first["msg"].removeprefix("Value error, ")
        raise CatalogDataError(
            f"{source}: {where or 'the catalog'}: {message}{got}{more}", field=path or None
        ) from None


def _describe(body: dict[str, Any], loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Words and a dotted path for a pydantic error location, naming items and fields by their
    code and name: ``item 2 (admin_penalty), field 7 (CF_XDR_LB), key type``."""
    words: list[str] = []
    path = ""
    node: Any = body
    parent = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            child = node[part] if isinstance(node, list) and part < len(node) else None
            label = {"items": "item", "fields": "field", "severity_classes": "severity class"}
            name = ""
            if isinstance(child, dict):
                name = str(child.get("code") or child.get("name") or child.get("severity") or "")
            words.append(
                f"{label.get(parent, parent + ' entry')} {part + 1}"
                + (f" ({name})" if name else "")
            )
            node = child
        else:
            path += f".{part}" if path else str(part)
            if part not in ("items", "fields", "severity_classes"):
                words.append(f"key {part}")
            parent = str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ", ".join(words), path


NATIONAL_BASIC: Final = load_catalog_file(DATA_DIR / "national_basic.yaml")
CQ_SUPPLEMENT: Final = load_catalog_file(DATA_DIR / "cq_supplement.yaml")
SEED_CATALOGS: Final[tuple[CatalogSpec, ...]] = (NATIONAL_BASIC, CQ_SUPPLEMENT)
