"""Who may see a record, on which day, and what is masked: one pure function (Art. 3, 22-23,
30, 41-45).

``decide(facts, mode, on, purpose)`` takes only facts (the catalog item's classes and periods,
the record's dates, the subject's birth date, dated outcomes such as a revoked basis document or
a restoration) and returns a ``Decision``: visible or not, the fields to mask, the labels to
show, and every reason, each naming its article. Nothing is stored as "expired": asking about a
past day (``on``) answers what the platform disclosed that day, and asking about today answers
what it discloses now. Later, SQL filters may pre-select candidates for speed; they are tested
against this function, which stays the single statement of the rules.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from pcip.catalog.schemas import InquiryPeriod, SeverityClass
from pcip.enums import DisclosureClass, InfoClass, InquiryMode, Polarity, Severity, SubjectKind

#: Art. 3 and D-25: subjects under this age are minors; their records stay out of public
#: disclosure unless a law requires publication.
ADULT_AGE = 18
#: Art. 30: the administrative purposes for which a comprehensive assessment may be read.
ASSESSMENT_PURPOSES = frozenset(
    {"administrative_management", "public_services", "sector_assessment", "tiered_supervision"}
)
#: D-6 fallback: without any severity, the publicity period of this class is assumed.
DEFAULT_SEVERITY = Severity.GENERAL


@dataclass(frozen=True)
class Interval:
    """A closed span of days; ``end`` None means still open."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class RecordFacts:
    """Everything the rules look at, for one version of one record."""

    item_code: str
    polarity: Polarity
    info_class: InfoClass
    disclosure_class: DisclosureClass
    subject_kind: SubjectKind
    recorded_on: date  # the day this version was stored (nothing is disclosed before it)
    subject_birth_date: date | None = None
    severity: Severity | None = None
    severity_classes: tuple[SeverityClass, ...] = ()
    inquiry_period: InquiryPeriod | None = None
    decision_date: date | None = None
    effective_date: date | None = None
    conduct_end_date: date | None = None
    publicity_end: date | None = None  # as reported by the unit (e.g. CF_GSJZQ)
    superseded_on: date | None = None  # a later version replaced this one (Art. 42 correction)
    basis_revoked_on: date | None = None  # Art. 44
    provision_stopped_on: date | None = None  # Art. 42(3) outcome, or D-5 at once
    restored_on: date | None = None  # Art. 45
    removed_on: date | None = None  # Art. 45(3), D-8: out of every output
    objections: tuple[Interval, ...] = ()  # Art. 41 label periods
    personal_fields: tuple[str, ...] = ()  # fields masked outside the subject's own view


@dataclass(frozen=True)
class Reason:
    code: str
    article: str
    message: str


