"""Readable differences between two versions of a catalog or a measure list (Art. 17, 35):
items added, removed, and for changed items each key (and each field by name) that changed."""

from __future__ import annotations

import json
from typing import Any

from pcip.governance.schemas import Change


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


def _named(entries: list[Any]) -> dict[str, Any] | None:
    if all(isinstance(e, dict) and "name" in e for e in entries):
        return {str(e["name"]): e for e in entries}
    return None


def _details(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        if isinstance(a, list) and isinstance(b, list):
            na, nb = _named(a), _named(b)
            if na is not None and nb is not None:
                for name in sorted(set(na) | set(nb)):
                    if name not in na:
                        out.append(f"{key}.{name}: added")
                    elif name not in nb:
                        out.append(f"{key}.{name}: removed")
                    elif na[name] != nb[name]:
                        out.extend(f"{key}.{name}.{d}" for d in _details(na[name], nb[name]))
                continue
        if a is None:
            out.append(f"{key}: added {_show(b)}")
        elif b is None:
            out.append(f"{key}: removed (was {_show(a)})")
        else:
            out.append(f"{key}: {_show(a)} → {_show(b)}")
    return out


def diff(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    """``old`` and ``new``: items by code, as data."""
    out: list[Change] = []
    for code in sorted(set(old) | set(new)):
        a, b = old.get(code), new.get(code)
        if a is None and b is not None:
            out.append(Change(change="added", code=code, name=str(b.get("name_zh", ""))))
        elif b is None and a is not None:
            out.append(Change(change="removed", code=code, name=str(a.get("name_zh", ""))))
        elif a is not None and b is not None and a != b:
            out.append(
                Change(
                    change="changed",
                    code=code,
                    name=str(b.get("name_zh", "")),
                    details=_details(a, b),
                )
            )
    return out
