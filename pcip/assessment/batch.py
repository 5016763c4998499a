"""The batch run (Art. 30): every subject's grade on one day, kept only as a distribution.

One aggregate query counts each subject's public records per catalog item (leaving out
records ended by restoration, removal, withdrawal, revocation of their basis or a stop of
provision on or before the day), a second counts listings in force; ``model.score`` grades
each subject from those counts. It reads no record content and applies no Art. 43 period
(that needs each record's dates): the distribution is an overview for the dashboard, and a
department asking about one subject gets the exact grade (``service.assess``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pcip import clock
from pcip.assessment import model
from pcip.assessment.models import AssessmentRun
from pcip.assessment.schemas import RunOut
from pcip.auth.permissions import Permission, Principal, require
from pcip.kernel import audit
from pcip.kernel.enums import InfoClass
from pcip.lists.models import Designation
from pcip.lists.public import in_force
from pcip.records.models import CreditRecord, RecordEvent
from pcip.subjects.models import Subject

ARTICLE = "Art. 30"
#: Events after which a record is no longer provided to anyone (Art. 42, 44, 45).
ENDING_EVENTS = ("restored", "removed", "withdrawn", "basis_revoked", "provision_stopped")
CHUNK = 50_000


def _counts(session: Session, on: object) -> Iterator[tuple[int, str, str, int]]:
    ended = (
        select(RecordEvent.id)
        .where(
            RecordEvent.record_id == CreditRecord.id,
            RecordEvent.subject_id == CreditRecord.subject_id,
            RecordEvent.kind.in_(ENDING_EVENTS),
            RecordEvent.effective_on <= on,
        )
        .exists()
    )
    stmt = (
        select(
            CreditRecord.subject_id,
            CreditRecord.item_code,
            CreditRecord.polarity,
            func.count(),
        )
        .where(CreditRecord.info_class == InfoClass.PUBLIC.value, ~ended)
        .group_by(CreditRecord.subject_id, CreditRecord.item_code, CreditRecord.polarity)
        .order_by(CreditRecord.subject_id)
    )
    for row in session.execute(stmt.execution_options(yield_per=CHUNK)):
        yield row[0], row[1], row[2], row[3]


def distribution(session: Session) -> tuple[int, Counter[str], Counter[str]]:
    """(subjects, grades, reason codes) over every subject on today's facts."""
    on = clock.today()
    listed = dict(
        session.execute(
            select(Designation.subject_id, func.count())
            .where(*in_force(on))
            .group_by(Designation.subject_id)
        ).all()
    )
    grades: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    graded: set[int] = set()

    def grade(subject_id: int, items: dict[tuple[str, str], int]) -> None:
        r = model.score(items, int(listed.get(subject_id, 0)))
        grades[r.grade] += 1
        reasons.update(x.code for x in r.reasons)
        graded.add(subject_id)

    current: int | None = None
    items: dict[tuple[str, str], int] = {}
    for subject_id, item, polarity, n in _counts(session, on):
        if subject_id != current:
            if current is not None:
                grade(current, items)
            current, items = subject_id, {}
        items[(item, polarity)] = n
    if current is not None:
        grade(current, items)
    for subject_id in listed:
        if subject_id not in graded:
            grade(subject_id, {})
    total = session.scalar(select(func.count()).select_from(Subject)) or 0
    rest = total - len(graded)
    if rest > 0:  # subjects with nothing public on file: one grade for all of them
        r = model.score({}, 0)
        grades[r.grade] += rest
    return total, grades, reasons


def run(session: Session, principal: Principal) -> AssessmentRun:
    """Grade every subject and keep the distribution (never a subject's grade)."""
    require(principal, Permission.ASSESSMENT_RUN)
    started = clock.now()
    t0 = time.perf_counter()
    total, grades, reasons = distribution(session)
    r = AssessmentRun(
        model_version=model.current().version,
        on=clock.today(),
        started_at=started,
        finished_at=clock.now(),
        by=str(principal.actor),
        subjects=total,
        distribution={g: grades.get(g, 0) for g in ("A", "B", "C", "D")},
        reasons=dict(sorted(reasons.items())),
        millis=int((time.perf_counter() - t0) * 1000),
    )
    session.add(r)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "assessment.batch_run",
        object_type="assessment_run",
        object_id=r.id,
        article=ARTICLE,
        details={"model_version": r.model_version, "subjects": total, **r.distribution},
    )
    return r


def latest(session: Session) -> AssessmentRun | None:
    return session.scalar(select(AssessmentRun).order_by(AssessmentRun.id.desc()).limit(1))


def out(r: AssessmentRun) -> RunOut:
    return RunOut(
        id=r.id,
        model_version=r.model_version,
        on=r.on,
        started_at=r.started_at,
        finished_at=r.finished_at,
        by=r.by,
        subjects=r.subjects,
        distribution={k: int(v) for k, v in r.distribution.items()},
        reasons={k: int(v) for k, v in r.reasons.items()},
        millis=r.millis,
    )
