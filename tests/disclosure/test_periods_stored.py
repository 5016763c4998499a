"""Issue 14 points 1, 2 and 4 through the real store, on SQLite and PostgreSQL: records as
units send them (severity codes, publicity ends, listing ends, continuing arrears), disclosed
on their boundary days (docs/facts.md#publicity-periods; Art. 43; D-6)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from pcip import clock
from pcip.catalog.schemas import FieldRole
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.catalog.service import item_in_force, item_spec
from pcip.demo.generators.records import Issuer, Party, make_row
from pcip.disclosure.service import disclose, held_records
from pcip.inquiry.present import own_record_out
from pcip.kernel.actors import Actor
from pcip.kernel.enums import InquiryMode, Polarity, SubjectKind
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.subjects.models import Subject
from tests.helpers import citizen_id, uscc

ACTOR = Actor.system("test")
UNIT = uscc(9101, authority="1", entity_type="1")
ITEMS = ["admin_penalty", "court_judgment_defaulter", "tax_arrears"]
PUBLIC, AUTHORITY, SELF = (
    InquiryMode.PUBLIC_DISCLOSURE,
    InquiryMode.AUTHORITY,
    InquiryMode.SELF,
)


@pytest.fixture
def unit(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市渝中区人民法院", ITEMS)
    return UNIT


def submit(platform: Platform, item: str, company: str, changes: dict[str, str]) -> None:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, item))
    party = Party(SubjectKind.LEGAL_PERSON, f"重庆{company}有限公司", uscc=company_uscc(company))
    row = make_row(
        random.Random(company), spec, party, Issuer("重庆市渝中区人民法院", UNIT), clock.today()
    )
    row.update(changes)
    summary = ingest(
        platform,
        ACTOR,
        provider_uscc=UNIT,
        item_code=item,
        rows=rows_from_json([row]),
        source=Source("test", None, None, "json"),
    )
    assert summary.accepted + summary.updated == 1, summary.as_json()


def company_uscc(name: str) -> str:
    return uscc(9200 + sum(map(ord, name)) % 700)


def shown(platform: Platform, company: str, mode: InquiryMode, on: date) -> bool:
    with platform.transaction() as s:
        subject = s.query(Subject).filter_by(uscc=company_uscc(company)).one()
        purpose = "supervision" if mode is AUTHORITY else None
        return bool(disclose(held_records(s, subject), mode, on, purpose))


PENALTY = {
    "CF_JDRQ": "2025-01-10",
    "basis_effective_date": "2025-01-10",
    "conduct_end_date": "2024-12-01",
    "CF_GSJZQ": "",
}


@pytest.mark.parametrize(
    ("code", "last_day"),
    [("2", date(2026, 1, 10)), ("一般", date(2026, 1, 10)), ("3", date(2028, 1, 10))],
)
def test_facts3_stored_penalty_severity_code_sets_the_publicity_period(
    platform: Platform, unit: str, code: str, last_day: date
) -> None:
    with clock.frozen("2025-01-12T09:00:00"):
        submit(platform, "admin_penalty", "甲商贸", {**PENALTY, "severity": code})
    assert shown(platform, "甲商贸", PUBLIC, last_day)
    assert not shown(platform, "甲商贸", PUBLIC, date.fromordinal(last_day.toordinal() + 1))
    assert shown(platform, "甲商贸", AUTHORITY, date(2030, 1, 1))  # D-6: organisations


def test_facts3_stored_minor_penalty_is_published_only_until_the_units_publicity_end(
    platform: Platform, unit: str
) -> None:
    with clock.frozen("2025-01-12T09:00:00"):
        submit(platform, "admin_penalty", "乙商贸", {**PENALTY, "severity": "1"})
        submit(
            platform,
            "admin_penalty",
            "丙商贸",
            {**PENALTY, "severity": "轻微", "CF_GSJZQ": "2025-02-28"},
        )
    assert not shown(platform, "乙商贸", PUBLIC, date(2025, 1, 12))
    assert shown(platform, "丙商贸", PUBLIC, date(2025, 2, 28))
    assert not shown(platform, "丙商贸", PUBLIC, date(2025, 3, 1))


def test_facts3_stored_defaulter_listing_end_last_day_shown_first_day_not(
    platform: Platform, unit: str
) -> None:
    """A court sends the listing period's end (2 years, SPC provisions Art. 2) in advance."""
    changes = {
        "publication_date": "2025-02-01",
        "effective_date": "2025-02-01",
        "listing_end_date": "2027-02-01",
        "conduct_end_date": "",
    }
    with clock.frozen("2025-02-03T09:00:00"):
        submit(platform, "court_judgment_defaulter", "丁建材", changes)
    for mode in (PUBLIC, AUTHORITY):
        assert shown(platform, "丁建材", mode, date(2027, 1, 31)), mode
        assert not shown(platform, "丁建材", mode, date(2027, 2, 1)), mode


