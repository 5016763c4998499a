"""An organisation's public page opens with a summary (issue 19.6, Art. 22): counts per section
of the credit report, the badges a reader must see first (a list in force), and the records
newest first, each with its key fields and the rest on demand."""

from __future__ import annotations

import re

from pcip import clock
from pcip.auth.permissions import ANONYMOUS
from pcip.inquiry import service
from pcip.inquiry.schemas import Channel
from pcip.kernel.platform import Platform
from pcip.lists.models import Designation
from pcip.reports.summary import public_summary
from tests.lists.support import COMPANY, listed, staff
from tests.web.support import browser
from tests.world import World


def _count(page: str, section: str) -> int:
    found = re.search(rf'data-section="{section}"><strong>(\d+)</strong>', page)
    assert found, section
    return int(found.group(1))


def test_art22_the_page_opens_with_counts_per_section_and_newest_records_first(
    site: World,
) -> None:
    page = browser(site.platform).get(f"/organisations/{site.org_uscc}").text
    assert page.index('id="summary"') < page.index('<article class="card')
    with site.platform.transaction() as s:
        result = service.public_organisation(s, ANONYMOUS, site.org_uscc, Channel.WEB)
        assert result.subject is not None
        summary = public_summary(s, result.subject.subject_id, result.records, result.on)
    penalties = [r for r in result.records if r.item_code == "admin_penalty"]
    assert _count(page, "penalties") == len(penalties) > 0
    assert _count(page, "lists") == 0 and 'data-badge="listed"' not in page
    days = [r.basis.decision_date for r in summary.records if r.basis is not None]
    assert days == sorted(days, reverse=True)
    ids = [int(i) for i in re.findall(r'aria-labelledby="rec-(\d+)"', page)]
    assert ids == [r.record_id for r in summary.records]


def test_art32_a_listed_organisation_shows_the_badge_first(platform: Platform) -> None:
    listed(platform, staff(platform))
    with clock.frozen("2026-11-20T10:00:00"):
        page = browser(platform).get(f"/organisations/{COMPANY}").text
    assert 'data-badge="listed"' in page and "已列入严重失信主体名单" in page
    assert _count(page, "lists") == 1


def test_art32_an_anomaly_list_counts_as_an_anomaly_not_a_serious_list(
    platform: Platform,
) -> None:
    did = listed(platform, staff(platform))
    with platform.transaction() as s:  # the same listing, on the lists area's anomaly kind
        d = s.get(Designation, did)
        assert d is not None
        d.list_type = "abnormal_operation"
    with clock.frozen("2026-11-20T10:00:00"):
        page = browser(platform).get(f"/organisations/{COMPANY}").text
    assert 'data-badge="anomaly"' in page and 'data-badge="listed"' not in page
    assert _count(page, "anomalies") == 1 and _count(page, "lists") == 0
