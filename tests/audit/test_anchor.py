"""Issue #23 point 1 (Art. 28): cutting, wiping, out-of-range rows and re-sealing are detected.

The chain alone cannot show rows removed from its end when the head anchor is moved along
(that needs no key), nor a chain rewritten by a holder of the audit key: the signed
checkpoints outside the database (``pcip.kernel.audit.anchor``) do, up to the latest checkpoint.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update

from pcip.config import Settings
from pcip.errors import ConfigError
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit import anchor, checkpoints
from pcip.kernel.audit.models import AuditEvent
from pcip.kernel.audit.service import HEAD_KEY, _canonical
from pcip.kernel.meta import PlatformMeta
from pcip.kernel.platform import Platform


def _append(platform: Platform, n: int) -> int:
    with platform.transaction() as s:
        for i in range(n):
            audit.record(
                s,
                Actor.system("test"),
                "test.event",
                object_type="t",
                object_id=i,
                article="Art. 28",
                details={"i": i},
            )
        return int(s.scalar(select(func.max(AuditEvent.seq))) or 0)


def _checkpoint(platform: Platform, *, force: bool = False) -> checkpoints.CheckpointResult:
    with platform.transaction() as s:
        return checkpoints.checkpoint(s, platform.settings, force=force)


def _verify(platform: Platform) -> audit.VerifyResult:
    with platform.transaction() as s:
        return audit.verify(s)


def _sql(platform: Platform, *statements: str) -> None:
    with platform.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


def _hash_of(platform: Platform, seq: int) -> str:
    with platform.transaction() as s:
        return str(s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq)))


def _move_head(platform: Platform, seq: int) -> None:
    """What a database writer can do without any key: point the anchor at another row."""
    value = f"{seq}:{_hash_of(platform, seq) if seq else '0' * 64}"
    with platform.transaction() as s:
        s.execute(update(PlatformMeta).where(PlatformMeta.key == HEAD_KEY).values(value=value))


def test_issue23_init_writes_a_checkpoint_and_an_intact_chain_agrees(platform: Platform) -> None:
    result = _verify(platform)
    assert result.ok, result.problems
    assert result.checkpoints >= 1 and result.anchored_seq == result.checked
    assert result.as_dict()["anchor"]["entries_after_latest"] == 0


def test_art28_truncated_tail_with_moved_head_is_detected(platform: Platform) -> None:
    last = _append(platform, 5)
    written = _checkpoint(platform)
    assert written.written and written.seq == last
    with platform.transaction() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq > last - 2))
    _move_head(platform, last - 2)
    result = _verify(platform)
    assert not result.ok
    assert result.first_bad_seq == last - 1
    assert f"entries {last - 1} to {last} were removed (the end was cut off)" in (
        result.problem or ""
    )
    assert f"records entry {last}" in (result.problem or "")


def test_art28_wiped_chain_and_head_are_detected(platform: Platform) -> None:
    last = _append(platform, 3)
    _checkpoint(platform)
    with platform.transaction() as s:
        s.execute(delete(AuditEvent))
        s.execute(delete(PlatformMeta).where(PlatformMeta.key == HEAD_KEY))
    result = _verify(platform)
    assert not result.ok and result.checked == 0 and result.first_bad_seq == 1
    assert any("head anchor is missing" in p for p in result.problems)
    assert any(
        f"entries 1 to {last} were removed (everything was wiped)" in p for p in result.problems
    )
    # ... and the next write does not quietly start a fresh chain over the wiped one.
    with pytest.raises(ConfigError, match="head anchor is missing"):
        _append(platform, 1)


def test_art28_wiped_chain_with_a_genesis_head_is_detected(platform: Platform) -> None:
    last = _append(platform, 2)
    _checkpoint(platform)
    with platform.transaction() as s:
        s.execute(delete(AuditEvent))
    _move_head(platform, 0)  # "0:000...": exactly what a fresh database holds
    result = _verify(platform)
    assert not result.ok
    assert result.problems == (
        f"the chain ends at entry 0 but checkpoint {result.checkpoints} "
        f"(written {result.anchored_at}) records entry {last}: entries 1 to {last} were "
        "removed (everything was wiped)",
    )


@pytest.mark.parametrize("seq", [0, -1, -1000])
def test_art28_rows_with_out_of_range_sequence_are_detected(platform: Platform, seq: int) -> None:
    """A forged row numbered 0 or less was never checked (it hid a real overdue report)."""
    last = _append(platform, 3)
    _sql(
        platform,
        "INSERT INTO audit_event (seq, at, actor, action, object_type, object_id, article, "
        f"details, prev_hash, hash) SELECT {seq}, at, actor, 'objection.report', object_type, "
        f"object_id, article, details, prev_hash, hash FROM audit_event WHERE seq = {last}",
    )
    result = _verify(platform)
    assert not result.ok
    assert result.first_bad_seq == seq
    assert f"out of range (0 or less; the lowest is {seq})" in (result.problem or "")
    with pytest.raises(anchor.AuditBroken, match="out of range"):
        _checkpoint(platform, force=True)


def test_art28_rows_beyond_the_head_are_detected(platform: Platform) -> None:
    last = _append(platform, 3)
    _move_head(platform, last - 1)  # the last row now lies beyond the anchor
    result = _verify(platform)
    assert not result.ok and result.first_bad_seq == last
    assert f"entry {last} lies beyond the head anchor (entry {last - 1})" in (result.problem or "")


def _reseal(platform: Platform, start: int) -> None:
    """A holder of the audit key rewrites entry ``start`` and re-seals everything after it."""
    ring = platform.keyring
    with platform.transaction() as s:
        events = list(
            s.scalars(select(AuditEvent).where(AuditEvent.seq >= start).order_by(AuditEvent.seq))
        )
        prev = s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == start - 1))
        events[0].details = {"forged": True}
        for e in events:
            e.prev_hash = prev
            e.hash = prev = ring.audit_mac(_canonical(e))
        s.execute(
            update(PlatformMeta)
            .where(PlatformMeta.key == HEAD_KEY)
            .values(value=f"{events[-1].seq}:{events[-1].hash}")
        )


def test_art28_chain_resealed_with_the_key_is_detected_by_an_older_checkpoint(
    platform: Platform,
) -> None:
    first = _append(platform, 3)
    _checkpoint(platform)
    last = _append(platform, 3)
    _checkpoint(platform)
    _reseal(platform, first - 1)
    result = _verify(platform)
    assert not result.ok
    # The chain is consistent by itself (re-sealed with the key): only the checkpoints tell.
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.startswith(f"entry {first} differs from checkpoint")
    assert "were rewritten and re-sealed with the audit key" in problem
    assert result.first_bad_seq is not None and result.first_bad_seq <= first - 1
    assert last > first


def test_issue23_no_checkpoint_is_signed_over_a_broken_chain(platform: Platform) -> None:
    _checkpoint(platform)
    last = _append(platform, 3)
    _sql(platform, f"UPDATE audit_event SET actor = 'operator:evil' WHERE seq = {last - 1}")
    with pytest.raises(anchor.AuditBroken, match=f"entry {last - 1} was altered"):
        _checkpoint(platform)
    lines = platform.settings.checkpoints_path.read_text().splitlines()
    assert all(json.loads(line)["seq"] < last for line in lines)


def test_issue23_checkpoint_is_written_only_when_the_head_moved(platform: Platform) -> None:
    first = _checkpoint(platform)
    assert not first.written  # init already recorded this head
    last = _append(platform, 2)
    moved = _checkpoint(platform)
    assert moved.written and moved.seq == last and moved.verified == 2
    forced = _checkpoint(platform, force=True)
    assert forced.written and forced.line == (moved.line or 0) + 1


def _settings_with_checkpoints(platform: Platform, path: Path) -> Settings:
    return platform.settings.model_copy(update={"audit_checkpoints": path})


def test_issue23_forged_removed_or_missing_checkpoint_lines_are_named(
    platform: Platform, tmp_path: Path
) -> None:
    _append(platform, 1)
    _checkpoint(platform)
    _append(platform, 1)
    _checkpoint(platform)
    path = platform.settings.checkpoints_path
    lines = path.read_bytes().splitlines(keepends=True)
    assert len(lines) >= 3

    def problems_with(content: bytes) -> list[str]:
        other = tmp_path / f"cp-{time.monotonic_ns()}.jsonl"
        other.write_bytes(content)
        with platform.transaction() as s:
            got = audit.verify(s, anchor.read_anchor(_settings_with_checkpoints(platform, other)))
        return list(got.problems)

    forged = json.loads(lines[-1])
    forged["seq"] += 1000
    assert any(
        "signature does not verify" in p
        for p in problems_with(b"".join(lines[:-1]) + json.dumps(forged).encode() + b"\n")
    )
    assert any(
        "line 2 says it is checkpoint 3" in p for p in problems_with(lines[0] + b"".join(lines[2:]))
    )
    assert any("incomplete" in p for p in problems_with(b"".join(lines)[:-1]))
    path.unlink()
    result = _verify(platform)
    assert not result.ok and "checkpoint file" in (result.problem or "")
    assert "is missing although the audit anchor key exists" in (result.problem or "")


def test_issue23_limit_removal_after_the_latest_checkpoint_is_not_detected(
    platform: Platform,
) -> None:
    """Documented limit (docs/audit.md): entries after the latest checkpoint, removed together
    with the head anchor, are not detectable; verify says how many entries that concerns."""
    anchored = _checkpoint(platform).seq
    last = _append(platform, 3)
    assert _verify(platform).as_dict()["anchor"]["entries_after_latest"] == last - anchored
    with platform.transaction() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq > anchored))
    _move_head(platform, anchored)
    assert _verify(platform).ok


def test_issue23_server_checkpoints_at_start_and_after_n_entries(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkpoints, "POLL_SECONDS", 0.05)
    before = len(platform.settings.checkpoints_path.read_text().splitlines())
    last = _append(platform, 1)
    writer = checkpoints.Checkpointer(platform, every=3)
    assert writer.start()
    try:
        lines = platform.settings.checkpoints_path.read_text().splitlines()
        assert len(lines) == before + 1 and json.loads(lines[-1])["seq"] == last  # at start
        last = _append(platform, 2)
        time.sleep(0.3)
        assert len(platform.settings.checkpoints_path.read_text().splitlines()) == before + 1
        last = _append(platform, 1)  # the third entry since the last checkpoint
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = platform.settings.checkpoints_path.read_text().splitlines()
            if len(lines) == before + 2:
                break
            time.sleep(0.05)
        assert json.loads(lines[-1])["seq"] == last
    finally:
        writer.stop()


def test_issue23_removing_the_anchor_key_and_the_checkpoints_is_named(
    platform: Platform,
) -> None:
    """The database remembers which anchor key its chain is anchored with."""
    settings = platform.settings
    for path in (settings.checkpoints_path, settings.anchor_key_path):
        path.unlink()
    settings.anchor_public_key_path.unlink()
    result = _verify(platform)
    assert not result.ok
    assert result.problems[-1].startswith("this database's chain is anchored with the anchor key")
    assert "no anchor key is configured" in result.problems[-1]
