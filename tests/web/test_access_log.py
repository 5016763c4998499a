"""The server's access log (issue 19.10): one line per request, with the route's template in
place of the path, never a query string or an identifier (Art. 27), and a favicon so that no
page costs a 404."""

from __future__ import annotations

import logging

import pytest

from pcip.kernel.platform import Platform
from tests.web.support import browser, person_a
from tests.world import World


@pytest.fixture
def access_lines(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO, logger="pcip.access")
    return caplog


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "pcip.access"]


def test_art27_the_access_log_names_routes_not_identifiers(
    site: World, access_lines: pytest.LogCaptureFixture
) -> None:
    b = person_a(site)
    access_lines.clear()
    b.client.get(f"/organisations/{site.org_uscc}")
    b.client.get(f"/?q={site.org_uscc}")
    b.client.get(f"/api/v1/public/organisations/{site.org_uscc}")
    b.client.get(f"/nothing/here/{site.person_a}")
    b.client.get("/me")
    lines = _lines(access_lines)
    assert len(lines) == 5, lines
    assert lines[0].startswith("GET /organisations/{key} 200 ")
    assert lines[1].startswith("GET / 200 ")
    assert lines[2].startswith("GET /api/v1/public/organisations/{key} 200 ")
    assert lines[3].startswith("GET (no route) 404 ")
    assert lines[4].startswith("GET /me 200 ")
    for line in lines:
        assert site.org_uscc not in line and site.person_a not in line and "?" not in line
        assert line.endswith(" ms")


def test_the_access_log_can_be_turned_off(
    platform: Platform, access_lines: pytest.LogCaptureFixture
) -> None:
    platform.settings = platform.settings.model_copy(update={"access_log": False})
    browser(platform).client.get("/")
    assert _lines(access_lines) == []


def test_issue19_10_every_page_links_a_favicon_and_favicon_ico_answers(platform: Platform) -> None:
    client = browser(platform).client
    page = client.get("/").text
    assert 'rel="icon"' in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg")
