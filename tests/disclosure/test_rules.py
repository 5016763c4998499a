"""The disclosure rules (Art. 3, 22-23, 30, 39, 41-45) as one pure function: per-article tables
and properties over dates."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.disclosure.rules import (
    Decision,
    Interval,
    PeriodRules,
    RecordFacts,
    add_years,
    decide,
    decide_modes,
    inquiry_end,
)
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
PENALTY = next(i for c in SEED_CATALOGS for i in c.items if i.code == "admin_penalty")


def penalty(**changes: object) -> RecordFacts:
    """A company's administrative penalty decided 2024-03-01 (general severity)."""
    base = RecordFacts(
        item_code="admin_penalty",
        polarity=Polarity.NEGATIVE,
        info_class=InfoClass.PUBLIC,
        disclosure_class=DisclosureClass.PUBLIC,
        subject_kind=SubjectKind.LEGAL_PERSON,
        recorded_on=date(2024, 3, 5),
        severity=Severity.GENERAL,
        severity_classes=PENALTY.severity_classes,
        inquiry_period=PENALTY.inquiry_period,
        decision_date=date(2024, 3, 1),
        effective_date=date(2024, 3, 1),
        conduct_end_date=date(2024, 2, 1),
        personal_fields=("CF_FR_ZJHM",),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def person_penalty(**changes: object) -> RecordFacts:
    person: dict[str, object] = {
        "subject_kind": SubjectKind.PERSON,
        "subject_birth_date": date(1980, 1, 1),
        "personal_fields": ("CF_XDR_ZJHM",),
    }
    return penalty(**{**person, **changes})


def ask(f: RecordFacts, mode: InquiryMode, on: date, purpose: str | None = None) -> Decision:
    if mode is AUTHORITY and purpose is None:
        purpose = "market supervision case 2026-17"
    return decide(f, mode, on, purpose)


# --- Art. 43: natural persons, 5 years from the end of the conduct ---------------------------


def test_art43_five_years_from_conduct_end_inclusive() -> None:
    """docs/regulation.md#art-43: conduct ended 2019-03-10 -> returned on 2024-03-10, not on
    2024-03-11."""
    f = person_penalty(
        conduct_end_date=date(2019, 3, 10),
        decision_date=date(2019, 5, 1),
        effective_date=date(2019, 5, 1),
        recorded_on=date(2019, 5, 2),
        severity_classes=(),
    )
    assert ask(f, AUTHORITY, date(2024, 3, 10)).visible
    hidden = ask(f, AUTHORITY, date(2024, 3, 11))
    assert not hidden.visible and hidden.hidden_by() == ("inquiry_period_ended",)
    for mode in (PUBLIC, AUTHORIZED):
        assert not ask(f, mode, date(2024, 3, 11)).visible


def test_art43_d6_subject_still_sees_expired_record_with_its_status() -> None:
    f = person_penalty(conduct_end_date=date(2019, 3, 10), severity_classes=())
    mine = ask(f, SELF, date(2025, 1, 1))
    assert mine.visible and "inquiry_period_ended" in mine.labels


def test_art43_d6_missing_conduct_end_counts_from_decision_provisionally() -> None:
    f = person_penalty(conduct_end_date=None, severity_classes=())
    end, note = inquiry_end(f)
    assert end == date(2029, 3, 1) and note is not None and note.code == "conduct_end_missing"
    assert "conduct_end_missing" in ask(f, AUTHORITY, date(2025, 1, 1)).hidden_by()


def test_art43_continuing_conduct_does_not_expire() -> None:
    f = person_penalty(
        conduct_end_date=None, decision_date=None, effective_date=None, severity_classes=()
    )
    assert ask(f, AUTHORITY, date(2060, 1, 1)).visible


def test_art43_d6_period_is_for_natural_persons_only() -> None:
    f = penalty(conduct_end_date=date(2010, 1, 1))
    assert ask(f, AUTHORITY, date(2030, 1, 1)).visible  # legal persons: national rules apply


def test_art43_positive_information_is_not_limited() -> None:
    f = person_penalty(
        polarity=Polarity.POSITIVE, conduct_end_date=date(2000, 1, 1), severity_classes=()
    )
    assert ask(f, AUTHORITY, date(2030, 1, 1)).visible


def test_art43_leap_day_period_ends_on_28_february() -> None:
    assert add_years(date(2020, 2, 29), 5) == date(2025, 2, 28)


# --- publicity periods (docs/facts.md#publicity-periods) ------------------------------------------


@pytest.mark.parametrize(
    ("severity", "last_public_day"),
    [(Severity.GENERAL, date(2025, 3, 1)), (Severity.SERIOUS, date(2027, 3, 1))],
)
def test_facts3_public_disclosure_stops_at_the_maximum_period(
    severity: Severity, last_public_day: date
) -> None:
    f = penalty(severity=severity)
    assert ask(f, PUBLIC, last_public_day).visible
    after = ask(f, PUBLIC, last_public_day + timedelta(days=1))
    assert not after.visible and after.hidden_by() == ("publicity_period_ended",)
    assert ask(f, AUTHORITY, last_public_day + timedelta(days=1)).visible  # authorities still


def test_facts3_minor_class_with_zero_months_is_not_published() -> None:
    from pcip.catalog.schemas import SeverityClass

    classes = (SeverityClass(severity=Severity.MINOR, min_months=0, max_months=0, citation="test"),)
    f = penalty(severity=Severity.MINOR, severity_classes=classes)
    assert not ask(f, PUBLIC, date(2024, 3, 6)).visible


def test_facts3_earlier_unit_publicity_end_wins() -> None:
    f = penalty(publicity_end=date(2024, 6, 1))
    assert not ask(f, PUBLIC, date(2024, 6, 2)).visible


def test_facts3_unknown_severity_assumes_general_and_says_so() -> None:
    f = penalty(severity=None)
    d = ask(f, PUBLIC, date(2024, 4, 1))
    assert d.visible and "severity_missing" in d.hidden_by()
    assert not ask(f, PUBLIC, date(2025, 3, 2)).visible


# --- Art. 22, 30: the four modes and disclosure classes ---------------------------------------


@pytest.mark.parametrize(
    ("klass", "public", "authorized", "authority"),
    [
        (DisclosureClass.PUBLIC, True, True, True),
        (DisclosureClass.AUTHORIZED, False, True, True),
        (DisclosureClass.AUTHORITY, False, False, False),  # Art. 30 needs an admin purpose
    ],
)
def test_art22_disclosure_class_per_mode(
    klass: DisclosureClass, public: bool, authorized: bool, authority: bool
) -> None:
    f = penalty(disclosure_class=klass)
    on = date(2024, 4, 1)
    assert (
        ask(f, PUBLIC, on).visible,
        ask(f, AUTHORIZED, on).visible,
        ask(f, AUTHORITY, on).visible,
    ) == (public, authorized, authority)
    assert ask(f, SELF, on).visible


def test_art22_authority_inquiry_needs_a_duty_purpose() -> None:
    d = decide(penalty(), AUTHORITY, date(2024, 4, 1), purpose="  ")
    assert not d.visible and d.hidden_by() == ("purpose_required",)


def test_art30_assessment_only_for_administrative_purposes() -> None:
    f = penalty(disclosure_class=DisclosureClass.AUTHORITY, polarity=Polarity.NEUTRAL)
    on = date(2024, 4, 1)
    assert decide(f, AUTHORITY, on, "tiered_supervision").visible
    assert not decide(f, AUTHORITY, on, "loan application").visible
    assert not decide(f, AUTHORIZED, on).visible  # never to a bank


def test_art23_market_information_stays_out_of_public_sections() -> None:
    f = penalty(info_class=InfoClass.MARKET, polarity=Polarity.POSITIVE, severity_classes=())
    on = date(2024, 4, 1)
    assert not ask(f, PUBLIC, on).visible and ask(f, AUTHORITY, on).visible


# --- Art. 3: minors -----------------------------------------------------------------------------


def test_art3_minor_absent_from_public_visible_to_authority_with_purpose() -> None:
    """docs/regulation.md#art-3: a 16-year-old's negative record."""
    f = person_penalty(subject_birth_date=date(2008, 1, 1))
    on = date(2024, 4, 1)
    assert ask(f, PUBLIC, on).hidden_by() == ("minor",)
    assert ask(f, AUTHORITY, on).visible
    assert ask(f, PUBLIC, date(2026, 1, 1)).hidden_by() == ("minor", "publicity_period_ended")


def test_art3_age_is_judged_on_the_conduct_day_not_the_inquiry_day() -> None:
    """Issue 14 point 3: conduct at 17 stays out of public disclosure after the 18th birthday;
    conduct on the 18th birthday is an adult's."""
    minor = person_penalty(
        subject_birth_date=date(2006, 3, 10),
        severity=Severity.SERIOUS,
        conduct_end_date=date(2024, 3, 9),
    )
    assert ask(minor, PUBLIC, date(2024, 3, 10)).hidden_by() == ("minor",)
    assert ask(minor, PUBLIC, date(2025, 6, 1)).hidden_by() == ("minor",)
    adult = dataclasses.replace(minor, conduct_end_date=date(2024, 3, 10))
    assert ask(adult, PUBLIC, date(2024, 3, 10)).visible


# --- Art. 41-42, 44-45: dated outcomes --------------------------------------------------------


def test_art41_objection_label_keeps_the_record_visible() -> None:
    f = penalty(objections=(Interval(date(2024, 4, 1), date(2024, 4, 10)),))
    during = ask(f, PUBLIC, date(2024, 4, 5))
    assert during.visible and during.labels == ("under_objection",)
    assert ask(f, PUBLIC, date(2024, 4, 11)).labels == ()


@pytest.mark.parametrize(
    ("field", "code"),
    [
        ("basis_revoked_on", "basis_revoked"),
        ("provision_stopped_on", "provision_stopped"),
        ("restored_on", "restored"),
    ],
)
def test_art42_44_45_outcomes_stop_provision_from_their_date(field: str, code: str) -> None:
    f = penalty(**{field: date(2024, 6, 1)})
    assert ask(f, AUTHORITY, date(2024, 5, 31)).visible
    for mode in (PUBLIC, AUTHORITY, AUTHORIZED):
        assert code in ask(f, mode, date(2024, 6, 1)).hidden_by()
    assert code in ask(f, SELF, date(2024, 6, 1)).labels  # the subject sees it stopped


def test_art45_d8_removed_record_is_in_no_output() -> None:
    f = penalty(removed_on=date(2024, 6, 1))
    for mode in (PUBLIC, AUTHORITY, AUTHORIZED, SELF):
        assert not ask(f, mode, date(2024, 6, 1)).visible


def test_art42_superseded_version_and_as_of_dates() -> None:
    f = penalty(superseded_on=date(2024, 6, 1))
    assert ask(f, PUBLIC, date(2024, 5, 31)).visible
    assert ask(f, PUBLIC, date(2024, 6, 1)).hidden_by() == ("not_held",)
    assert ask(f, PUBLIC, date(2024, 3, 4)).hidden_by() == ("not_held",)  # before it was held


def test_art27_masks_in_public_output() -> None:
    person = ask(person_penalty(), PUBLIC, date(2024, 4, 1))
    assert set(person.masked) == {"CF_XDR_ZJHM", "subject.name"}
    assert ask(person_penalty(), SELF, date(2024, 4, 1)).masked == ()


# --- properties ---------------------------------------------------------------------------------

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 12, 31))
modes = st.sampled_from([PUBLIC, AUTHORITY, AUTHORIZED])


