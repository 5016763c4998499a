"""The exchange on the web: the NECIPS link on organisation pages (Art. 24, D-27), the
console's receivers registry and dead letters (Art. 20, 25)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.exchange.intake import Outcome, record_dead_letter
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.platform import Platform
from tests.web.support import browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen


@pytest.fixture
def site(platform: Platform, api_world_data: WorldData) -> Iterator[World]:
    with clock.frozen(NOW):
        yield reopen(platform, api_world_data)


def _operator(site: World) -> object:
    b = browser(site.platform)
    r = b.post(
        "/staff/signin",
        {"username": "operator", "password": PASSWORD, "next": "/console"},
        form="/staff/signin",
    )
    assert r.status_code == 303, r.text
    return b


def test_art24_organisation_page_links_to_necips_without_republishing(site: World) -> None:
    page = browser(site.platform).get(f"/organisations/{site.org_uscc}").text
    assert 'href="https://www.gsxt.gov.cn/"' in page
    assert "国家企业信用信息公示系统" in page and "本平台不重复发布" in page


def test_art25_operator_registers_a_receiver_and_sees_its_key_once(site: World) -> None:
    b = _operator(site)
    r = b.post(  # type: ignore[attr-defined]
        "/console/exchange",
        {"code": "national", "name": "全国信用信息共享平台", "scopes": "records"},
        form="/console/exchange",
    )
    assert r.status_code == 200 and 'id="receiver-key"' in r.text and "pcx_" in r.text
    again = b.get("/console/exchange").text  # type: ignore[attr-defined]
    assert "全国信用信息共享平台" in again and "pcx_" not in again.split("receivers")[-1]
    bad = b.post(  # type: ignore[attr-defined]
        "/console/exchange", {"code": "X!", "name": ""}, form="/console/exchange"
    )
    assert bad.status_code == 422
    with site.platform.transaction() as s:
        assert s.scalar(select(AuditEvent.seq).where(AuditEvent.action == "exchange.receiver.add"))


def test_art20_dead_letters_are_visible_in_the_console(site: World) -> None:
    record_dead_letter(
        site.platform,
        stream="PCIP_INTAKE_X",
        seq=7,
        subject="pcip.intake.X",
        outcome=Outcome("poison", "attestation is required", "attestation"),
        data=b"{}",
    )
    page = _operator(site).get("/console/exchange/dead-letters").text  # type: ignore[attr-defined]
    assert "attestation is required" in page and "PCIP_INTAKE_X #7" in page


def test_art25_demo_registers_receivers_and_a_dead_letter(platform: Platform) -> None:
    from pcip.demo.exchange import create_demo_exchange
    from pcip.exchange import intake, receivers

    create_demo_exchange(platform)
    assert create_demo_exchange(platform) == 0  # once
    with platform.transaction() as s:
        assert [r.code for r in receivers.all_receivers(s)] == ["cq-tax", "national"]
    assert [d.field for d in intake.dead_letters(platform)] == ["attestation"]