@dataclass(frozen=True)
class Decision:
    visible: bool
    #: Field names to mask in this output ("subject.name" for a person's name).
    masked: tuple[str, ...] = ()
    #: Labels shown with the record, e.g. "under_objection" (Art. 41).
    labels: tuple[str, ...] = ()
    #: Why: every rule that hid the record or qualifies what is shown, with its article.
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    def hidden_by(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


# --- dates ----------------------------------------------------------------------------------


def add_years(start: date, years: int) -> date:
    """The corresponding calendar date ``years`` later (29 February -> 28 February)."""
    target = start.year + years
    day = min(start.day, calendar.monthrange(target, start.month)[1])
    return date(target, start.month, day)


def add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def is_minor(birth_date: date | None, on: date) -> bool:
    return birth_date is not None and on < add_years(birth_date, ADULT_AGE)


def inquiry_end(f: RecordFacts) -> tuple[date | None, Reason | None]:
    """Art. 43: the last day a natural person's untrustworthiness information is provided.

    Counted from the end of the conduct (D-6); without it, provisionally from the decision's
    effective date (flagged); continuing conduct (no date at all) does not expire yet.
    """
    period = f.inquiry_period
    if (
        period is None
        or period.years is None
        or f.polarity is not Polarity.NEGATIVE
        or f.subject_kind not in period.applies_to
    ):
        return None, None
    start = {
        "conduct_end": f.conduct_end_date,
        "decision_date": f.decision_date,
        "effective_date": f.effective_date,
    }[period.starts]
    note = None
    if start is None and period.starts == "conduct_end":
        start = f.effective_date or f.decision_date
        if start is not None:
            note = Reason(
                "conduct_end_missing",
                "Art. 43; D-6",
                "the unit gave no end date of the conduct: the period is counted "
                "provisionally from the decision",
            )
    if start is None:
        return None, None
    return add_years(start, period.years), note


def publicity_end(f: RecordFacts) -> tuple[date | None, Reason | None]:
    """The last day of public disclosure for items with publicity periods (FACTS.md 3).

    The maximum period of the record's severity class, counted from the decision; publication
    stops automatically then. A unit-reported end date that is earlier wins. A minor class with
    a maximum of 0 months is never published.
    """
    if not f.severity_classes:
        return f.publicity_end, None
    note = None
    severity = f.severity
    if severity is None:
        severity = DEFAULT_SEVERITY
        note = Reason(
            "severity_missing",
            "Art. 43-45; FACTS 3",
            f"no severity reported: the {severity.value} publicity period is assumed",
        )
    klass = next((c for c in f.severity_classes if c.severity is severity), None)
    start = f.decision_date or f.effective_date
    if klass is None or start is None:
        return f.publicity_end, note
    end = add_months(start, klass.max_months)
    if klass.max_months == 0:
        end = date.min
    if f.publicity_end is not None:
        end = min(end, f.publicity_end)
    return end, note


# --- the rules ------------------------------------------------------------------------------

_MODE_CLASSES = {
    InquiryMode.PUBLIC_DISCLOSURE: {DisclosureClass.PUBLIC},
    InquiryMode.AUTHORIZED: {DisclosureClass.PUBLIC, DisclosureClass.AUTHORIZED},
    InquiryMode.AUTHORITY: {
        DisclosureClass.PUBLIC,
        DisclosureClass.AUTHORIZED,
        DisclosureClass.AUTHORITY,
    },
}


def decide(f: RecordFacts, mode: InquiryMode, on: date, purpose: str | None = None) -> Decision:
    """Visible or not to ``mode`` on day ``on``, with masks, labels and reasons."""
    if on < f.recorded_on or (f.superseded_on is not None and on >= f.superseded_on):
        return Decision(
            False,
            reasons=(Reason("not_held", "Art. 20", "this version was not the record on that day"),),
        )
    if f.removed_on is not None and on >= f.removed_on:
        return Decision(
            False,
            reasons=(Reason("removed", "Art. 45(3); D-8", "removed after credit restoration"),),
        )
    # Art. 41: an objection adds a label and never hides anything.
    labels: tuple[str, ...] = (
        ("under_objection",) if any(o.covers(on) for o in f.objections) else ()
    )
    ends = [rule for happened, rule in _outcomes(f, on) if happened]
    last_day, note43 = inquiry_end(f)
    if last_day is not None and on > last_day:
        ends.append(
            Reason(
                "inquiry_period_ended",
                "Art. 43",
                f"natural persons' untrustworthiness information is provided until "
                f"{last_day.isoformat()} (5 years from the end of the conduct)",
            )
        )
    notes = [r for r in (note43,) if r is not None]
    if mode is InquiryMode.SELF:
        # Art. 39, D-6: the subject sees everything held about them, each with its status.
        return Decision(
            True, labels=labels + tuple(r.code for r in ends), reasons=tuple(ends + notes)
        )
    hidden, mode_notes = _mode_rules(f, mode, on, purpose)
    hidden = ends + hidden
    notes += mode_notes
    if hidden:
        return Decision(False, labels=labels, reasons=tuple(hidden + notes))
    masked = f.personal_fields
    if mode is InquiryMode.PUBLIC_DISCLOSURE and f.subject_kind is SubjectKind.PERSON:
        masked = (*masked, "subject.name")
    return Decision(True, masked=masked, labels=labels, reasons=tuple(notes))


def _outcomes(f: RecordFacts, on: date) -> list[tuple[bool, Reason]]:
    """Dated outcomes after which a record is no longer provided to anyone but its subject."""
    return [
        (
            f.basis_revoked_on is not None and on >= f.basis_revoked_on,
            Reason("basis_revoked", "Art. 44", "the basis document was revoked or changed"),
        ),
        (
            f.provision_stopped_on is not None and on >= f.provision_stopped_on,
            Reason("provision_stopped", "Art. 42(3)", "provision stopped after an objection"),
        ),
        (
            f.restored_on is not None and on >= f.restored_on,
            Reason("restored", "Art. 45", "credit restored: no longer provided"),
        ),
    ]


def _mode_rules(
    f: RecordFacts, mode: InquiryMode, on: date, purpose: str | None
) -> tuple[list[Reason], list[Reason]]:
    """(reasons that hide the record from this mode, notes that qualify what is shown)."""
    out: list[Reason] = []
    if mode is InquiryMode.AUTHORITY and not (purpose or "").strip():
        out.append(
            Reason(
                "purpose_required",
                "Art. 22(2)",
                "an authority-based inquiry must state its duty purpose",
            )
        )
    if f.disclosure_class not in _MODE_CLASSES[mode]:
        out.append(
            Reason(
                "disclosure_class",
                "Art. 22",
                f"items of class '{f.disclosure_class.value}' are not provided to "
                f"{mode.value} inquiries",
            )
        )
    if (
        f.disclosure_class is DisclosureClass.AUTHORITY
        and mode is InquiryMode.AUTHORITY
        and (purpose not in ASSESSMENT_PURPOSES)
    ):
        out.append(
            Reason(
                "administrative_use_only",
                "Art. 30",
                "read only for administrative management, public services, sector "
                "assessments or tiered supervision",
            )
        )
    if mode is not InquiryMode.PUBLIC_DISCLOSURE:
        return out, []
    hidden, notes = _public_rules(f, on)
    return out + hidden, notes


def _public_rules(f: RecordFacts, on: date) -> tuple[list[Reason], list[Reason]]:
    out: list[Reason] = []
    if f.info_class is not InfoClass.PUBLIC:
        out.append(
            Reason(
                "not_public_information",
                "Art. 23; Art. 56",
                "market and self-declared information stay out of public sections",
            )
        )
    if f.subject_kind is SubjectKind.PERSON and is_minor(f.subject_birth_date, on):
        out.append(Reason("minor", "Art. 3; D-25", "records of minors are not publicly disclosed"))
    end, note = publicity_end(f)
    if end is not None and on > end:
        when = "is not published" if end == date.min else f"ended on {end.isoformat()}"
        out.append(
            Reason("publicity_period_ended", "Art. 43-45; FACTS 3", f"the publicity period {when}")
        )
    return out, [note] if note is not None else []
