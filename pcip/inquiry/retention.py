"""Art. 22 and D-18: inquiry log entries are kept three years from the inquiry, then purged.

The three years are both the minimum retention and, for personal-information minimisation,
the purge point. A legal hold (on one entry, or on every entry about a subject) keeps entries
past it. The purge is a hard delete the law orders (docs/design.md#principle-3), and leaves an
audit event with its counts. On PostgreSQL it drops whole month partitions that lie before the
cutoff and deletes row by row only in the month the cutoff falls in
(``pcip.inquiry.partitions``). An entry made on 2022-05-01 still exists on 2025-05-01; the
purge run on 2025-05-02 removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, and_, delete, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from pcip import clock
from pcip.disclosure.rules import add_years
from pcip.errors import NotFound, ValidationError
from pcip.inquiry import partitions
from pcip.inquiry.models import InquiryLog, LegalHold
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.datafiles import validate_data
from pcip.kernel.messages import msg
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
    #: PostgreSQL: the month partitions dropped whole (or, dry run, that would be).
    dropped_partitions: tuple[str, ...] = ()
    #: PostgreSQL: the partitions the maintenance step created before the purge.
    created_partitions: tuple[str, ...] = ()


def cutoff(today: date) -> datetime:
    """Entries made before the start of this CST day are more than three years old."""
    start = add_years(today, -RETENTION_YEARS)
    # add_years clamps 29 February: on a leap day the day three years back is 28 February,
    # whose three years ended yesterday (2021-02-28 -> 2024-02-28), so it is purged too.
    if add_years(start, RETENTION_YEARS) < today:
        start += timedelta(days=1)
    return datetime.combine(start, time(0), tzinfo=clock.CST)


#: Entries under an active legal hold, as SQL over a table with the log's columns (used on a
#: month partition before it is dropped). ``IN`` over the few holds, never NOT IN over NULLs.
HELD_SQL = (
    "(id IN (SELECT inquiry_id FROM legal_hold WHERE released_at IS NULL "
    "AND inquiry_id IS NOT NULL) OR subject_id IN (SELECT subject_id FROM legal_hold "
    "WHERE released_at IS NULL AND subject_id IS NOT NULL))"
)


def _held() -> ColumnElement[bool]:
    """Entries under an active hold (on the entry or on its subject). Two hashed ``IN``
    lists over the few active holds rather than a correlated ``EXISTS`` with ``OR``: on the
    log of a city the check runs over millions of entries."""
    active = LegalHold.released_at.is_(None)
    return or_(
        InquiryLog.id.in_(
            select(LegalHold.inquiry_id).where(active, LegalHold.inquiry_id.is_not(None))
        ),
        InquiryLog.subject_id.in_(
            select(LegalHold.subject_id).where(active, LegalHold.subject_id.is_not(None))
        ),
    )


def purge(session: Session, actor: Actor, *, dry_run: bool = False) -> PurgeResult:
    """Purge the entries past retention and not under hold (Art. 22, D-18).

    On PostgreSQL the log is partitioned by CST month (``pcip.inquiry.partitions``): first the
    month partitions are kept ahead (the maintenance job), then every month partition lying
    wholly before the cutoff is dropped (its held entries, if any, are put back first), and
    only the month the cutoff falls in, and the default partition, are purged row by row:
    the cutoff is a CST day, not a month. On SQLite every purge is a DELETE.
    """
    limit = cutoff(clock.today())
    purged = held = 0
    dropped: list[str] = []
    created: list[str] = []
    partitioned = partitions.is_partitioned(session)
    if partitioned and not dry_run:
        created = partitions.ensure(session)
    if partitioned:
        any_hold = session.scalar(
            select(func.count()).select_from(LegalHold).where(LegalHold.released_at.is_(None))
        )
        for p in partitions.past(session, limit):
            total, kept = session.execute(
                text(
                    f'SELECT count(*), count(*) FILTER (WHERE {HELD_SQL}) FROM "{p.name}"'
                    if any_hold
                    else f'SELECT count(*), 0 FROM "{p.name}"'
                )
            ).one()
            purged += total - kept
            dropped.append(p.name)
            if dry_run:
                held += kept
            else:  # its held entries move to the default partition: counted below
                partitions.drop(session, p, HELD_SQL if kept else None)
    old = InquiryLog.at < limit
    if dropped and dry_run:  # what is left after the drops: the rows of the other partitions
        old = and_(old, literal_column("tableoid").not_in(_oids(session, dropped)))
    held_clause = _held()
    row_held = session.scalar(select(func.count()).select_from(InquiryLog).where(old, held_clause))
    due = session.scalar(select(func.count()).select_from(InquiryLog).where(old, ~held_clause))
    if not dry_run and due:
        session.execute(
            delete(InquiryLog).where(and_(old, ~held_clause)),
            execution_options={"synchronize_session": False},
        )
    purged, held = purged + (due or 0), held + (row_held or 0)
    if not dry_run:
        details: dict[str, Any] = {"before": limit, "purged": purged, "kept_under_hold": held}
        if partitioned:
            details["dropped_partitions"] = dropped
            details["created_partitions"] = created
        audit.record(
            session,
            actor,
            "inquiry_log.purge",
            object_type="inquiry_log",
            object_id=limit.date().isoformat(),
            article="Art. 22; D-18",
            details=details,
        )
    return PurgeResult(limit, purged, held, dry_run, tuple(dropped), tuple(created))


def _oids(session: Session, names: list[str]) -> list[int]:
    return [
        int(session.scalar(text("SELECT to_regclass(:n)::oid"), {"n": f'"{n}"'}) or 0)
        for n in names
    ]


def place_hold(
    session: Session,
    actor: Actor,
    *,
    reason: str,
    subject_id: int | None = None,
    inquiry_id: int | None = None,
) -> LegalHold:
    if (subject_id is None) == (inquiry_id is None):
        raise ValidationError(msg("inquiry.hold_target"), field="subject")
    if len(reason.strip()) < 4:
        raise ValidationError(msg("inquiry.hold_reason"), field="reason")
    if subject_id is not None and session.get(Subject, subject_id) is None:
        raise NotFound(msg("common.no_subject", id=subject_id), field="subject")
    if inquiry_id is not None and session.get(InquiryLog, inquiry_id) is None:
        raise NotFound(msg("inquiry.no_log_entry", id=inquiry_id), field="inquiry")
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
        raise NotFound(msg("inquiry.no_hold", id=hold_id), field="hold")
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
