"""Issue 14 point 1, as a unit meets it: a market regulation bureau's abnormal-operation list of
50 companies, 38 of them removed between 2007 and 2024. In 2026 no removed company is shown to
the public or to departments (removal is restoration), and each one's own view says it was
removed, when and why (docs/facts.md#publicity-periods; D-6; Art. 39)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from pcip import clock
from pcip.disclosure.service import disclose, held_records
from pcip.inquiry.present import own_record_out
from pcip.kernel.actors import Actor
from pcip.kernel.enums import InquiryMode
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from pcip.records.ingest import IngestSummary, Source, ingest, ingest_file, rows_from_json
from pcip.subjects.models import Subject
from tests.helpers import uscc
from tests.web.support import browser

ACTOR = Actor.system("test")
BUREAU = uscc(7101, authority="1", entity_type="1")
TODAY = date(2026, 11, 26)
NOW = "2026-11-26T10:00:00"

LISTING_REASONS = (
    "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
    "未在市场监督管理部门依照《企业信息公示暂行条例》第十条规定责令的期限内公示有关企业信息",
    "公示企业信息隐瞒真实情况、弄虚作假",
    "通过登记的住所或者经营场所无法联系",
)
REMOVAL_REASONS = {
    LISTING_REASONS[0]: "补报未报年份的年度报告并公示，申请移出",
    LISTING_REASONS[1]: "已履行公示义务，申请移出",
    LISTING_REASONS[2]: "已更正其公示的信息，申请移出",
    LISTING_REASONS[3]: "依法办理住所变更登记，申请移出",
}
TRADES = ("商贸", "建材", "餐饮", "物流", "科技", "服装", "农业开发", "广告", "装饰工程", "电子")
PLACES = ("渝中", "江北", "沙坪坝", "九龙坡", "南岸", "北碚", "渝北", "巴南")


def _authority(on: date) -> str:
    # Before the 2018 reform the list was kept by the administration for industry and commerce.
    if on < date(2018, 11, 1):
        return "重庆市工商行政管理局渝中区分局"
    return "重庆市渝中区市场监督管理局"


@dataclass(frozen=True)
class Company:
    name: str
    uscc: str
    listed: date
    reason: str
    removed: date | None


def the_list() -> list[Company]:
    """50 companies as the bureau publishes them; 38 removed between 2007 and 2024."""
    rng = random.Random(2026)
    out = []
    for i in range(50):
        name = (
            f"重庆{PLACES[i % 8]}{rng.choice('华鑫瑞祥宏盛达丰源')}{TRADES[i % 10]}有限公司{i:02d}"
        )
        reason = LISTING_REASONS[i % 4]
        if i < 38:
            removed: date | None = date(2007, 3, 1) + timedelta(days=rng.randint(0, 17 * 365 + 4))
            assert removed is not None and date(2007, 1, 1) <= removed <= date(2024, 12, 31)
            listed = removed - timedelta(days=rng.randint(90, 3 * 365))
        else:
            removed = None
            listed = date(2019, 1, 1) + timedelta(days=rng.randint(0, 7 * 365))
        out.append(Company(name, uscc(7200 + i), listed, reason, removed))
    return out


def _row(c: Company, n: int) -> dict[str, str]:
    return {
        "subject_name": c.name,
        "uscc": c.uscc,
        "basis_number": f"渝中异列〔{c.listed.year}〕{n:04d}号",
        "basis_title": "列入经营异常名录决定书",
        "basis_issuer": _authority(c.listed),
        "decision_date": c.listed.isoformat(),
        "listing_reason": c.reason,
        "removal_date": c.removed.isoformat() if c.removed else "",
        "removal_reason": REMOVAL_REASONS[c.reason] if c.removed else "",
        "removal_authority": _authority(c.removed) if c.removed else "",
    }


def write_list(path: Path, companies: list[Company]) -> Path:
    rows = [_row(c, n) for n, c in enumerate(companies, start=1)]
    # Bureaus' exports are GBK/GB18030 CSV files.
    with path.open("w", encoding="gb18030", newline="") as fh:
        w = csv.DictWriter(fh, list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _now() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.fixture
def bureau(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(s, ACTOR, BUREAU, "重庆市渝中区市场监督管理局", ["abnormal_operation_list"])
    return BUREAU


def _subject(platform: Platform, code: str) -> Subject:
    with platform.transaction() as s:
        subject = s.query(Subject).filter_by(uscc=code).one()
        s.expunge(subject)
        return subject


def test_facts3_removed_companies_of_a_real_abnormal_operation_list_are_not_shown_in_2026(
    platform: Platform, bureau: str, tmp_path: Path
) -> None:
    companies = the_list()
    assert sum(c.removed is not None for c in companies) == 38
    summary = ingest_file(
        platform,
        ACTOR,
        write_list(tmp_path / "渝中区经营异常名录.csv", companies),
        provider_uscc=bureau,
        item_code="abnormal_operation_list",
    )
    assert (summary.accepted, summary.rejected, summary.warnings) == (50, 0, [])
    with platform.transaction() as s:
        for c in companies:
            subject = s.query(Subject).filter_by(uscc=c.uscc).one()
            held = held_records(s, subject)
            public = disclose(held, InquiryMode.PUBLIC_DISCLOSURE, TODAY)
            authority = disclose(held, InquiryMode.AUTHORITY, TODAY, "market supervision")
            if c.removed is None:
                assert len(public) == 1 and len(authority) == 1, c
                continue
            # Removed: no one but the company sees it (removal is restoration, D-6) ...
            assert public == [] and authority == [], c
            # ... and its own view keeps it, labelled, with the day and the unit's reason.
            mine = own_record_out(held[0], TODAY)
            assert mine is not None and "ended" in mine.labels, c
            note = next(n for n in mine.notes if n.code == "ended")
            assert (note.day, note.detail) == (c.removed, REMOVAL_REASONS[c.reason])
            assert mine.disclosure["public_disclosure"].visible is False


def test_facts3_removed_company_sees_the_label_and_the_public_sees_nothing_on_the_portal(
    platform: Platform, bureau: str, tmp_path: Path
) -> None:
    companies = the_list()
    ingest_file(
        platform,
        ACTOR,
        write_list(tmp_path / "list.csv", companies),
        provider_uscc=bureau,
        item_code="abnormal_operation_list",
    )
    removed, listed = companies[0], companies[45]
    assert removed.removed is not None and listed.removed is None
    public = browser(platform)
    page = public.get(f"/organisations/{removed.uscc}").text
    assert removed.reason not in page and 'data-badge="anomaly"' not in page
    assert 'data-section="anomalies"><strong>0</strong>' in page  # the summary counts none
    shown = public.get(f"/organisations/{listed.uscc}").text
    assert listed.reason in shown and 'data-badge="anomaly"' in shown
    own = browser(platform)
    own.sign_in_subject(removed.name, removed.uscc, id_type="uscc")
    page = own.get("/me/records").text
    assert "已由提供单位移出或终止" in page
    assert REMOVAL_REASONS[removed.reason] in page
    assert removed.removed.isoformat() in page or f"{removed.removed:%Y年%m月%d日}" in page


def _submit(platform: Platform, rows: list[dict[str, str]]) -> IngestSummary:
    return ingest(
        platform,
        ACTOR,
        provider_uscc=BUREAU,
        item_code="abnormal_operation_list",
        rows=rows_from_json(rows),
        source=Source("test", None, None, "json"),
    )


def test_facts3_removal_sent_later_ends_public_disclosure_on_the_removal_day(
    platform: Platform, bureau: str
) -> None:
    """Listed 2024-03-01, the removal sent on 2024-05-10 for that day: shown on 2024-05-09,
    not on 2024-05-10 (what the platform disclosed each day, answered afterwards)."""
    listed = Company(
        "重庆渝中测试商贸有限公司", uscc(7299), date(2024, 3, 1), LISTING_REASONS[0], None
    )
    with clock.frozen("2024-05-01T09:00:00"):
        assert _submit(platform, [_row(listed, 1)]).accepted == 1
    removed = Company(listed.name, listed.uscc, listed.listed, listed.reason, date(2024, 5, 10))
    with clock.frozen("2024-05-10T09:00:00"):
        assert _submit(platform, [_row(removed, 1)]).updated == 1
    subject = _subject(platform, listed.uscc)
    with platform.transaction() as s:
        held = held_records(s, subject)
        for mode, purpose in (
            (InquiryMode.PUBLIC_DISCLOSURE, None),
            (InquiryMode.AUTHORITY, "market supervision"),
        ):
            assert len(disclose(held, mode, date(2024, 5, 9), purpose)) == 1, mode
            assert disclose(held, mode, date(2024, 5, 10), purpose) == [], mode
