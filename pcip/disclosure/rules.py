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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pcip.catalog.schemas import InquiryPeriod, PublicityRule, SeverityClass
from pcip.kernel.enums import (
    DisclosureClass,
    InfoClass,
    InquiryMode,
    Polarity,
    Severity,
    SubjectKind,
)

#: Art. 3 and D-25: subjects under this age are minors; their records stay out of public
#: disclosure unless a law requires publication.
ADULT_AGE = 18
#: Art. 30: the administrative purposes for which a comprehensive assessment may be read.
ASSESSMENT_PURPOSES = frozenset(
    {"administrative_management", "public_services", "sector_assessment", "tiered_supervision"}
)
#: D-6 fallback: without any severity (neither the record's nor the item's default), the
#: publicity period of this class is assumed.
DEFAULT_SEVERITY = Severity.GENERAL
#: Items seeded before publicity rules existed: the severity classes' maximum, ended early by
#: the unit's publicity end (what every such item meant).
_IMPLICIT = PublicityRule(
    applies_to=tuple(SubjectKind),
    public="severity",
    ended_by=("publicity_end",),
    citation="docs/facts.md#publicity-periods",
)


@dataclass(frozen=True)
class Interval:
    """A closed span of days; ``end`` None means still open."""

    start: date
    end: date | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class PeriodRules:
    """An item version's period parameters (docs/facts.md#publicity-periods, Art. 43, D-6), dated by
    the day its catalog version came into force."""

    effective_from: date
    severity_classes: tuple[SeverityClass, ...] = ()
    default_severity: Severity | None = None
    inquiry_period: InquiryPeriod | None = None
    publicity: PublicityRule | None = None


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
    #: The item's severity where the unit sends none (docs/facts.md#publicity-periods).
    default_severity: Severity | None = None
    inquiry_period: InquiryPeriod | None = None
    #: The item's publicity rule for this kind of subject (docs/facts.md#publicity-periods, D-6).
    publicity: PublicityRule | None = None
    decision_date: date | None = None
    effective_date: date | None = None
    conduct_end_date: date | None = None
    publicity_end: date | None = None  # as reported by the unit (e.g. CF_GSJZQ): last day
    #: The unit's own end of the record (removal from a list, deletion): not public that day.
    ended_on: date | None = None
    end_reason: str | None = None  # as the unit words it (e.g. the removal reason)
    revoked_on: date | None = None  # the unit revoked the record or its decision (Art. 44)
    superseded_on: date | None = None  # a later version replaced this one (Art. 42 correction)
    basis_revoked_on: date | None = None  # Art. 44
    provision_stopped_on: date | None = None  # Art. 42(3) outcome, or D-5 at once
    restored_on: date | None = None  # Art. 45
    removed_on: date | None = None  # Art. 45(3), D-8: out of every output
    objections: tuple[Interval, ...] = ()  # Art. 41 label periods
    personal_fields: tuple[str, ...] = ()  # fields masked outside the subject's own view
    #: Period rules of later versions of the item (catalog versions published after the one
    #: this record was accepted under). The lighter rule for the subject applies once in force:
    #: see ``decide``.
    later_rules: tuple[PeriodRules, ...] = ()


@dataclass(frozen=True)
class Reason:
    code: str
    article: str
    message: str
    #: The day the reason took effect, where it has one (shown to the subject).
    day: date | None = None
    #: Words the providing unit sent with it (e.g. the removal reason).
    detail: str | None = None


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


def conduct_day(f: RecordFacts) -> tuple[date | None, str]:
    """Art. 3: the day the person's age is judged on: the end of the conduct when the unit
    sends it, else the decision's effective date, else its decision date (the conduct was on
    or before them)."""
    for day, what in (
        (f.conduct_end_date, "the end of the conduct"),
        (f.effective_date, "the decision's effective date"),
        (f.decision_date, "the decision date"),
    ):
        if day is not None:
            return day, what
    return None, "no date of the conduct"


def continuing(f: RecordFacts) -> bool:
    """Art. 43: conduct left open "while unpaid" (or listed) that no unit has ended yet, and
    for which no period runs meanwhile (a severity period still runs: not "continuing")."""
    period = f.inquiry_period
    rule = f.publicity
    open_by_nature = (rule is not None and rule.public == "until_ended") or (
        (rule is None or rule.public != "severity")
        and period is not None
        and period.open_means == "continuing"
        and f.subject_kind in period.applies_to
    )
    return (
        f.polarity is Polarity.NEGATIVE
        and open_by_nature
        and f.conduct_end_date is None
        and f.ended_on is None
    )


