"""Issue 22 point 2: each logged inquiry sends only the statements its work needs (the caller,
the subject with its records and versions in one, the log entry), counted with SQLAlchemy's
``before_cursor_execute`` event. A count, not a time: it fails when a round trip comes back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from httpx import Response
from sqlalchemy import event

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
