"""The punishment measure lists (Art. 34-36): a data file checked on load, versioned by dates.

Each item belongs to the national basic list or the city supplement, names its legal basis,
the administrative matters it bears on and the lists that trigger it. City items fit one of
the five scope types of Art. 36; type 5 ("other per law") needs its citation, and every item
needs its relevance and proportionality justification, or the file is refused (Art. 36).
"""

from __future__ import annotations

import json
import threading
import weakref
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from pcip.errors import NotFound, ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg

DATA_FILE = Path(__file__).with_name("measures.json")
#: Art. 31, 34: the administrative matters a department checks before.
MATTERS = ("licence", "procurement", "subsidy", "award", "appointment")
Matter = Literal["licence", "procurement", "subsidy", "award", "appointment"]


class MeasureSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{2,47}$")
    measure_list: Literal["national", "city_supplement"] = Field(alias="list")
    name_zh: str = Field(min_length=2)
    name_en: str = Field(min_length=2)
    #: Art. 36: (1) credit interview, (2) key review in permitting, (3) key supervision,
    #: (4) government funding restrictions, (5) other per law, regulation or state rule.
    scope_type: int = Field(ge=1, le=5)
    matters: list[Matter]
    applies_to: list[str]
    legal_basis: str
    #: The legal basis in English (the laws' official English titles, the articles), kept
    #: beside the citation as enacted; an English page shows it (issue 19.3). Versions
    #: published before it existed have none: their pages quote the Chinese.
    legal_basis_en: str | None = None
    justification: str
    effective_from: date
    effective_to: date | None

    def basis(self, locale: str) -> str:
        """The legal basis in ``locale`` (the Chinese where no English is given)."""
        english = not locale.startswith("zh") and bool(self.legal_basis_en)
        return self.legal_basis_en or "" if english else self.legal_basis

    @model_validator(mode="after")
    def _rules(self) -> MeasureSpec:
        if not self.justification.strip():
            raise ValueError(
                "justification: every item states its relevance and proportionality (Art. 36)"
            )
        if not self.legal_basis.strip():
            raise ValueError("legal_basis: every item cites its legal basis (Art. 34, 36(5))")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to: before effective_from")
        return self

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class MeasuresFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    note: str = ""
    measures: list[MeasureSpec]


def parse(data: object) -> MeasuresFile:
    parsed = validate_data(MeasuresFile, data, field="measures")
    from pcip.lists import types

    known = {t.code for t in types.all_types(active_only=False)}
    for i, m in enumerate(parsed.measures):
        unknown = sorted(set(m.applies_to) - known)
        if unknown:
            raise ValidationError(
                msg("measures.unknown_list_types", types=unknown), field=f"measures.{i}.applies_to"
            )
    return parsed


@lru_cache(maxsize=1)
def _all() -> dict[str, MeasureSpec]:
    doc = parse(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    return {m.code: m for m in doc.measures}


#: Published versions (``measure_list_version``), parsed once, by database and row id: a
#: published version never changes (Art. 35: a change is a new version).
_PUBLISHED: weakref.WeakKeyDictionary[Any, dict[int, dict[str, MeasureSpec]]] = (
    weakref.WeakKeyDictionary()
)
_LOCK = threading.Lock()


def forget_published() -> None:
    with _LOCK:
        _PUBLISHED.clear()


def _published(session: Session, on: date) -> dict[str, MeasureSpec] | None:
    """The version published through a change proposal in force on ``on`` (Art. 35), if any."""
    from pcip.measures.models import MeasureListVersion as V

    row = session.execute(
        select(V.id, V.version, V.measures)
        .where(V.effective_from <= on)
        .order_by(V.effective_from.desc(), V.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    bind = session.get_bind()
    with _LOCK:
        got = _PUBLISHED.get(bind, {}).get(row[0])
    if got is None:
        doc = parse({"version": row[1], "measures": row[2]})
        got = {m.code: m for m in doc.measures}
        with _LOCK:
            _PUBLISHED.setdefault(bind, {})[row[0]] = got
    return got


def _lists(on: date, session: Session | None) -> dict[str, MeasureSpec]:
    """The lists on ``on``: the latest published version in force, else ``measures.json``.
    Without a session (pages that only show the seeded lists), ``measures.json``."""
    published = _published(session, on) if session is not None else None
    return published if published is not None else _all()


def spec_of(code: str) -> MeasureSpec | None:
    """A measure by code for display: the seeded lists, then any published version read."""
    got = _all().get(code)
    if got is not None:
        return got
    with _LOCK:
        for versions in _PUBLISHED.values():
            for specs in versions.values():
                if code in specs:
                    return specs[code]
    return None


def in_force(on: date, session: Session | None = None) -> list[MeasureSpec]:
    return [m for m in _lists(on, session).values() if m.in_force(on)]


def get(
    code: str, on: date, *, field: str = "measure", session: Session | None = None
) -> MeasureSpec:
    """Art. 34: only an item of the national basic list or the city supplement in force
    (with ``session``: the version published through a change proposal, from its date)."""
    m = _lists(on, session).get(code)
    if m is None or not m.in_force(on):
        raise ValidationError(
            msg("measures.not_in_force", code=repr(code), day=on.isoformat()),
            field=field,
        )
    return m


def triggered(
    list_type: str, matter: str | None, on: date, session: Session | None = None
) -> list[MeasureSpec]:
    """The measures a listing on ``list_type`` brings for ``matter`` (all matters if None)."""
    return [
        m
        for m in in_force(on, session)
        if list_type in m.applies_to and (matter is None or not m.matters or matter in m.matters)
    ]


def check_matter(matter: str) -> str:
    if matter not in MATTERS:
        raise NotFound(
            msg("measures.unknown_matter", matter=repr(matter), matters=list(MATTERS)),
            field="matter",
        )
    return matter