def test_art43_stored_arrears_continue_until_paid_and_the_company_is_told(
    platform: Platform, unit: str
) -> None:
    changes = {
        "basis_number": "渝中税欠〔2024〕1号",
        "decision_date": "2024-05-01",
        "effective_date": "",
        "conduct_end_date": "",
    }
    with clock.frozen("2024-05-03T09:00:00"):
        submit(platform, "tax_arrears", "戊物流", changes)
    assert shown(platform, "戊物流", PUBLIC, date(2026, 11, 26))
    with platform.transaction() as s:
        subject = s.query(Subject).filter_by(uscc=company_uscc("戊物流")).one()
        (held,) = held_records(s, subject)
        mine = own_record_out(held, date(2026, 11, 26))
        assert mine is not None and "continuing" in mine.labels
    # Paid on 2026-11-20, sent the same day: no longer public from that day.
    with clock.frozen("2026-11-20T09:00:00"):
        submit(platform, "tax_arrears", "戊物流", {**changes, "conduct_end_date": "2026-11-20"})
    assert shown(platform, "戊物流", PUBLIC, date(2026, 11, 19))
    assert not shown(platform, "戊物流", PUBLIC, date(2026, 11, 20))
    assert shown(platform, "戊物流", AUTHORITY, date(2026, 11, 20))


# --- every negative item, every kind of subject, through the store ----------------------------

NEGATIVE_ITEMS = [i for c in SEED_CATALOGS for i in c.items if i.polarity is Polarity.NEGATIVE]
CASES = [
    pytest.param(spec.code, kind, id=f"{spec.code}-{kind.value}")
    for spec in NEGATIVE_ITEMS
    for kind in spec.subject_kinds
]