@st.composite
def facts(draw: st.DrawFn) -> RecordFacts:
    decided = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)))
    person = draw(st.booleans())
    return dataclasses.replace(
        person_penalty() if person else penalty(),
        decision_date=decided,
        effective_date=decided,
        recorded_on=decided,
        conduct_end_date=draw(st.none() | st.just(decided - timedelta(days=30))),
        severity=draw(st.none() | st.sampled_from(list(Severity))),
        subject_birth_date=draw(
            st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2025, 1, 1))
        )
        if person
        else None,
        disclosure_class=draw(
            st.sampled_from([DisclosureClass.PUBLIC, DisclosureClass.AUTHORIZED])
        ),
        restored_on=draw(st.none() | days),
    )


@given(f=facts(), mode=modes, on=days, later=st.integers(min_value=1, max_value=4000))
def test_art43_45_no_day_after_the_end_of_a_period_shows_the_record(
    f: RecordFacts, mode: InquiryMode, on: date, later: int
) -> None:
    """Once hidden by a period or outcome, a record stays hidden on every later day."""
    ending = {"inquiry_period_ended", "publicity_period_ended", "restored"}
    first = ask(f, mode, on)
    if ending & set(first.hidden_by()):
        assert not ask(f, mode, on + timedelta(days=later)).visible


