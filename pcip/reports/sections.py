"""The report's sections (Art. 29), in the national report's order, and who fills them.

``data/sections.yaml`` names each section and the catalog items it holds; a section that holds
something other than records is filled by a *section provider*, a function registered here by
name. ``summary``, ``lists`` (pcip.lists) and ``improve`` (objections, and restoration when it
exists) are registered by ``pcip.reports.content``. The extension point for areas that land
later is :func:`register_provider`: a restoration provider (``pcip.restoration``, Art. 45)
registers ``"restoration"`` and the "what you can do" section then shows its content instead
of "not yet".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.kernel.datafiles import validate_data

SECTIONS_FILE = Path(__file__).parent / "data" / "sections.yaml"


class SectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z_]*$")
    title_zh: str = Field(min_length=1)
    title_en: str = Field(min_length=1)
    items: tuple[str, ...] = ()
    provider: str | None = None
    catch_all: bool = False


class SectionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str
    legal_basis: str = Field(min_length=1)
    sections: tuple[SectionSpec, ...]

    @model_validator(mode="after")
    def _one_place_each(self) -> SectionsFile:
        seen: dict[str, str] = {}
        for s in self.sections:
            for code in s.items:
                if code in seen:
                    raise ValueError(f"sections: item '{code}' is in '{seen[code]}' and '{s.key}'")
                seen[code] = s.key
        if sum(s.catch_all for s in self.sections) != 1:
            raise ValueError("sections: exactly one section must be the catch-all")
        return self


def parse(data: object) -> SectionsFile:
    return validate_data(SectionsFile, data, field="sections")


@cache
def layout() -> SectionsFile:
    return parse(yaml.safe_load(SECTIONS_FILE.read_text(encoding="utf-8")))


def section_of(item_code: str) -> str:
    """The section a catalog item's records are printed in."""
    spec = layout()
    for s in spec.sections:
        if item_code in s.items:
            return s.key
    return next(s.key for s in spec.sections if s.catch_all)


# --- section providers: the extension point -------------------------------------------------


@dataclass(frozen=True)
class ReportContext:
    """What a provider may look at: the report's mode, day, subject and the inquiry answer."""

    session: Any
    subject_id: int
    mode: str
    on: Any
    #: The inquiry's records (JSON form, as in the report).
    records: list[dict[str, Any]]


#: A provider returns the section's entries (a list of JSON-able dicts); [] means empty
#: ("no relevant information in the period").
SectionProvider = Callable[[ReportContext], list[dict[str, Any]]]

_PROVIDERS: dict[str, SectionProvider] = {}


def register_provider(name: str, provider: SectionProvider) -> None:
    """Register (or replace) the provider that fills the sections or parts named ``name``."""
    _PROVIDERS[name] = provider


def provider(name: str) -> SectionProvider | None:
    return _PROVIDERS.get(name)