def inquiry_end(f: RecordFacts) -> tuple[date | None, Reason | None]:
    """Art. 43: the last day a natural person's untrustworthiness information is provided.

    Counted from the end of the conduct (D-6); without it, provisionally from the decision's
    effective date (flagged), unless the item's conduct is continuing by nature (arrears
    "while unpaid", a listing): then it does not expire until a unit sends the end.
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
        if period.open_means == "continuing":
            return None, None
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


@dataclass(frozen=True)
class PublicEnd:
    """The last day of public disclosure (None: open, no end yet), why, and notes."""

    last_day: date | None
    reason: Reason | None
    notes: tuple[Reason, ...] = ()


def public_end(f: RecordFacts) -> PublicEnd:
    """docs/facts.md#publicity-periods: the last day a negative record is publicly disclosed.

    ``severity`` rules: the maximum of the record's severity class, counted from the decision
    (or its effective date); a minor class unpublished by default is published only when the
    unit sets a publicity end, and then at most its maximum. ``until_ended`` rules: no maximum
    (the listing or the arrears continue until the unit ends them). Either way the unit's own
    dates in ``ended_by`` end it earlier: a publicity end is the last day shown; a removal or
    end date, and the date the conduct ended, are the first day not shown.
    """
    rule = f.publicity
    if rule is None:
        if not f.severity_classes:
            return _unit_end(f, ("publicity_end",), [], ())
        rule = _IMPLICIT
    candidates: list[tuple[date, Reason]] = []
    notes: list[Reason] = []
    if rule.public == "severity":
        severity = f.severity or f.default_severity
        if severity is None:
            severity = DEFAULT_SEVERITY
            notes.append(
                Reason(
                    "severity_missing",
                    "Art. 43-45; FACTS 3",
                    f"no severity reported: the {severity.value} publicity period is assumed",
                )
            )
        elif f.severity is None:
            notes.append(
                Reason(
                    "severity_default",
                    "FACTS 3",
                    f"no severity reported: the item's default ({severity.value}) applies",
                )
            )
        klass = next((c for c in f.severity_classes if c.severity is severity), None)
        start = f.effective_date if rule.starts == "effective_date" else None
        start = start or f.decision_date or f.effective_date
        if klass is not None and start is not None:
            if klass.max_months == 0 or (klass.unpublished_by_default and f.publicity_end is None):
                candidates.append(
                    (
                        date.min,
                        Reason(
                            "not_published",
                            "FACTS 3",
                            f"{severity.value} untrustworthiness information is not published",
                        ),
                    )
                )
            else:
                last = add_months(start, klass.max_months)
                candidates.append(
                    (
                        last,
                        Reason(
                            "publicity_period_ended",
                            "Art. 43-45; FACTS 3",
                            f"the {severity.value} publicity period ended on "
                            f"{last.isoformat()} ({klass.max_months} months from "
                            f"{start.isoformat()})",
                            day=last + timedelta(days=1),
                        ),
                    )
                )
    return _unit_end(f, rule.ended_by, candidates, tuple(notes))


def _unit_end(
    f: RecordFacts,
    ended_by: tuple[str, ...],
    candidates: list[tuple[date, Reason]],
    notes: tuple[Reason, ...],
) -> PublicEnd:
    """Add the unit's own end dates to ``candidates``; the earliest wins."""
    if "publicity_end" in ended_by and f.publicity_end is not None:
        candidates.append(
            (
                f.publicity_end,
                Reason(
                    "publicity_period_ended",
                    "Art. 43-45; FACTS 3",
                    f"the publicity end set by the unit was {f.publicity_end.isoformat()}",
                    day=f.publicity_end + timedelta(days=1),
                ),
            )
        )
    if "ended_on" in ended_by and f.ended_on is not None:
        candidates.append(
            (
                f.ended_on - timedelta(days=1),
                Reason(
                    "ended",
                    "FACTS 3; D-6",
                    f"removed or ended by the unit on {f.ended_on.isoformat()}",
                    day=f.ended_on,
                    detail=f.end_reason,
                ),
            )
        )
    if "conduct_end" in ended_by and f.conduct_end_date is not None:
        candidates.append(
            (
                f.conduct_end_date - timedelta(days=1),
                Reason(
                    "conduct_ended",
                    "FACTS 3; Art. 43",
                    f"the conduct ended on {f.conduct_end_date.isoformat()} (e.g. paid in full)",
                    day=f.conduct_end_date,
                ),
            )
        )
    if not candidates:
        return PublicEnd(None, None, notes)
    last, reason = min(candidates, key=lambda c: c[0])
    return PublicEnd(last, reason, notes)


