"""Issue 14 points 1-4: every negative item's periods, per kind of subject, with their boundary
days (last day shown, first day not shown), straight from the seeded catalog data that the
rules apply (docs/facts.md#publicity-periods; Art. 3, 43, 44; D-6)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pcip.catalog.schemas import ItemSpec
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.disclosure.rules import Decision, RecordFacts, decide
from pcip.kernel.enums import (
    DisclosureClass,
    InfoClass,
    InquiryMode,
    Polarity,
    Severity,
    SubjectKind,
)

PUBLIC, AUTHORITY, AUTHORIZED, SELF = (
    InquiryMode.PUBLIC_DISCLOSURE,
    InquiryMode.AUTHORITY,
    InquiryMode.AUTHORIZED,
    InquiryMode.SELF,
)
ITEMS = {i.code: i for c in SEED_CATALOGS for i in c.items}
NEGATIVE = [i for i in ITEMS.values() if i.polarity is Polarity.NEGATIVE]
DECIDED = date(2024, 3, 1)
DAY = timedelta(days=1)


def facts(spec: ItemSpec, kind: SubjectKind, **changes: object) -> RecordFacts:
    """A record of ``spec`` about an adult or an organisation, decided 2024-03-01."""
    base: dict[str, object] = {
        "item_code": spec.code,
        "polarity": spec.polarity,
        "info_class": InfoClass.PUBLIC,
        "disclosure_class": spec.disclosure_class,
        "subject_kind": kind,
        "recorded_on": date(2024, 3, 2),
        "subject_birth_date": date(1980, 1, 1) if kind is SubjectKind.PERSON else None,
        "severity_classes": spec.severity_classes,
        "default_severity": spec.default_severity,
        "inquiry_period": spec.inquiry_period,
        "publicity": spec.publicity_for(kind),
        "decision_date": DECIDED,
        "effective_date": DECIDED,
        "conduct_end_date": date(2024, 2, 1),
    }
    base.update(changes)
    return RecordFacts(**base)  # type: ignore[arg-type]


def ask(f: RecordFacts, mode: InquiryMode, on: date) -> Decision:
    return decide(f, mode, on, "market supervision case 2026-17" if mode is AUTHORITY else None)


def cases(public: str | None = None, public_class: bool | None = None) -> list[object]:
    out: list[object] = []
    for spec in NEGATIVE:
        for kind in spec.subject_kinds:
            rule = spec.publicity_for(kind)
            assert rule is not None
            if public is not None and rule.public != public:
                continue
            if public_class is not None and (
                (spec.disclosure_class is DisclosureClass.PUBLIC) != public_class
            ):
                continue
            out.append(pytest.param(spec, kind, id=f"{spec.code}-{kind.value}"))
    return out


def test_issue14_every_negative_item_has_a_period_for_every_kind_of_subject() -> None:
    for spec in NEGATIVE:
        for kind in spec.subject_kinds:
            rule = spec.publicity_for(kind)
            assert rule is not None and len(rule.citation) > 20, (spec.code, kind)


# --- point 1 and 2: severity periods (docs/facts.md#publicity-periods) ----------------------------

SEVERITY_LAST_DAY = {
    Severity.GENERAL: date(2025, 3, 1),  # 12 months from the decision
    Severity.SERIOUS: date(2027, 3, 1),  # 36 months
}


@pytest.mark.parametrize(("spec", "kind"), cases("severity", public_class=True))
@pytest.mark.parametrize("severity", [Severity.GENERAL, Severity.SERIOUS])
def test_facts3_severity_period_last_day_shown_first_day_not(
    spec: ItemSpec, kind: SubjectKind, severity: Severity
) -> None:
    f = facts(spec, kind, severity=severity)
    last = SEVERITY_LAST_DAY[severity]
    assert ask(f, PUBLIC, last).visible
    after = ask(f, PUBLIC, last + DAY)
    assert not after.visible and after.hidden_by() == ("publicity_period_ended",)
    # D-6: authorities still see it (persons: within Art. 43, five years from the conduct).
    assert ask(f, AUTHORITY, last + DAY).visible


@pytest.mark.parametrize(("spec", "kind"), cases("severity", public_class=True))
def test_facts3_minor_is_not_published_unless_the_unit_sets_a_publicity_end(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(spec, kind, severity=Severity.MINOR)
    d = ask(f, PUBLIC, DECIDED + DAY)
    assert not d.visible and d.hidden_by() == ("not_published",)
    assert ask(f, AUTHORITY, DECIDED + DAY).visible
    # A publicity end within 3 months: its last day is the last day shown.
    short = facts(spec, kind, severity=Severity.MINOR, publicity_end=date(2024, 5, 15))
    assert ask(short, PUBLIC, date(2024, 5, 15)).visible
    assert not ask(short, PUBLIC, date(2024, 5, 16)).visible
    # A later one is bounded by the 3-month maximum.
    long = facts(spec, kind, severity=Severity.MINOR, publicity_end=date(2024, 12, 31))
    assert ask(long, PUBLIC, date(2024, 6, 1)).visible
    assert ask(long, PUBLIC, date(2024, 6, 2)).hidden_by() == ("publicity_period_ended",)


@pytest.mark.parametrize(("spec", "kind"), cases("severity", public_class=True))
def test_facts3_unit_publicity_end_bounds_the_severity_period(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(spec, kind, severity=Severity.SERIOUS, publicity_end=date(2025, 6, 30))
    assert ask(f, PUBLIC, date(2025, 6, 30)).visible
    assert ask(f, PUBLIC, date(2025, 7, 1)).hidden_by() == ("publicity_period_ended",)


@pytest.mark.parametrize(("spec", "kind"), cases("severity", public_class=True))
def test_facts3_no_severity_sent_applies_the_items_default_and_says_so(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    assert spec.default_severity is Severity.GENERAL
    f = facts(spec, kind, severity=None)
    shown = ask(f, PUBLIC, date(2025, 3, 1))
    assert shown.visible and "severity_default" in shown.hidden_by()
    assert not ask(f, PUBLIC, date(2025, 3, 2)).visible


@pytest.mark.parametrize(("spec", "kind"), cases(public_class=False))
def test_art22_authorized_class_negative_items_are_never_public(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(spec, kind, severity=Severity.SERIOUS)
    assert not ask(f, PUBLIC, DECIDED + DAY).visible
    assert ask(f, AUTHORIZED, DECIDED + DAY).visible


# --- point 1 and 4: listings and arrears, ended by the unit -------------------------------------


def _end_field(spec: ItemSpec, kind: SubjectKind) -> str:
    rule = spec.publicity_for(kind)
    assert rule is not None
    return "ended_on" if "ended_on" in rule.ended_by else "conduct_end_date"


@pytest.mark.parametrize(("spec", "kind"), cases("until_ended"))
def test_facts3_unit_end_date_last_day_shown_first_day_not(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    end = date(2024, 5, 10)
    f = facts(spec, kind, **{"conduct_end_date": None, _end_field(spec, kind): end})
    assert ask(f, PUBLIC, end - DAY).visible
    hidden = ask(f, PUBLIC, end)
    assert not hidden.visible and hidden.reasons[0].day == end
    # The subject's own view keeps it, marked with the reason and the day.
    mine = ask(f, SELF, end)
    assert mine.visible and set(mine.labels) & {"ended", "conduct_ended"}


@pytest.mark.parametrize(("spec", "kind"), cases("until_ended"))
def test_art43_continuing_conduct_has_no_expiry_and_the_subject_is_told(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(spec, kind, conduct_end_date=None)
    for mode in (PUBLIC, AUTHORITY):
        assert ask(f, mode, date(2060, 1, 1)).visible, mode
    mine = ask(f, SELF, date(2060, 1, 1))
    assert "continuing" in mine.labels


@pytest.mark.parametrize(("spec", "kind"), cases("until_ended"))
def test_d6_authorities_after_a_removal_follow_the_items_rule(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    rule = spec.publicity_for(kind)
    assert rule is not None
    end = date(2024, 5, 10)
    f = facts(spec, kind, **{"conduct_end_date": None, _end_field(spec, kind): end})
    assert ask(f, AUTHORITY, end - DAY).visible
    if rule.removal_ends_inquiries:
        # Removal from the abnormal-operation list is restoration; a deleted defaulter entry
        # is gone: no one but the subject sees it from that day.
        for mode in (AUTHORITY, AUTHORIZED):
            assert ask(f, mode, end).hidden_by()[0] == "ended", mode
    else:
        # Arrears paid: no longer public; departments still see it (persons: Art. 43).
        assert ask(f, AUTHORITY, end).visible
        if kind is SubjectKind.PERSON:
            assert ask(f, AUTHORITY, date(2029, 5, 10)).visible
            assert not ask(f, AUTHORITY, date(2029, 5, 11)).visible


def test_facts3_defaulter_performance_ends_public_disclosure_like_a_deletion() -> None:
    spec = ITEMS["court_judgment_defaulter"]
    f = facts(spec, SubjectKind.LEGAL_PERSON, conduct_end_date=date(2024, 6, 3))
    assert ask(f, PUBLIC, date(2024, 6, 2)).visible
    assert ask(f, PUBLIC, date(2024, 6, 3)).hidden_by() == ("conduct_ended",)


# --- Art. 44: revoked, shown to no one -----------------------------------------------------------


@pytest.mark.parametrize(("spec", "kind"), cases())
def test_art44_a_revoked_record_is_shown_to_no_one_from_that_day(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    assert any(f.role and f.role.value == "revoked_on" for f in spec.fields), spec.code
    revoked = date(2024, 4, 20)
    f = facts(spec, kind, revoked_on=revoked, severity=Severity.SERIOUS)
    assert ask(f, AUTHORITY, revoked - DAY).visible
    for mode in (PUBLIC, AUTHORITY, AUTHORIZED):
        assert "basis_revoked" in ask(f, mode, revoked).hidden_by(), mode
    mine = ask(f, SELF, revoked)
    assert mine.visible and "basis_revoked" in mine.labels


# --- Art. 43: natural persons, per item -------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind"),
    [c for c in cases() if str(c.id).endswith("-person")],  # type: ignore[attr-defined]
)
def test_art43_persons_five_years_from_the_conduct_end_per_item(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(
        spec,
        kind,
        conduct_end_date=date(2019, 3, 10),
        decision_date=date(2019, 1, 5),
        effective_date=date(2019, 1, 5),
        recorded_on=date(2019, 1, 6),
    )
    assert ask(f, AUTHORITY, date(2024, 3, 10)).visible
    assert "inquiry_period_ended" in ask(f, AUTHORITY, date(2024, 3, 11)).hidden_by()


# --- Art. 3: minors judged on the day of the conduct ---------------------------------------------


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        c
        for c in cases(public_class=True)
        if str(c.id).endswith("-person")  # type: ignore[attr-defined]
    ],
)
def test_art3_conduct_at_16_stays_out_of_public_disclosure_after_18(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    # The conduct day: the decision's effective date where no end date is sent (still open).
    conduct = {"conduct_end_date": None, "effective_date": date(2024, 2, 1)}
    f = facts(spec, kind, subject_birth_date=date(2008, 1, 1), severity=Severity.SERIOUS, **conduct)
    for on in (date(2024, 4, 1), date(2026, 1, 1)):  # at 16, and after turning 18
        assert ask(f, PUBLIC, on).hidden_by()[0] == "minor", on
    assert ask(f, AUTHORITY, date(2026, 1, 1)).visible
    # Boundary: conduct on the 18th birthday is an adult's.
    adult = facts(
        spec, kind, subject_birth_date=date(2006, 2, 1), severity=Severity.SERIOUS, **conduct
    )
    assert ask(adult, PUBLIC, date(2024, 4, 1)).visible
    day_before = facts(
        spec, kind, subject_birth_date=date(2006, 2, 2), severity=Severity.SERIOUS, **conduct
    )
    assert ask(day_before, PUBLIC, date(2024, 4, 1)).hidden_by()[0] == "minor"


@pytest.mark.parametrize(
    ("spec", "kind"),
    [
        c
        for c in cases(public_class=True)
        if str(c.id).endswith("-person")  # type: ignore[attr-defined]
    ],
)
def test_art3_unknown_birth_date_is_treated_as_possibly_a_minor(
    spec: ItemSpec, kind: SubjectKind
) -> None:
    f = facts(spec, kind, subject_birth_date=None, severity=Severity.SERIOUS, conduct_end_date=None)
    d = ask(f, PUBLIC, date(2024, 4, 1))
    assert not d.visible and d.hidden_by()[0] == "birth_date_unknown"
    assert ask(f, AUTHORITY, date(2024, 4, 1)).visible


def test_facts3_an_unremedied_government_breach_still_stops_at_its_severity_maximum() -> None:
    """Not "continuing": the severity period runs while the breach is not remedied."""
    spec = ITEMS["cq_government_pledge_breach"]
    f = facts(spec, SubjectKind.LEGAL_PERSON, conduct_end_date=None, severity=Severity.GENERAL)
    assert ask(f, PUBLIC, date(2025, 3, 1)).visible
    assert not ask(f, PUBLIC, date(2025, 3, 2)).visible
    assert "continuing" not in ask(f, SELF, date(2025, 3, 2)).labels
