"""What the console pages show: functions from service results to rows and figures.

No rule lives here. Due dates, overdue marks and days left come from
``pcip.objections.deadlines``; which steps a case allows from ``pcip.objections.access`` and
``states``; what may be corrected from ``pcip.objections.effects``. This module arranges those
answers for display (queue rows, deadline badges, record forms) and adds up the dashboard's
figures. The pure functions take plain values and are tested without a web client
(``tests/web/test_console_data.py``). Every question to the database is asked through the
areas' services and query modules (``pcip.records.queries``, ``pcip.providers.queries``,
``pcip.objections.queries``, ``pcip.inquiry.queries``, ``pcip.calendar.queries``), the same
functions the API and the CLI call; this module imports no table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from pcip.calendar.queries import stored_years
from pcip.calendar.service import LoadResult
from pcip.calendar.workdays import WorkCalendar
from pcip.catalog.schemas import FieldSpec, FieldType
from pcip.clock import CST, legal_day
from pcip.errors import ValidationError
from pcip.inquiry.queries import inquiries_per_mode
from pcip.kernel.enums import InquiryMode
from pcip.objections import effects, tracking
from pcip.objections.deadlines import Deadline
from pcip.objections.queries import all_cases
from pcip.objections.states import State
from pcip.objections.tracking import Case
from pcip.providers.queries import provider_names
from pcip.records import queries as record_queries
from pcip.records.queries import RecordHit, find_records, subject_records
from pcip.subjects import service as subjects
from pcip.subjects.service import display_identifier

if TYPE_CHECKING:
    from pcip.records.models import Batch

__all__ = [
    "RecordHit",  # the areas' answers, re-exported for the console's pages
    "find_records",
    "provider_names",
    "subject_records",
]

# --- deadlines and queues ---------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    """One statutory time limit as a badge: ``status`` is met, met_late, due_today, open or
    overdue (read from the derived deadline, never recomputed here)."""

    name: str
    article: str
    start: date
    working_days: int
    due: date
    met_on: date | None
    days_left: int | None
    provisional: bool
    overdue: bool
    status: str


def deadline_view(d: Deadline) -> DeadlineView:
    if d.met_on is not None:
        status = "met_late" if d.overdue else "met"
    elif d.overdue:
        status = "overdue"
    elif d.days_left == 0:
        status = "due_today"
    else:
        status = "open"
    return DeadlineView(
        name=d.name,
        article=d.article,
        start=d.start,
        working_days=d.working_days,
        due=d.due,
        met_on=d.met_on,
        days_left=d.days_left,
        provisional=d.provisional,
        overdue=d.overdue,
        status=status,
    )


@dataclass(frozen=True)
class QueueRow:
    """One case in a work queue, with the deadline that matters to the viewer."""

    objection_id: int
    subject_id: int
    applicant: str
    ground: str
    channel: str
    received: date
    state: str
    route: str | None
    provider: str | None
    repeat_of: int | None
    #: The open step due first (operator), or the viewer's own step (unit, D&R department).
    step: DeadlineView | None
    #: Open steps already past their due date.
    overdue_steps: tuple[str, ...]
    #: Steps done after their due date (history: reported for Art. 53).
    late_steps: tuple[str, ...]

    @property
    def overdue(self) -> bool:
        return bool(self.overdue_steps)

    @property
    def days_left(self) -> int | None:
        return self.step.days_left if self.step else None


def queue_row(case: Case, provider_names: Mapping[int, str], focus: str | None = None) -> QueueRow:
    """A case as a queue row. ``focus`` names the deadline to show (e.g. ``pu_handling`` for
    the unit); without it, the earliest open step."""
    o = case.objection
    if focus is None:
        chosen = case.next_due
    else:
        chosen = next((d for d in case.deadlines if d.name == focus), None)
    return QueueRow(
        objection_id=o.id,
        subject_id=o.subject_id,
        applicant=o.applicant,
        ground=o.ground,
        channel=o.channel,
        received=legal_day(o.received_at),
        state=case.state.value,
        route=o.route,
        provider=provider_names.get(o.provider_id) if o.provider_id is not None else None,
        repeat_of=o.repeat_of,
        step=deadline_view(chosen) if chosen is not None else None,
        overdue_steps=tuple(d.name for d in case.deadlines if d.met_on is None and d.overdue),
        late_steps=tuple(d.name for d in case.deadlines if d.met_on is not None and d.overdue),
    )


def queue_rows(
    cases: Iterable[Case], provider_names: Mapping[int, str], focus: str | None = None
) -> list[QueueRow]:
    """Rows in the order given (``tracking.queue`` sorts by due date)."""
    return [queue_row(c, provider_names, focus) for c in cases]


#: The unit's inbox and the department's re-examination queue, as the API orders them.
unit_cases = tracking.transferred_to
reexam_cases = tracking.in_reexamination


def counts(rows: Sequence[QueueRow]) -> dict[str, int]:
    """Headline numbers above a queue."""
    return {
        "open": len(rows),
        "overdue": sum(1 for r in rows if r.overdue),
        "due_today": sum(1 for r in rows if r.step and r.step.status == "due_today"),
    }


# --- records and field changes ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    name: str
    label_zh: str
    label_en: str
    type: str
    required: bool
    choices: tuple[str, ...]
    value: str
    #: Whether a correction may change it (the same check the service makes).
    changeable: bool
    #: ``(value, zh, en)`` of the values the vocabulary words (severity, breach type...):
    #: shown in the page's language; other values are data (issue 19.3).
    words: tuple[tuple[str, str, str], ...] = ()

    def word(self, value: str, lang: str) -> str | None:
        """The words for a stored ``value`` in ``lang``, or None: shown as stored (data)."""
        for code, zh, en in self.words:
            if code == value:
                return zh if lang.startswith("zh") else en
        return None

    @property
    def multiline(self) -> bool:
        return self.type == FieldType.TEXT.value or len(self.value) > 120


@dataclass(frozen=True)
class RecordPanel:
    record_id: int
    subject_id: int
    provider_id: int
    item_code: str
    item_name_zh: str
    item_name_en: str
    version: int
    fields: tuple[FieldView, ...]

    def field(self, name: str) -> FieldView | None:
        return next((f for f in self.fields if f.name == name), None)


def changeable(spec: FieldSpec) -> bool:
    """Whether Art. 42 corrections may change this field: asks the service's own check."""
    try:
        effects.check_changeable(spec, spec.name)  # one rule, one place
    except ValidationError:
        return False
    return True


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _words(spec: FieldSpec, value: Any) -> tuple[tuple[str, str, str], ...]:
    """The field's choices and its stored value, with their words where the vocabulary has
    them (``FieldSpec.value_words``)."""
    values = [*(spec.choices or ()), *([str(value)] if value not in (None, "") else [])]
    return tuple(
        (v, spec.value_words(v, "zh_CN"), spec.value_words(v, "en"))
        for v in dict.fromkeys(values)
        if spec.worded(v)
    )


