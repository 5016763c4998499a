"""Issue 22: statement-at-a-time sessions (``pcip.db.statement_session_factory``).

On PostgreSQL each statement commits alone until ``transaction_from_here``; from then on
everything commits or rolls back together; a write through the ORM outside a transaction is
refused. SQLite has none (its sessions always run in a transaction).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from pcip.db import LooseWrite, statement_at_a_time, transaction_from_here
from pcip.kernel.meta import PlatformMeta as Meta
from pcip.kernel.platform import Platform


def _meta_count(platform: Platform) -> int:
    with platform.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(Meta)) or 0)


def _postgres_only(platform: Platform) -> None:
    if platform.engine.dialect.name != "postgresql":
        assert platform.statement_sessions is None  # SQLite: every session is transactional
        pytest.skip("statement-at-a-time sessions are PostgreSQL's")


def _meta(key: str) -> Meta:
    return Meta(key=key, value="x")


def test_issue22_a_statement_commits_alone_without_begin(platform: Platform) -> None:
    _postgres_only(platform)
    assert platform.statement_sessions is not None
    session = platform.statement_sessions()
    try:
        assert statement_at_a_time(session)
        session.execute(text("CREATE TEMP TABLE probe (x int)"))  # commits at once
        driver = session.connection().connection.driver_connection
        assert driver is not None and driver.autocommit
        assert int(driver.info.transaction_status) == 0  # idle: no BEGIN was sent
        session.rollback()  # nothing to undo: the table stays
        session.execute(text("INSERT INTO probe VALUES (1)"))
        assert session.scalar(text("SELECT count(*) FROM probe")) == 1
    finally:
        session.close()


def test_issue22_from_transaction_from_here_writes_go_together(platform: Platform) -> None:
    _postgres_only(platform)
    assert platform.statement_sessions is not None
    before = _meta_count(platform)
    session = platform.statement_sessions()
    try:
        transaction_from_here(session)
        session.add(_meta("issue22.a"))
        session.flush()
        session.add(_meta("issue22.b"))
        session.flush()
        session.rollback()
    finally:
        session.close()
    assert _meta_count(platform) == before  # both undone

    session = platform.statement_sessions()
    try:
        transaction_from_here(session)
        transaction_from_here(session)  # a second call changes nothing
        session.add(_meta("issue22.a"))
        session.commit()
    finally:
        session.close()
    assert _meta_count(platform) == before + 1


def test_issue22_an_orm_write_outside_a_transaction_is_refused(platform: Platform) -> None:
    _postgres_only(platform)
    assert platform.statement_sessions is not None
    before = _meta_count(platform)
    session = platform.statement_sessions()
    try:
        session.add(_meta("issue22.loose"))
        with pytest.raises(LooseWrite):
            session.flush()
        session.rollback()
        with pytest.raises(LooseWrite):
            session.execute(update(Meta).where(Meta.key == "nothing").values(value="y"))
    finally:
        session.close()
    assert _meta_count(platform) == before


def test_issue22_the_platforms_own_sessions_stay_transactional(platform: Platform) -> None:
    with platform.transaction() as s:
        assert not statement_at_a_time(s)
        transaction_from_here(s)  # nothing to do: already one transaction
