"""Issue 22 point 2: each logged inquiry sends only the statements its work needs (the caller,
the subject with its records and versions in one, the log entry), counted with SQLAlchemy's
``before_cursor_execute`` event. A count, not a time: it fails when a round trip comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import event, select

from pcip.inquiry.models import InquiryLog
from pcip.kernel.platform import Platform
from tests.inquiry.test_inquiry_authorizations import granted, inquire
from tests.world import World


@contextmanager
def statements(platform: Platform) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_c: Any, _cur: Any, stmt: str, *_a: Any) -> None:
        if stmt.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"):
            seen.append(" ".join(stmt.split()))

    event.listen(platform.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(platform.engine, "before_cursor_execute", count)


def _twice(platform: Platform, call: Callable[[], Response]) -> list[str]:
    assert call().status_code == 200  # warm the caches (catalog items, keys)
    with statements(platform) as seen:
        r = call()
        assert r.status_code == 200, r.text
    return seen


def test_issue22_a_public_inquiry_reads_once_and_writes_its_log_entry(world: World) -> None:
    url = f"/api/v1/public/organisations/{world.org_uscc}"
    seen = _twice(world.platform, lambda: world.client.get(url))
    assert len(seen) == 2, seen  # the organisation with its records; the log entry
    assert seen[0].startswith("SELECT subject.") and "credit_record" in seen[0]
    assert seen[1].startswith("INSERT INTO inquiry_log")


def test_issue22_a_self_inquiry_without_listings_needs_no_calendar(world: World) -> None:
    call = lambda: world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))  # noqa: E731
    seen = _twice(world.platform, call)
    # the session token; the subject with its records; the log entry; the listings (Art. 33)
    assert len(seen) == 4, seen
    assert not any("calendar_year" in s for s in seen)
    assert sum(s.startswith("INSERT INTO inquiry_log") for s in seen) == 1


def test_issue22_an_authorized_inquiry_reads_the_subject_and_records_once(world: World) -> None:
    grant_id = granted(world)
    seen = _twice(world.platform, lambda: inquire(world, grant_id))
    # the grantee's key; the authorization; the subject with its records; the log entry
    assert len(seen) == 4, seen
    assert sum(s.startswith("SELECT subject.") for s in seen) == 1
    assert sum(s.startswith("INSERT INTO inquiry_log") for s in seen) == 1


def test_issue22_an_anonymous_public_inquiry_needs_no_begin_or_commit_on_postgresql(
    world: World,
) -> None:
    """Issue 22 point 2: its one write, the log entry, commits itself (autocommit): the read
    and the INSERT are its only round trips, and the entry is stored when the answer comes."""
    platform = world.platform
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its transaction (BEGIN IMMEDIATE)")
    url = f"/api/v1/public/organisations/{world.org_uscc}"
    assert world.client.get(url).status_code == 200
    modes: list[bool] = []

    def autocommit(_c: Any, cursor: Any, *_a: Any) -> None:
        modes.append(bool(cursor.connection.autocommit))

    event.listen(platform.engine, "before_cursor_execute", autocommit)
    try:
        r = world.client.get(url)
    finally:
        event.remove(platform.engine, "before_cursor_execute", autocommit)
    assert r.status_code == 200 and modes == [True, True], modes
    with platform.transaction() as s:
        logged = s.scalar(select(InquiryLog).where(InquiryLog.id == r.json()["inquiry_id"]))
        assert logged is not None and logged.mode == "public_disclosure"
    # A signed-in caller may raise a volume alert with its entry: one transaction for both.
    modes.clear()
    event.listen(platform.engine, "before_cursor_execute", autocommit)
    try:
        r = world.client.get(url, headers=world.auth("subject_a"))
    finally:
        event.remove(platform.engine, "before_cursor_execute", autocommit)
    assert r.status_code == 200 and modes and not any(modes[1:]), modes


def test_issue22_a_self_inquiry_writes_only_its_log_entry_in_autocommit_on_postgresql(
    world: World,
) -> None:
    """Issue 22 point 2: a self inquiry's one write is its log entry (never a volume alert):
    the token, the subject with its records, the entry and the listings, no BEGIN or COMMIT."""
    platform = world.platform
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps its transaction (BEGIN IMMEDIATE)")

    def call() -> Response:
        return world.client.get("/api/v1/me/records", headers=world.auth("subject_a"))

    assert call().status_code == 200
    modes: list[bool] = []

    def autocommit(_c: Any, cursor: Any, *_a: Any) -> None:
        modes.append(bool(cursor.connection.autocommit))

    event.listen(platform.engine, "before_cursor_execute", autocommit)
    try:
        r = call()
    finally:
        event.remove(platform.engine, "before_cursor_execute", autocommit)
    assert r.status_code == 200 and modes == [True] * 4, modes
    with platform.transaction() as s:
        logged = s.scalar(select(InquiryLog).where(InquiryLog.id == r.json()["inquiry_id"]))
        assert logged is not None and logged.mode == "self"
