"""The standard credit pledge texts per matter (Art. 26, 45): a data file with citations.

``data/texts.yaml`` holds one row per matter (restoration, self-declared information, an
administrative matter), each with its version, its words in Chinese and English and where the
pledge comes from. The file is checked on load (``pcip.kernel.datafiles.validate_data``): a
wrong row is refused with the path of the value at fault.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.errors import NotFound
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg

DATA_FILE = Path(__file__).parent / "data" / "texts.yaml"

Matter = Literal["restoration", "self_declaration", "administrative_matter"]
MATTERS: tuple[str, ...] = ("restoration", "self_declaration", "administrative_matter")


class PledgeText(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    matter: Matter
    version: int = Field(ge=1)
    title_zh: str = Field(min_length=2)
    title_en: str = Field(min_length=2)
    text_zh: str = Field(min_length=20)
    text_en: str = Field(min_length=20)
    citation: str = Field(min_length=10)


class PledgeTextsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.pledge-texts/1"]
    texts: tuple[PledgeText, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_per_matter(self) -> PledgeTextsFile:
        seen = [t.matter for t in self.texts]
        repeated = sorted({m for m in seen if seen.count(m) > 1})
        if repeated:
            raise ValueError(f"texts: one text per matter; repeated: {', '.join(repeated)}")
        return self


def load(path: Path = DATA_FILE) -> dict[str, PledgeText]:
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    checked = validate_data(PledgeTextsFile, raw, field=path.name)
    return {t.matter: t for t in checked.texts}


@lru_cache(maxsize=1)
def texts() -> dict[str, PledgeText]:
    return load()


def text_for(matter: str) -> PledgeText:
    found = texts().get(matter)
    if found is None:
        raise NotFound(msg("pledges.no_standard_text", matter=repr(matter)), field="matter")
    return found