def record_panel(session: Session, record_id: int) -> RecordPanel:
    """The record's current version, field by field, for reading and correcting."""
    cur = effects.latest(session, record_id)
    payload = cur.version.payload
    fields = tuple(
        FieldView(
            name=f.name,
            label_zh=f.label_zh,
            label_en=f.label("en"),
            type=f.type.value,
            required=f.required,
            choices=tuple(f.choices or ()),
            value=_shown(payload.get(f.name)),
            changeable=changeable(f),
            words=_words(f, payload.get(f.name)),
        )
        for f in cur.spec.fields
    )
    return RecordPanel(
        record_id=cur.record.id,
        subject_id=cur.record.subject_id,
        provider_id=cur.record.provider_id,
        item_code=cur.spec.code,
        item_name_zh=cur.spec.name_zh,
        item_name_en=cur.spec.name_en,
        version=cur.version.version,
        fields=fields,
    )


def field_key(record_id: int, name: str) -> str:
    """The form input name of one record field."""
    return f"f.{record_id}.{name}"


def field_changes(
    form: Mapping[str, Any], panels: Sequence[RecordPanel]
) -> dict[int, dict[str, str]]:
    """The fields a form changed: inputs named ``f.<record>.<field>`` whose value differs
    from the record's current value (an untouched, pre-filled field is no change)."""
    out: dict[int, dict[str, str]] = {}
    for panel in panels:
        for f in panel.fields:
            key = field_key(panel.record_id, f.name)
            raw = form.get(key)
            if not f.changeable or not isinstance(raw, str):
                continue
            value = raw.strip()
            if value != f.value.strip():
                out.setdefault(panel.record_id, {})[f.name] = value
    return out