@pytest.fixture
def every_unit(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市信用信息提供单位", [i.code for i in NEGATIVE_ITEMS])
    return UNIT


def _party(kind: SubjectKind, seed: int) -> Party:
    if kind is SubjectKind.PERSON:
        return Party(kind, "测试人", citizen_id=citizen_id(seed, born=date(1980, 5, 5)))
    if kind is SubjectKind.ORGANISATION:  # 59: other civil-affairs organisation (GB 32100)
        return Party(kind, "测试协会", uscc=uscc(seed, authority="5", entity_type="9"))
    return Party(kind, "测试有限公司", uscc=uscc(seed, authority="9", entity_type="1"))


def _send(platform: Platform, code: str, party: Party, changes: dict[FieldRole, str]) -> None:
    with platform.transaction() as s:
        spec = item_spec(item_in_force(s, code))
    row = make_row(random.Random(code), spec, party, Issuer("重庆市某局", UNIT), clock.today())
    by_role = {f.role: f.name for f in spec.fields if f.role is not None}
    for role, value in changes.items():
        if role in by_role:
            row[by_role[role]] = value
    summary = ingest(
        platform,
        ACTOR,
        provider_uscc=UNIT,
        item_code=code,
        rows=rows_from_json([row]),
        source=Source("test", None, None, "json"),
    )
    assert summary.accepted + summary.updated == 1, summary.as_json()


def _shown(platform: Platform, party: Party, mode: InquiryMode, on: date) -> bool:
    with platform.transaction() as s:
        if party.uscc:
            subject = s.query(Subject).filter_by(uscc=party.uscc).one()
        else:
            subject = s.query(Subject).filter_by(kind="person").one()
        purpose = "supervision" if mode is AUTHORITY else None
        return bool(disclose(held_records(s, subject), mode, on, purpose))


BASE = {
    FieldRole.BASIS_NUMBER: "测〔2025〕1号",
    FieldRole.BASIS_DECISION_DATE: "2025-01-10",
    FieldRole.BASIS_EFFECTIVE_DATE: "2025-01-10",
    FieldRole.CONDUCT_END_DATE: "",
    FieldRole.PUBLICITY_END: "",
    FieldRole.SEVERITY: "2",  # general: 12 months
    FieldRole.ENDED_ON: "",
    FieldRole.REVOKED_ON: "",
}


@pytest.mark.parametrize(("code", "kind"), CASES)
def test_facts3_every_item_and_kind_last_day_shown_first_day_not_stored(
    platform: Platform, every_unit: str, code: str, kind: SubjectKind
) -> None:
    spec = next(i for i in NEGATIVE_ITEMS if i.code == code)
    rule = spec.publicity_for(kind)
    assert rule is not None
    party = _party(kind, 9300)
    with clock.frozen("2025-01-12T09:00:00"):
        _send(platform, code, party, BASE)
    if rule.public == "severity":
        last = date(2026, 1, 10)
    else:  # ended by the unit's own date, sent on that day
        ends = FieldRole.ENDED_ON if "ended_on" in rule.ended_by else FieldRole.CONDUCT_END_DATE
        with clock.frozen("2026-01-20T09:00:00"):
            _send(platform, code, party, {**BASE, ends: "2026-01-20"})
        last = date(2026, 1, 19)
        assert _shown(platform, party, PUBLIC, date(2025, 12, 31)) is (
            spec.disclosure_class.value == "public"
        )
    first_not = date.fromordinal(last.toordinal() + 1)
    if spec.disclosure_class.value == "public":
        assert _shown(platform, party, PUBLIC, last)
    else:  # never public; authorized third parties see it
        assert _shown(platform, party, InquiryMode.AUTHORIZED, last)
    assert not _shown(platform, party, PUBLIC, first_not)


@pytest.mark.parametrize(("code", "kind"), CASES)
def test_art44_every_item_and_kind_revocation_date_shown_to_no_one_stored(
    platform: Platform, every_unit: str, code: str, kind: SubjectKind
) -> None:
    party = _party(kind, 9400)
    with clock.frozen("2025-01-12T09:00:00"):
        _send(platform, code, party, {**BASE, FieldRole.REVOKED_ON: "2025-06-01"})
    assert _shown(platform, party, AUTHORITY, date(2025, 5, 31))
    for mode in (PUBLIC, AUTHORITY, InquiryMode.AUTHORIZED):
        assert not _shown(platform, party, mode, date(2025, 6, 1)), mode
    assert _shown(platform, party, SELF, date(2025, 6, 1))


@pytest.mark.parametrize(
    ("code", "kind"),
    [c for c in CASES if str(c.id).endswith("-person")],  # type: ignore[attr-defined]
)
def test_art43_every_item_persons_five_years_from_the_conduct_end_stored(
    platform: Platform, every_unit: str, code: str, kind: SubjectKind
) -> None:
    party = _party(kind, 9500)
    old = {
        **BASE,
        FieldRole.BASIS_DECISION_DATE: "2019-12-20",
        FieldRole.BASIS_EFFECTIVE_DATE: "2019-12-20",
        FieldRole.CONDUCT_END_DATE: "2020-01-01",
    }
    with clock.frozen("2024-12-01T09:00:00"):
        _send(platform, code, party, old)
    assert _shown(platform, party, AUTHORITY, date(2025, 1, 1))
    assert not _shown(platform, party, AUTHORITY, date(2025, 1, 2))
