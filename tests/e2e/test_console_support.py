"""Helpers of the console's browser tests (no tests here): staff sign-in through the page, and
cases put into a chosen SM-1 state in the server's database (through the real services)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from pcip import clock
from pcip.config import Settings
from pcip.kernel.platform import Platform
from pcip.records.models import CreditRecord
from pcip.subjects.models import Subject
from tests.e2e.conftest import Server, keep_session, signed_in
from tests.objections.cases import case_in
from tests.world import NOW, PASSWORD

#: The username of each staff role in ``tests.world``.
USERS = {"operator": "operator", "drc": "drc", "provider": "staff"}


def staff_sign_in(page: Any, role: str, *, through_form: bool = False) -> None:
    """Sign in at the staff sign-in page, as a member of staff would; lands on /console (once
    per role and process, or when ``through_form``; after that with the session it opened)."""
    who = ("staff", USERS[role])
    if signed_in(page, who, "/console", through_form):
        return
    page.goto("/staff/signin")
    page.locator("#username").fill(USERS[role])
    page.locator("#password").fill(PASSWORD)
    page.locator("form[action='/staff/signin'] button[type=submit]").click()
    page.wait_for_url("**/console")
    keep_session(page, who)


@contextmanager
def server_platform(server: Server) -> Iterator[Platform]:
    """The server's own database, opened from the test process (SQLite: one writer at a time,
    so the server simply waits for these short transactions)."""
    settings = Settings(database_url=f"sqlite:///{server.home / 'db.sqlite3'}", home=server.home)
    platform = Platform.open(settings)
    try:
        yield platform
    finally:
        platform.dispose()


def records_of(
    platform: Platform, *, uscc: str | None = None, name: str | None = None
) -> list[int]:
    """The admin_penalty records of the subject with this USCC (or name)."""
    with platform.transaction() as s:
        who = Subject.uscc == uscc if uscc else Subject.name == name
        subject_id = s.scalar(select(Subject.id).where(who))
        return list(
            s.scalars(
                select(CreditRecord.id)
                .where(
                    CreditRecord.subject_id == subject_id,
                    CreditRecord.item_code == "admin_penalty",
                )
                .order_by(CreditRecord.id)
            )
        )


def case(server: Server, state: str) -> int:
    """A new objection by the world's company, taken to ``state`` on the server's day."""
    with server_platform(server) as platform, clock.frozen(NOW):
        rid = records_of(platform, uscc=server.org_uscc)[0]
        with platform.transaction() as s:
            subject_id = s.scalar(select(Subject.id).where(Subject.uscc == server.org_uscc))
        assert subject_id is not None
        return case_in(platform, subject_id, [rid], state)
