"""The legal parameters of Art. 53-55 as data with their citations, and the rules derived from
dates: the due day of an order (working days, ``pcip.calendar``) and whether it is open,
corrected or overdue. Nothing here is stored (DESIGN: deadlines are derived, not flags)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pcip.calendar.workdays import WorkCalendar
from pcip.errors import ConfigError, ValidationError
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import Both, cite, msg

DATA = Path(__file__).parent / "data"
PeriodName = Literal["establishment_correction", "department_correction", "platform_correction"]


class Period(BaseModel):
    """One row of ``data/deadlines.yaml``: a set period's default and bounds (D-24)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: PeriodName
    default_working_days: int = Field(ge=1, le=120)
    min_working_days: int = Field(ge=1, le=120)
    max_working_days: int = Field(ge=1, le=120)
    article: str = Field(pattern=r"^Art\. \d+")
    citation: str = Field(min_length=10)

    @model_validator(mode="after")
    def _bounds(self) -> Period:
        if not self.min_working_days <= self.default_working_days <= self.max_working_days:
            raise ValueError("default_working_days: must lie between the minimum and maximum")
        return self


class _PeriodFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.establishments.deadlines/1"]
    periods: tuple[Period, ...]


class FineRange(BaseModel):
    """One row of ``data/fines.yaml``: the amount range of a fine, in yuan."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Literal["unfiled_operation"]
    min_yuan: int = Field(gt=0)
    max_yuan: int = Field(gt=0)
    article: str = Field(pattern=r"^Art\. \d+")
    categories: tuple[str, ...] = Field(min_length=1)
    citation: str = Field(min_length=10)

    @model_validator(mode="after")
    def _range(self) -> FineRange:
        if self.min_yuan > self.max_yuan:
            raise ValueError("max_yuan: must not be below min_yuan")
        return self


class _FineFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["pcip.establishments.fines/1"]
    fines: tuple[FineRange, ...]


def _read(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML ({exc})") from None


def load_periods(path: Path = DATA / "deadlines.yaml") -> dict[str, Period]:
    """The set periods of ``path``, checked: a wrong row is named with its path and reason."""
    rows = validate_data(_PeriodFile, _read(path), field=path.name).periods
    return {r.name: r for r in rows}


def load_fines(path: Path = DATA / "fines.yaml") -> dict[str, FineRange]:
    """The fine ranges of ``path``, checked like the periods."""
    rows = validate_data(_FineFile, _read(path), field=path.name).fines
    return {r.name: r for r in rows}


@lru_cache(maxsize=1)
def periods() -> dict[str, Period]:
    return load_periods()


@lru_cache(maxsize=1)
def fines() -> dict[str, FineRange]:
    return load_fines()


def period(name: PeriodName) -> Period:
    return periods()[name]


def fine_range() -> FineRange:
    return fines()["unfiled_operation"]


def check_working_days(name: PeriodName, days: int | None, field: str = "working_days") -> int:
    """The order's set period: the default when none is given, else within the bounds."""
    p = period(name)
    if days is None:
        return p.default_working_days
    if not p.min_working_days <= days <= p.max_working_days:
        raise ValidationError(
            msg(
                "establishments.period_range",
                low=p.min_working_days,
                high=p.max_working_days,
                article=Both(cite(p.article, "zh"), p.article),
                days=days,
            ),
            field=field,
        )
    return days


Status = Literal["open", "overdue", "corrected", "corrected_late"]


@dataclass(frozen=True)
class OrderClock:
    """An order's deadline as of ``today``: due day and status, derived from its dates."""

    due: date
    provisional: bool
    status: Status

    @property
    def missed(self) -> bool:
        """The set period passed without the correction (late or still none)."""
        return self.status in ("overdue", "corrected_late")


def order_clock(
    cal: WorkCalendar, issued_on: date, working_days: int, done_on: date | None, today: date
) -> OrderClock:
    d = cal.add_workdays(issued_on, working_days)
    if done_on is not None:
        status: Status = "corrected" if done_on <= d.due else "corrected_late"
    else:
        status = "overdue" if today > d.due else "open"
    return OrderClock(d.due, d.provisional, status)