def publicity_end(f: RecordFacts) -> tuple[date | None, Reason | None]:
    """The last day of public disclosure and the note that qualifies it (see ``public_end``)."""
    end = public_end(f)
    return end.last_day, end.notes[0] if end.notes else None


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
    """Visible or not to ``mode`` on day ``on``, with masks, labels and reasons.

    Periods change with the national rules (docs/facts.md#publicity-periods: the restoration rules
    changed on 2026-04-01), and a record keeps the catalog item version it was accepted under. Where
    a later version of the item is in force on ``on``, the rule lighter for the subject applies:
    the record is provided only if both the old and the new rule provide it (the principle of
    applying the old rule unless the new one is lighter, Administrative Penalty Law Art. 37).
    A new rule therefore never brings back what an old one had ended, and an old rule never
    keeps showing what the rule in force has ended.
    """
    return decide_modes(f, (mode,), on, purpose)[0]


def decide_modes(
    f: RecordFacts, modes: tuple[InquiryMode, ...], on: date, purpose: str | None = None
) -> tuple[Decision, ...]:
    """``decide`` for each of ``modes``, in order: the same decisions, with what does not
    depend on the mode worked out once per rule in force (the periods' ends, the dated
    outcomes, the facts under a later rule). Issue 22: a self inquiry decides every record in
    four modes (its own and, for the subject to read, the other three)."""
    best = list(_decide_all(f, modes, on, purpose))
    for rules_then in f.later_rules:
        if rules_then.effective_from > on:
            continue
        then = replace(
            f,
            severity_classes=rules_then.severity_classes,
            default_severity=rules_then.default_severity,
            inquiry_period=rules_then.inquiry_period,
            publicity=rules_then.publicity,
            later_rules=(),
        )
        for i, other in enumerate(_decide_all(then, modes, on, purpose)):
            if _provides_less(other, best[i]):
                best[i] = other
    return tuple(best)


def _provides_less(a: Decision, b: Decision) -> bool:
    """``a`` discloses less than ``b``: hidden where ``b`` shows or, in the subject's own view
    (where everything shows), more statuses saying it is no longer provided or public."""
    if a.visible != b.visible:
        return not a.visible
    return _ended(a) > _ended(b)


#: Labels of the subject's own view that say nothing about an end of disclosure.
_NOT_AN_END = frozenset({"under_objection", "continuing"})


def _ended(d: Decision) -> int:
    return sum(1 for label in d.labels if label not in _NOT_AN_END)


def _decide_all(
    f: RecordFacts, modes: tuple[InquiryMode, ...], on: date, purpose: str | None
) -> list[Decision]:
    """Each mode's decision under ``f``'s own rules (``decide`` weighs the later ones)."""
    if on < f.recorded_on or (f.superseded_on is not None and on >= f.superseded_on):
        not_held = Decision(
            False,
            reasons=(Reason("not_held", "Art. 20", "this version was not the record on that day"),),
        )
        return [not_held] * len(modes)
    if f.removed_on is not None and on >= f.removed_on:
        removed = Decision(
            False,
            reasons=(Reason("removed", "Art. 45(3); D-8", "removed after credit restoration"),),
        )
        return [removed] * len(modes)
    # Art. 41: an objection adds a label and never hides anything.
    labels: tuple[str, ...] = (
        ("under_objection",) if any(o.covers(on) for o in f.objections) else ()
    )
    ends = _outcomes(f, on)
    last_day, note43 = inquiry_end(f)
    if last_day is not None and on > last_day:
        ends.append(
            Reason(
                "inquiry_period_ended",
                "Art. 43",
                f"natural persons' untrustworthiness information is provided until "
                f"{last_day.isoformat()} (5 years from the end of the conduct)",
                day=last_day + timedelta(days=1),
            )
        )
    removal = _removal(f, on)
    if removal is not None:
        ends.append(removal)
    notes = [r for r in (note43,) if r is not None]
    # The end of public disclosure: read by the subject's own view and the public one.
    end = (
        public_end(f)
        if InquiryMode.SELF in modes or InquiryMode.PUBLIC_DISCLOSURE in modes
        else None
    )
    return [_decide_mode(f, mode, on, purpose, labels, ends, notes, end) for mode in modes]


def _decide_mode(
    f: RecordFacts,
    mode: InquiryMode,
    on: date,
    purpose: str | None,
    labels: tuple[str, ...],
    ends: list[Reason],
    notes: list[Reason],
    end: PublicEnd | None,
) -> Decision:
    """One mode's decision from what ``_decide_all`` worked out (its lists are not changed:
    every mode reads the same)."""
    if mode is InquiryMode.SELF:
        assert end is not None
        return _own_view(f, on, labels, ends, notes, end)
    hidden, mode_notes = _mode_rules(f, mode, on, purpose, end)
    hidden = ends + hidden
    all_notes = notes + mode_notes
    if hidden:
        return Decision(False, labels=labels, reasons=tuple(hidden + all_notes))
    masked = f.personal_fields
    if mode is InquiryMode.PUBLIC_DISCLOSURE and f.subject_kind is SubjectKind.PERSON:
        masked = (*masked, "subject.name")
    return Decision(True, masked=masked, labels=labels, reasons=tuple(all_notes))


