"""Issue 19.8, in a real browser: a form submitted with several bad fields shows every error at
once, each next to its field (``aria-invalid``, ``aria-describedby``), and keeps the input."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import Server, shot, sign_in
from tests.e2e.test_console_support import staff_sign_in


def test_issue19_8_art39_authorization_form_shows_both_errors_at_their_fields(
    page: Any, server: Server
) -> None:
    sign_in(page, "王五", server.person_b)
    page.goto("/me/authorizations")
    page.get_by_label("用途").fill("贷款")  # too short
    page.get_by_label("系统接口").uncheck()  # no channel (checked by default)
    # and no last day: three fields wrong
    page.get_by_role("button", name="确认授权").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    for name in ("purpose", "channels", "valid_to"):
        field = page.locator(f"#{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = field.get_attribute("aria-describedby") or ""
        assert f"{name}-error" in described.split(), described
        expect(page.locator(f"#{name}-error")).to_be_visible()
    assert summary.locator("li").count() >= 3
    expect(page.get_by_label("用途")).to_have_value("贷款")  # the input is kept
    shot(page, "issue19-8-form-errors")


def test_issue19_8_art8_console_commitment_form_shows_every_blank_field_at_once(
    page: Any, server: Server
) -> None:
    """A console form sent blank (the form is ``novalidate``: the browser lets it go) comes
    back with each required field marked and its own message beside it."""
    staff_sign_in(page, "drc")
    page.goto("/console/integrity")
    page.locator("form[action='/console/integrity/register'] button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    for name in ("body_uscc", "body_name", "title", "counterparty", "reference", "made_on"):
        field = page.locator(f"#{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        described = field.get_attribute("aria-describedby") or ""
        assert f"{name}-error" in described.split(), described
        expect(page.locator(f"#{name}-error")).to_be_visible()
    shot(page, "issue19-8-console-form-errors")
