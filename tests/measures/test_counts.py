"""The dashboard's counts of lists and credit checks (issue 16.8; Art. 31-34, 44): listings in
force, listings begun, removals, expiries, revocations and subjects checked over a period,
read through ``pcip.measures.queries`` (above both areas)."""

from __future__ import annotations

from datetime import date

from pcip import clock
from pcip.inquiry.schemas import Channel, SubjectRef
from pcip.kernel.platform import Platform
from pcip.lists import designation
from pcip.lists.schemas import EndIn, RevokeIn
from pcip.measures import checks, queries
from pcip.measures.schemas import CheckIn
from tests.lists.support import COMPANY, listed, operator, staff

NOV = (date(2026, 11, 1), date(2026, 11, 30))


def test_art32_art44_counts_listings_removals_revocations_and_checks(platform: Platform) -> None:
    who = staff(platform)
    kept = listed(platform, who, "渝市监信〔2026〕11号")
    removed = listed(platform, who, "渝市监信〔2026〕12号")
    revoked = listed(platform, who, "渝市监信〔2026〕13号")
    assert kept != removed != revoked
    with clock.frozen(date(2026, 11, 20)), platform.transaction() as s:
        designation.remove(s, who, removed, EndIn(reason="已履行全部义务并纠正"))
        designation.revoke(
            s, operator(), revoked, RevokeIn(cause="court_judgment", reason="判决撤销处罚")
        )
        body = CheckIn(subject=SubjectRef(uscc=COMPANY), matter="procurement", purpose="资格审查")
        checks.check(s, platform.keyring, who, body, Channel.API)
    with platform.transaction() as s:
        nov = queries.counts(s, *NOV)
        dec = queries.counts(s, date(2026, 12, 1), date(2026, 12, 31))
    assert (nov.in_force, nov.listed, nov.removed, nov.revoked, nov.expired) == (1, 3, 1, 1, 0)
    assert nov.credit_checks == 1
    # The next month: the one listing still in force, nothing begun, ended or checked.
    assert (dec.in_force, dec.listed, dec.removed, dec.revoked, dec.credit_checks) == (
        1,
        0,
        0,
        0,
        0,
    )


def test_art32_an_expiry_counts_once_whether_or_not_the_sweep_recorded_it(
    platform: Platform,
) -> None:
    who = staff(platform)
    listed(platform, who)  # listed 10 Nov 2026 for three years: expires on 11 Nov 2029
    period = (date(2029, 11, 1), date(2029, 11, 30))
    with platform.transaction() as s:
        derived = queries.counts(s, *period)
        before = queries.counts(s, date(2029, 10, 1), date(2029, 10, 31))
    assert (derived.expired, derived.in_force) == (1, 0)
    assert (before.expired, before.in_force) == (0, 1)
    with clock.frozen(date(2029, 11, 11)), platform.transaction() as s:
        assert designation.expire_due(s, operator()) == 1
    with platform.transaction() as s:
        recorded = queries.counts(s, *period)
    assert (recorded.expired, recorded.in_force) == (1, 0)
