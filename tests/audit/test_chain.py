"""Art. 28: the audit log is append-only and hash-chained; tampering is detected and located."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update

from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.audit.models import AuditEvent
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
                details={"i": i, "名称": "测试"},
            )
        return int(s.scalar(select(func.max(AuditEvent.seq))) or 0)


def _verify(platform: Platform) -> audit.VerifyResult:
    with platform.transaction() as s:
        return audit.verify(s)


def test_art28_intact_chain_verifies(platform: Platform) -> None:
    last = _append(platform, 5)
    result = _verify(platform)
    assert result.ok and result.checked == last


def test_art28_action_and_audit_roll_back_together(platform: Platform) -> None:
    before = _append(platform, 0)
    with pytest.raises(RuntimeError), platform.transaction() as s:
        audit.record(
            s, Actor.system(), "test.event", object_type="t", object_id=1, article="Art. 28"
        )
        raise RuntimeError("the action failed after writing its audit row")
    assert _append(platform, 0) == before
    assert _verify(platform).ok


def test_art28_altered_entry_is_named(platform: Platform) -> None:
    last = _append(platform, 5)
    target = last - 2
    with platform.transaction() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == target).values(actor="operator:evil"))
    result = _verify(platform)
    assert not result.ok and result.first_bad_seq == target
    assert f"entry {target} was altered" in (result.problem or "")


def test_art28_altered_details_are_detected(platform: Platform) -> None:
    last = _append(platform, 3)
    with platform.transaction() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == last).values(details={"i": 99}))
    assert _verify(platform).first_bad_seq == last


def test_art28_removed_entry_is_named(platform: Platform) -> None:
    last = _append(platform, 5)
    with platform.transaction() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == last - 3))
    result = _verify(platform)
    assert not result.ok and result.first_bad_seq == last - 3
    assert "missing" in (result.problem or "")


def test_art28_reordered_entries_are_named(platform: Platform) -> None:
    last = _append(platform, 5)
    a, b = last - 3, last - 2
    with platform.transaction() as s:  # swap the two rows' positions in the chain
        s.execute(update(AuditEvent).where(AuditEvent.seq == a).values(seq=-1))
        s.execute(update(AuditEvent).where(AuditEvent.seq == b).values(seq=a))
        s.execute(update(AuditEvent).where(AuditEvent.seq == -1).values(seq=b))
    result = _verify(platform)
    assert not result.ok and result.first_bad_seq == a


def test_art28_truncated_tail_is_detected(platform: Platform) -> None:
    last = _append(platform, 4)
    with platform.transaction() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == last))
    result = _verify(platform)
    assert not result.ok and "head anchor" in (result.problem or "")


def test_art28_rehashing_without_the_key_is_detected(platform: Platform) -> None:
    """A forger who recomputes a plain SHA-256 cannot reseal the chain: seals are keyed."""
    import hashlib

    last = _append(platform, 2)
    with platform.transaction() as s:
        forged = hashlib.sha256(b"forged").hexdigest()
        s.execute(update(AuditEvent).where(AuditEvent.seq == last).values(hash=forged))
    assert _verify(platform).first_bad_seq == last


def test_art28_concurrent_writers_keep_one_chain(platform: Platform) -> None:
    """Writers in parallel threads still produce a dense, valid chain (serialised writes)."""
    from concurrent.futures import ThreadPoolExecutor

    start = _append(platform, 0)

    def write(i: int) -> None:
        with platform.transaction() as s:
            audit.record(
                s, Actor.system(), "test.parallel", object_type="t", object_id=i, article="Art. 28"
            )

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(write, range(20)))
    with platform.transaction() as s:
        assert s.scalar(text("SELECT COUNT(*) FROM audit_event")) == start + 20
    assert _verify(platform).ok