@given(f=facts(), mode=st.sampled_from(list(InquiryMode)), on=days, start=days)
def test_art41_adding_an_objection_never_hides_a_record(
    f: RecordFacts, mode: InquiryMode, on: date, start: date
) -> None:
    objected = dataclasses.replace(f, objections=(Interval(start, None),))
    assert ask(objected, mode, on).visible == ask(f, mode, on).visible


@given(f=facts(), on=days)
def test_art22_public_visibility_implies_authority_visibility(f: RecordFacts, on: date) -> None:
    if ask(f, PUBLIC, on).visible:
        assert ask(f, AUTHORITY, on).visible and ask(f, AUTHORIZED, on).visible


@given(f=facts(), on=days)
def test_art39_subject_sees_whatever_anyone_else_sees(f: RecordFacts, on: date) -> None:
    if any(ask(f, m, on).visible for m in (PUBLIC, AUTHORITY, AUTHORIZED)):
        assert ask(f, SELF, on).visible


@st.composite
def later_rules(draw: st.DrawFn) -> tuple[PeriodRules, ...]:
    """Period rules of later catalog versions: other maxima, or no inquiry period at all."""
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        months = draw(st.integers(min_value=0, max_value=60))
        classes = tuple(
            c.model_copy(update={"max_months": months}) if draw(st.booleans()) else c
            for c in PENALTY.severity_classes
        )
        out.append(
            PeriodRules(
                effective_from=draw(days),
                severity_classes=classes,
                default_severity=draw(st.none() | st.sampled_from(list(Severity))),
                inquiry_period=draw(st.none() | st.just(PENALTY.inquiry_period)),
            )
        )
    return tuple(out)


@given(
    f=facts(),
    later=later_rules(),
    on=days,
    objected=st.none() | days,
    order=st.permutations([SELF, PUBLIC, AUTHORIZED, AUTHORITY]),
    purpose=st.sampled_from([None, "", "administrative_management", "credit_review"]),
)
def test_issue22_art22_art39_deciding_the_modes_together_decides_each_as_alone(
    f: RecordFacts,
    later: tuple[PeriodRules, ...],
    on: date,
    objected: date | None,
    order: list[InquiryMode],
    purpose: str | None,
) -> None:
    """A self inquiry decides each record in all four modes at once (issue 22); each decision
    is the one its mode gets alone, whatever the order and the later rules in force."""
    f = dataclasses.replace(
        f,
        later_rules=later,
        objections=() if objected is None else (Interval(objected, None),),
    )
    modes = tuple(order)
    assert decide_modes(f, modes, on, purpose) == tuple(decide(f, m, on, purpose) for m in modes)
    for i in range(1, len(modes)):  # and any part of them
        assert decide_modes(f, modes[:i], on, purpose) == decide_modes(f, modes, on, purpose)[:i]
