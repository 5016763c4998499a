"""The change feed (Art. 6, 25): cursor, resumption, acknowledgements, retries with backoff,
withdrawals reaching every receiver of a record, derived expiries, reconciliation, and the
feed on the real JetStream server."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pcip import clock
from pcip.app import create_app
from pcip.errors import Unauthorized, ValidationError
from pcip.exchange import feed, push, receivers
from pcip.exchange.bus import Names, connect
from pcip.exchange.models import Change, Receiver
from pcip.kernel.platform import Platform
from pcip.records.models import RecordEvent, RecordVersion
from tests.client import TestClient
from tests.exchange.conftest import NATS_URL, run
from tests.records.builders import ACTOR, penalty_rows, write_csv
from tests.records.builders import run as ingest_file


def _ingest(platform: Platform, tmp_path: Path, n: int, seed: int = 1) -> None:
    """Records still in their publicity period (the generated ones may be long past it)."""
    ingest_file(platform, write_csv(tmp_path / f"p{seed}.csv", penalty_rows(platform, n, seed)))
    with platform.transaction() as s:
        for v in s.scalars(select(RecordVersion)):
            v.publicity_end = clock.today() + timedelta(days=365)


def _receiver(platform: Platform, code: str, scopes: list[str]) -> str:
    with platform.transaction() as s:
        return receivers.add(s, ACTOR, code, f"接收方 {code}", scopes)[1]


def _read(platform: Platform, code: str, after: int | None = None, limit: int = 500) -> list[Any]:
    with platform.transaction() as s:
        r = receivers.get(s, code)
        feed.collect(s)
        return [
            (c.id, c.kind, c.record_id) for c in feed.changes_for(s, r, after=after, limit=limit)
        ]


def _ack(platform: Platform, code: str, up_to: int) -> int:
    with platform.transaction() as s:
        return feed.acknowledge(s, receivers.get(s, code), up_to)


def _withdraw(platform: Platform, record_id: int) -> None:
    """What the objection workflow writes when it decides a record is withdrawn (Art. 42)."""
    with platform.transaction() as s:
        v = s.scalars(select(RecordVersion).where(RecordVersion.record_id == record_id)).first()
        assert v is not None
        s.add(
            RecordEvent(
                record_id=record_id,
                subject_id=v.subject_id,
                kind="withdrawn",
                effective_on=clock.today(),
                cause_type="objection",
                cause_id=1,
                note=None,
                recorded_at=clock.now(),
                recorded_by="test",
            )
        )


def test_art25_receiver_down_catches_up_from_its_cursor(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    _receiver(platform, "national", ["records", "lists"])
    _ingest(platform, tmp_path, 5)
    first = _read(platform, "national", limit=3)
    assert [k for _, k, _ in first] == ["record.new"] * 3
    assert _ack(platform, "national", first[-1][0]) == 3
    # The receiver goes down; more records arrive meanwhile.
    _ingest(platform, tmp_path, 4, seed=2)
    # Back, it names no cursor: it resumes after what it acknowledged, nothing lost.
    rest = _read(platform, "national")
    assert len(rest) == 2 + 4 and rest[0][0] > first[-1][0]
    # Not acknowledged: offered again from the same cursor (at-least-once).
    assert _read(platform, "national") == rest
    _ack(platform, "national", rest[-1][0])
    assert _read(platform, "national") == []


def test_art6_withdrawal_reaches_every_receiver_of_the_record(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    _receiver(platform, "national", ["records"])
    _receiver(platform, "tax", ["records"])
    _receiver(platform, "court", ["lists"])  # never got the record
    _ingest(platform, tmp_path, 2)
    got = {code: _read(platform, code) for code in ("national", "tax", "court")}
    record_id = got["national"][0][2]
    assert got["tax"] == got["national"] and got["court"] == []
    # The tax department narrows its scopes to the lists; the withdrawal still reaches it.
    with platform.transaction() as s:
        receivers.set_scopes(s, ACTOR, "tax", ["lists"])
    _withdraw(platform, record_id)
    for code in ("national", "tax"):
        assert [(k, r) for _, k, r in _read(platform, code) if k == "record.withdrawn"] == [
            ("record.withdrawn", record_id)
        ], code
    assert _read(platform, "court") == []


def test_art43_expiry_is_derived_once_when_the_period_has_passed(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    _ingest(platform, tmp_path, 3)
    with platform.transaction() as s:
        v = s.scalars(select(RecordVersion).order_by(RecordVersion.id)).first()
        assert v is not None
        v.publicity_end = clock.today() - timedelta(days=1)
        record_id = v.record_id
    with platform.transaction() as s:
        feed.collect(s)
        feed.collect(s)
        expired = s.scalars(select(Change).where(Change.kind == "record.expired")).all()
        assert [c.record_id for c in expired] == [record_id]


def test_art25_unacknowledged_change_is_retried_with_backoff(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    _receiver(platform, "national", ["records"])
    _ingest(platform, tmp_path, 1)
    _read(platform, "national")
    with platform.transaction() as s:
        r = receivers.get(s, "national")
        assert feed.due(s, r) == []  # not before the first delay
        later = clock.now() + timedelta(seconds=feed.BACKOFF[0])
        due = feed.due(s, r, later)
        assert len(due) == 1
        feed.retry(s, r, due)
    # After the second offer the delay grows.
    assert feed.backoff(2) > feed.backoff(1)
    with platform.transaction() as s:
        r = receivers.get(s, "national")
        report = feed.reconciliation(s, r, clock.today())
        assert (report.sent, report.acknowledged, report.pending) == (1, 0, 1)


def test_art25_registry_is_audited_and_checks_its_input(platform: Platform) -> None:
    with platform.transaction() as s:
        with pytest.raises(ValidationError, match="scopes") as e:
            receivers.add(s, ACTOR, "dept", "某部门", ["everything"])
        assert e.value.field == "scopes"
        _r, key = receivers.add(s, ACTOR, "dept", "某部门", ["records"])
        assert receivers.authenticate(s, key).code == "dept"
        receivers.set_active(s, ACTOR, "dept", False)
        with pytest.raises(Unauthorized):
            receivers.authenticate(s, key)
        from pcip.kernel.audit.models import AuditEvent

        actions = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "receiver")
            .order_by(AuditEvent.seq)
        )
        assert list(actions) == ["exchange.receiver.add", "exchange.receiver.disable"]


def test_art25_feed_over_http_with_cursor_and_ack(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    key = _receiver(platform, "national", ["records"])
    _ingest(platform, tmp_path, 3)
    client = TestClient(create_app(platform))
    assert client.get("/api/v1/exchange/feed").status_code == 401
    page = client.get("/api/v1/exchange/feed?limit=2", headers={"X-Receiver-Key": key}).json()
    assert [c["kind"] for c in page["changes"]] == ["record.new", "record.new"]
    nxt = client.get(
        f"/api/v1/exchange/feed?after={page['next_after']}", headers={"X-Receiver-Key": key}
    ).json()
    assert len(nxt["changes"]) == 1
    ack = client.post(
        "/api/v1/exchange/feed/ack",
        json={"up_to": nxt["next_after"]},
        headers={"X-Receiver-Key": key},
    )
    assert ack.json() == {"acknowledged": 3, "cursor": nxt["next_after"]}
    bad = client.post(
        "/api/v1/exchange/feed/ack", json={"up_to": 10**9}, headers={"X-Receiver-Key": key}
    )
    assert bad.status_code == 422 and bad.json()["field"] == "up_to"
    rec = client.get("/api/v1/exchange/feed/reconciliation", headers={"X-Receiver-Key": key})
    assert rec.json()["acknowledged"] == 3 and rec.json()["pending"] == 0


def test_art25_feed_published_on_jetstream_reaches_a_receiver_that_was_down(
    platform: Platform, unit: str, tmp_path: Path, names: Names
) -> None:
    _receiver(platform, "national", ["records"])
    _ingest(platform, tmp_path, 3)

    async def publish_then_read() -> list[Any]:
        nc = await connect(NATS_URL)
        js = nc.jetstream()
        assert await push.push(platform, js, names) == 3
        assert await push.push(platform, js, names) == 0  # nothing new, nothing due
        # The receiver was down while the platform published: its durable consumer reads
        # everything from the stream when it comes back.
        sub = await js.pull_subscribe(
            names.feed_subject("national"), durable="national", stream=names.feed_stream
        )
        msgs = await sub.fetch(10, timeout=2)
        for m in msgs:
            await m.ack()
        await nc.close()
        return msgs

    msgs = run(publish_then_read())
    bodies = [json.loads(m.data) for m in msgs]
    assert [b["kind"] for b in bodies] == ["record.new"] * 3
    assert [int(m.headers["Pcip-Cursor"]) for m in msgs] == [b["cursor"] for b in bodies]
    with platform.transaction() as s:
        r = s.scalar(select(Receiver).where(Receiver.code == "national"))
        assert r is not None
        assert feed.reconciliation(s, r, date(2026, 11, 26)).sent == 3


def test_art25_one_collect_reads_every_source_row_in_steps(
    platform: Platform, unit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feed, "_STEP", 2)
    _ingest(platform, tmp_path, 5)
    with platform.transaction() as s:
        assert feed.collect(s) == 5
        assert feed.collect(s) == 0  # nothing twice
