"""Art. 22 and D-18: inquiry log entries are kept three years from the inquiry, then purged.

The three years are both the minimum retention and, for personal-information minimisation,
the purge point. A legal hold (on one entry, or on every entry about a subject) keeps entries
past it. The purge is a hard delete the law orders (docs/design.md#principle-3), and leaves an audit
event with its counts. An entry made on 2022-05-01 still exists on 2025-05-01; the purge run on
2025-05-02 removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Exists, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.disclosure.rules import add_years
from pcip.errors import NotFound, ValidationError
from pcip.inquiry.models import InquiryLog, LegalHold
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.datafiles import validate_data
from pcip.subjects.models import Subject

RETENTION_FILE = Path(__file__).parent / "data" / "retention.yaml"


class _Period(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    years: int = Field(ge=1, le=30)
    article: str = Field(pattern=r"^Art\. \d+")
    citation: str = Field(min_length=10)


class _RetentionFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    format: Literal["pcip.retention/1"]
    inquiry_log: _Period


def load_retention_years(path: Path = RETENTION_FILE) -> int:
    """The inquiry log's retention in years, from ``path`` (a legal parameter is data)."""
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ValidationError(f"{path.name} is not valid YAML: {exc}", field=path.name) from None
    return validate_data(_RetentionFile, raw, field=path.name).inquiry_log.years


#: Art. 22 para 3: inquiry records are kept for three years (data/retention.yaml).
RETENTION_YEARS = load_retention_years()


@dataclass(frozen=True)
class PurgeResult:
    cutoff: datetime  # entries made before this instant are past their retention
    purged: int
    held: int
    dry_run: bool


def cutoff(today: date) -> datetime:
    """Entries made before the start of this CST day are more than three years old."""
    start = add_years(today, -RETENTION_YEARS)
    # add_years clamps 29 February: on a leap day the day three years back is 28 February,
    # whose three years ended yesterday (2021-02-28 -> 2024-02-28), so it is purged too.
    if add_years(start, RETENTION_YEARS) < today:
        start += timedelta(days=1)
    return datetime.combine(start, time(0), tzinfo=clock.CST)


def _held() -> Exists:
    active = LegalHold.released_at.is_(None)
    return exists().where(
        active,
        or_(LegalHold.inquiry_id == InquiryLog.id, LegalHold.subject_id == InquiryLog.subject_id),
    )


def purge(session: Session, actor: Actor, *, dry_run: bool = False) -> PurgeResult:
    limit = cutoff(clock.today())
    old = InquiryLog.at < limit
    held_clause = _held()
    held = session.scalar(select(func.count()).select_from(InquiryLog).where(old, held_clause))
    due = session.scalar(select(func.count()).select_from(InquiryLog).where(old, ~held_clause))
    if not dry_run and due:
        session.execute(
            delete(InquiryLog).where(and_(old, ~held_clause)),
            execution_options={"synchronize_session": False},
        )
    if not dry_run:
        audit.record(
            session,
            actor,
            "inquiry_log.purge",
            object_type="inquiry_log",
            object_id=limit.date().isoformat(),
            article="Art. 22; D-18",
            details={"before": limit, "purged": due or 0, "kept_under_hold": held or 0},
        )
    return PurgeResult(limit, due or 0, held or 0, dry_run)


def place_hold(
    session: Session,
    actor: Actor,
    *,
    reason: str,
    subject_id: int | None = None,
    inquiry_id: int | None = None,
) -> LegalHold:
    if (subject_id is None) == (inquiry_id is None):
        raise ValidationError("a hold covers one subject or one inquiry entry", field="subject")
    if len(reason.strip()) < 4:
        raise ValidationError("a legal hold needs its reason (the case or law)", field="reason")
    if subject_id is not None and session.get(Subject, subject_id) is None:
        raise NotFound(f"no subject {subject_id}", field="subject")
    if inquiry_id is not None and session.get(InquiryLog, inquiry_id) is None:
        raise NotFound(f"no inquiry log entry {inquiry_id}", field="inquiry")
    hold = LegalHold(
        subject_id=subject_id,
        inquiry_id=inquiry_id,
        reason=reason.strip(),
        placed_by=str(actor),
        placed_at=clock.now(),
    )
    session.add(hold)
    session.flush()
    audit.record(
        session,
        actor,
        "legal_hold.place",
        object_type="legal_hold",
        object_id=str(hold.id),
        article="D-18",
        details={"subject": subject_id, "inquiry": inquiry_id, "reason": hold.reason},
    )
    return hold


def release_hold(session: Session, actor: Actor, hold_id: int) -> LegalHold:
    hold = session.get(LegalHold, hold_id)
    if hold is None:
        raise NotFound(f"no legal hold {hold_id}", field="hold")
    if hold.released_at is None:
        hold.released_at, hold.released_by = clock.now(), str(actor)
        audit.record(
            session,
            actor,
            "legal_hold.release",
            object_type="legal_hold",
            object_id=str(hold.id),
            article="D-18",
            details={},
        )
    return hold


def holds(session: Session) -> list[LegalHold]:
    return list(session.scalars(select(LegalHold).order_by(LegalHold.id)))