def _own_view(
    f: RecordFacts,
    on: date,
    labels: tuple[str, ...],
    ends: list[Reason],
    notes: list[Reason],
    end: PublicEnd,
) -> Decision:
    """Art. 39, D-6: the subject sees everything held about them, each with its status: why it
    is no longer provided (or no longer public), or that the conduct is still continuing."""
    status = list(ends)
    if (
        f.polarity is Polarity.NEGATIVE
        and end.reason is not None
        and end.last_day is not None
        and on > end.last_day
        and all(r.code != end.reason.code for r in status)
    ):
        status.append(end.reason)
    if continuing(f) and not ends:
        status.append(
            Reason(
                "continuing",
                "Art. 43; FACTS 3",
                "the conduct is continuing: no period runs until the unit sends its end",
            )
        )
    return Decision(
        True, labels=labels + tuple(r.code for r in status), reasons=tuple(status + notes)
    )


def _removal(f: RecordFacts, on: date) -> Reason | None:
    """D-6: where the item's own rule makes a removal or deletion a restoration (the listing
    is gone), authority-based and authorized inquiries stop on that day too."""
    rule = f.publicity
    if (
        rule is None
        or not rule.removal_ends_inquiries
        or f.ended_on is None
        or on < f.ended_on
        or f.polarity is not Polarity.NEGATIVE
    ):
        return None
    return Reason(
        "ended",
        "D-6; FACTS 3",
        f"removed or ended by the unit on {f.ended_on.isoformat()}: no longer provided "
        f"({rule.citation})",
        day=f.ended_on,
        detail=f.end_reason,
    )


def _outcomes(f: RecordFacts, on: date) -> list[Reason]:
    """Dated outcomes, reached by ``on``, after which a record is no longer provided to anyone
    but its subject. (Each reason is made only when its outcome is reached: every record of
    every inquiry passes here, issue 22.)"""
    out: list[Reason] = []
    revoked = min((d for d in (f.basis_revoked_on, f.revoked_on) if d is not None), default=None)
    if revoked is not None and on >= revoked:
        out.append(
            Reason(
                "basis_revoked",
                "Art. 44",
                "the record or its basis document was revoked or changed",
                day=revoked,
            )
        )
    if f.provision_stopped_on is not None and on >= f.provision_stopped_on:
        out.append(
            Reason(
                "provision_stopped",
                "Art. 42(3)",
                "provision stopped after an objection",
                day=f.provision_stopped_on,
            )
        )
    if f.restored_on is not None and on >= f.restored_on:
        out.append(
            Reason("restored", "Art. 45", "credit restored: no longer provided", day=f.restored_on)
        )
    return out


def _mode_rules(
    f: RecordFacts, mode: InquiryMode, on: date, purpose: str | None, end: PublicEnd | None
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
    assert end is not None
    hidden, notes = _public_rules(f, on, end)
    return out + hidden, notes


def _public_rules(f: RecordFacts, on: date, end: PublicEnd) -> tuple[list[Reason], list[Reason]]:
    out: list[Reason] = []
    if f.info_class is not InfoClass.PUBLIC:
        out.append(
            Reason(
                "not_public_information",
                "Art. 23; Art. 56",
                "market and self-declared information stay out of public sections",
            )
        )
    if f.subject_kind is SubjectKind.PERSON:
        out += _minor_rules(f, on)
    if end.last_day is not None and on > end.last_day and end.reason is not None:
        out.append(end.reason)
    return out, list(end.notes)


def _minor_rules(f: RecordFacts, on: date) -> list[Reason]:
    """Art. 3, D-25: conduct of a minor is never publicly disclosed, also after the person
    turns 18: age is judged on the day of the conduct, not of the inquiry. A person whose
    birth date is unknown (identified by a document other than a citizen ID, none sent or
    asserted) is treated as possibly a minor."""
    if f.subject_birth_date is None:
        return [
            Reason(
                "birth_date_unknown",
                "Art. 3; D-25",
                "the person's birth date is not known: treated as possibly a minor",
            )
        ]
    day, what = conduct_day(f)
    if is_minor(f.subject_birth_date, on) or (
        day is not None and is_minor(f.subject_birth_date, day)
    ):
        return [
            Reason(
                "minor",
                "Art. 3; D-25",
                f"the person was under {ADULT_AGE} on {what}: not publicly disclosed",
                day=day,
            )
        ]
    return []