def submitted_values(form: Mapping[str, Any], panels: Sequence[RecordPanel]) -> dict[str, str]:
    """The typed field values to show again after a refused form (keyed by input name)."""
    return {
        field_key(p.record_id, f.name): form[field_key(p.record_id, f.name)]
        for p in panels
        for f in p.fields
        if field_key(p.record_id, f.name) in form
    }


# --- batches -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    id: int
    item: str
    status: str
    channel: str
    received_at: datetime
    finished_at: datetime | None
    source_name: str | None
    source_sha256: str | None
    rows_total: int
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    error: str | None
    warnings: tuple[str, ...]

    @property
    def has_report(self) -> bool:
        return self.rejected > 0


def batch_row(b: Batch) -> BatchRow:
    return BatchRow(
        id=b.id,
        item=b.item_code,
        status=b.status,
        channel=b.channel,
        received_at=b.received_at,
        finished_at=b.finished_at,
        source_name=b.source_name,
        source_sha256=b.source_sha256,
        rows_total=b.rows_total,
        accepted=b.accepted,
        updated=b.updated,
        unchanged=b.unchanged,
        rejected=b.rejected,
        error=b.error,
        warnings=tuple(b.warnings or ()),
    )


def unit_batches(
    session: Session, provider_id: int, *, limit: int = 50, before_id: int | None = None
) -> list[BatchRow]:
    """The unit's ledger, newest first (the query ``GET /api/v1/batches`` answers with)."""
    batches = record_queries.unit_batches(session, provider_id, limit=limit, before_id=before_id)
    return [batch_row(b) for b in batches]


# --- the dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class ChartData:
    """Categories along one axis, one or more series of values (a grouped bar chart)."""

    categories: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    @property
    def maximum(self) -> float:
        return max((v for s in self.series for v in s.values), default=0.0)


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def weekly_records(rows: Iterable[tuple[str, date, int]], today: date, weeks: int = 8) -> ChartData:
    """Rows received per unit and ISO week, the last ``weeks`` weeks up to ``today``'s.

    ``rows`` are (unit name, day received, rows in the batch); older days are left out.
    """
    last = week_start(today)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    index = {s: i for i, s in enumerate(starts)}
    per_unit: dict[str, list[float]] = defaultdict(lambda: [0.0] * weeks)
    for unit, day, n in rows:
        i = index.get(week_start(day))
        if i is not None:
            per_unit[unit][i] += n
    series = tuple(Series(u, tuple(per_unit[u])) for u in sorted(per_unit))
    return ChartData(tuple(s.isoformat() for s in starts), series)


def objections_by_state(states: Iterable[State]) -> list[tuple[str, int]]:
    """How many cases stand in each SM-1 state, in the order of the workflow (zeros left out)."""
    tally = Counter(states)
    return [(s.value, tally[s]) for s in State if tally[s]]


@dataclass(frozen=True)
class StepPerformance:
    """One statutory step across cases: done in time, done late, still open and late, open."""

    name: str
    on_time: int = 0
    late: int = 0
    overdue_open: int = 0
    open: int = 0

    @property
    def judged(self) -> int:
        """Cases whose timeliness at this step is settled or already lost."""
        return self.on_time + self.late + self.overdue_open

    @property
    def share(self) -> float | None:
        return self.on_time / self.judged if self.judged else None


def deadline_performance(deadlines: Iterable[Deadline]) -> list[StepPerformance]:
    """Per step (label, transfer, ... in statutory order), how the deadlines went."""
    order = ("label", "transfer", "self_handling", "pu_handling", "notice", "reexam")
    tally: dict[str, Counter[str]] = {name: Counter() for name in order}
    for d in deadlines:
        c = tally.setdefault(d.name, Counter())
        if d.met_on is not None:
            c["late" if d.overdue else "on_time"] += 1
        else:
            c["overdue_open" if d.overdue else "open"] += 1
    return [
        StepPerformance(name, c["on_time"], c["late"], c["overdue_open"], c["open"])
        for name, c in tally.items()
        if sum(c.values())
    ]


def overall_share(steps: Iterable[StepPerformance]) -> float | None:
    """Share of all settled-or-lost steps done within their deadline."""
    steps = list(steps)
    judged = sum(s.judged for s in steps)
    return sum(s.on_time for s in steps) / judged if judged else None


def inquiries_by_mode(counted: Mapping[str, int]) -> list[tuple[str, int]]:
    """The four Art. 22 modes in their order, zeros included (an empty mode is information)."""
    return [(m.value, int(counted.get(m.value, 0))) for m in InquiryMode]


@dataclass(frozen=True)
class Dashboard:
    today: date
    records: ChartData
    records_rows: tuple[tuple[str, str, int], ...]  # (week, unit, rows) for the table
    by_state: tuple[tuple[str, int], ...]
    steps: tuple[StepPerformance, ...]
    within_deadline: float | None
    by_mode: tuple[tuple[str, int], ...]


def dashboard(session: Session, today: date, weeks: int = 8) -> Dashboard:
    """The operator's and the D&R department's overview (Art. 28 oversight, Art. 40-42)."""
    since = week_start(today) - timedelta(weeks=weeks - 1)
    batch_rows = [
        (name, legal_day(at), n)
        for name, at, n in record_queries.completed_rows_since(session, _start(since))
    ]
    records = weekly_records(batch_rows, today, weeks)
    table = tuple(
        (week, s.label, int(v))
        for s in records.series
        for week, v in zip(records.categories, s.values, strict=True)
        if v
    )
    cases = all_cases(session, today)
    steps = deadline_performance(d for c in cases for d in c.deadlines)
    modes = inquiries_per_mode(session)
    return Dashboard(
        today=today,
        records=records,
        records_rows=table,
        by_state=tuple(objections_by_state(c.state for c in cases)),
        steps=tuple(steps),
        within_deadline=overall_share(steps),
        by_mode=tuple(inquiries_by_mode(modes)),
    )


def _start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=CST)


# --- subjects, records and the calendar, as the pages show them ---------------------------------


@dataclass(frozen=True)
class SubjectView:
    id: int
    kind: str
    name: str
    identifier: str | None


def subject_view(session: Session, subject_id: int) -> SubjectView:
    subject = subjects.get(session, subject_id)
    return SubjectView(subject.id, subject.kind, subject.name, display_identifier(subject))


def unit_record(session: Session, record_id: int, provider_id: int | None) -> RecordPanel:
    """A record for correction; a unit sees only its own (others answer 'not found')."""
    record = record_queries.unit_record(session, record_id, provider_id)
    return record_panel(session, record.id)


@dataclass(frozen=True)
class CalendarYearRow:
    year: int
    source: str
    holidays: int
    makeup_workdays: int
    official: bool
    loaded_at: datetime
    loaded_by: str


def calendar_years(session: Session) -> list[CalendarYearRow]:
    """The stored years (as ``pcip calendar list`` prints them), newest first."""
    return [
        CalendarYearRow(
            r.year,
            r.source,
            len(r.holidays),
            len(r.makeup_workdays),
            r.official,
            r.loaded_at,
            r.loaded_by,
        )
        for r in stored_years(session, newest_first=True)
    ]


@dataclass(frozen=True)
class ChangedDay:
    day: date
    weekday: int  # 0 = Monday
    working: bool  # the day's status on the calendar now loaded


def changed_days(result: LoadResult, cal: WorkCalendar) -> list[ChangedDay]:
    """The days a loaded schedule changed, with what each now is."""
    return [ChangedDay(d, d.weekday(), cal.is_workday(d)) for d in result.changed_days]
