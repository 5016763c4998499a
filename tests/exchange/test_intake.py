"""The JetStream intake (Art. 20), against the real server: exactly-once, dead letters,
resumption after a crash, provenance and the unit's attestation."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from pcip.exchange import intake
from pcip.exchange.bus import Names, connect
from pcip.exchange.models import Change, DeadLetter, IntakeBatch
from pcip.kernel.platform import Platform
from pcip.records.models import Batch, CreditRecord, RecordVersion
from tests.exchange.conftest import NATS_URL, run
from tests.records.builders import penalty_rows

ATTEST = {
    "statement": "本单位承诺所报送信息真实、准确、完整",
    "by": "张科长",
    "at": "2026-11-26T09:00:00+08:00",
}
#: How long a drain waits for one more message before it ends (``consume``'s default is 1 s, a
#: live consumer's). Every message a test reads is in its stream before the read starts (a
#: publish returns once JetStream has stored it), and the server hands what is there at once:
#: the wait only ends the drain, and each consume paid it in full (2-3 s of a test's 3).
IDLE = 0.4


def _count(platform: Platform, model: Any) -> int:
    with platform.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


async def _publish(names: Names, unit: str, batches: list[tuple[str, list[Any]]]) -> None:
    nc = await connect(NATS_URL)
    js = nc.jetstream()
    for batch_id, rows in batches:
        await intake.publish_batch(
            js,
            names,
            provider=unit,
            batch_id=batch_id,
            item="admin_penalty",
            rows=rows,
            attestation=ATTEST,
        )
    await nc.close()


async def _raw(names: Names, unit: str, body: bytes) -> None:
    nc = await connect(NATS_URL)
    js = nc.jetstream()
    await intake.ensure_stream(js, names.intake_stream(unit), [names.intake_subject(unit)])
    await js.publish(names.intake_subject(unit), body)
    await nc.close()


async def _consume(platform: Platform, names: Names, unit: str, **kw: Any) -> intake.IntakeStats:
    kw.setdefault("idle_seconds", IDLE)
    nc = await connect(NATS_URL)
    try:
        return await intake.consume(platform, nc.jetstream(), unit, names=names, **kw)
    finally:
        await nc.close()


def test_art20_message_delivered_twice_is_stored_once(
    platform: Platform, unit: str, names: Names
) -> None:
    rows = penalty_rows(platform, 5)
    # The sharing system sent the same batch twice (its acknowledgement was lost).
    run(_publish(names, unit, [("SJ-2026-0001", rows), ("SJ-2026-0001", rows)]))
    stats = run(_consume(platform, names, unit))
    assert (stats.stored, stats.duplicates, stats.poison) == (1, 1, 0)
    assert _count(platform, CreditRecord) == 5 and _count(platform, RecordVersion) == 5
    assert _count(platform, Batch) == 1
    with platform.transaction() as s:
        got = s.scalars(select(IntakeBatch)).one()
        batch = s.get(Batch, got.batch_id)
        assert batch is not None
        # Provenance: the sharing system's batch id names the ledger batch; channel exchange.
        assert (batch.source_name, batch.channel) == ("SJ-2026-0001", "exchange")
        assert got.attestation == ATTEST  # Art. 20: the unit's truthfulness attestation
    # Consuming again reads nothing: every message was acknowledged.
    again = run(_consume(platform, names, unit))
    assert (again.stored, again.duplicates) == (0, 0)


def test_art20_poison_message_goes_to_dead_letter_stream_with_reason(
    platform: Platform, unit: str, names: Names
) -> None:
    good = penalty_rows(platform, 2)
    no_attestation = {"batch_id": "SJ-2", "provider": unit, "item": "admin_penalty", "rows": good}
    run(_raw(names, unit, b"{not json"))
    run(_raw(names, unit, json.dumps(no_attestation).encode()))
    run(_publish(names, unit, [("SJ-3", good)]))
    stats = run(_consume(platform, names, unit))
    assert (stats.stored, stats.poison) == (1, 2)
    with platform.transaction() as s:
        dead = s.scalars(select(DeadLetter).order_by(DeadLetter.stream_seq)).all()
        assert [d.field for d in dead] == ["message", "attestation"]
        assert "not UTF-8 JSON" in dead[0].reason and "Art. 20" in dead[1].reason

    async def read_dead() -> list[Any]:
        nc = await connect(NATS_URL)
        js = nc.jetstream()
        sub = await js.pull_subscribe(f"{names.prefix}.dead.>", stream=names.dead_stream)
        # Up to 10, to see that there are only two: a fetch waits out its timeout when fewer
        # are there, and both were stored before the consumer acknowledged their messages.
        msgs = await sub.fetch(10, timeout=IDLE)
        await nc.close()
        return msgs

    msgs = run(read_dead())
    assert len(msgs) == 2
    assert msgs[1].headers["Pcip-Field"] == "attestation"
    assert "attestation is required" in msgs[1].headers["Pcip-Reason"]


def test_art20_unit_not_registered_for_item_is_dead_lettered(
    platform: Platform, unit: str, names: Names
) -> None:
    rows = penalty_rows(platform, 2)

    async def go() -> None:
        nc = await connect(NATS_URL)
        await intake.publish_batch(
            nc.jetstream(),
            names,
            provider=unit,
            batch_id="SJ-9",
            item="pledge_made",
            rows=rows,
            attestation=ATTEST,
        )
        await nc.close()

    run(go())
    stats = run(_consume(platform, names, unit))
    assert stats.poison == 1 and _count(platform, CreditRecord) == 0
    with platform.transaction() as s:
        dead = s.scalars(select(DeadLetter)).one()
        assert dead.field == "item"


def test_art20_consumer_killed_mid_batch_resumes_without_loss(
    platform: Platform, unit: str, names: Names
) -> None:
    rows = penalty_rows(platform, 12)
    batches = [(f"SJ-{i}", rows[i * 3 : i * 3 + 3]) for i in range(4)]
    run(_publish(names, unit, batches))

    async def die_mid_batch() -> None:
        # Pull 3 messages, apply one, then the process "dies": no ack, connection dropped.
        from nats.js.api import ConsumerConfig

        nc = await connect(NATS_URL)
        js = nc.jetstream()
        sub = await js.pull_subscribe(
            names.intake_subject(unit),
            durable=intake.DURABLE,
            stream=names.intake_stream(unit),
            config=ConsumerConfig(ack_wait=1.0),
        )
        msgs = await sub.fetch(3, timeout=2)
        m = msgs[0]
        intake.handle(
            platform,
            m.data,
            stream=names.intake_stream(unit),
            seq=m.metadata.sequence.stream,
            uscc=unit,
        )
        await nc.close()

    run(die_mid_batch())
    import time

    time.sleep(1.5)  # ack_wait passes: the server offers the three again
    stats = run(_consume(platform, names, unit, ack_wait=1.0))
    assert stats.stored + stats.duplicates == 4 and stats.poison == 0
    assert _count(platform, CreditRecord) == 12  # nothing lost, nothing twice
    assert _count(platform, IntakeBatch) == 4


def test_art32_national_list_arrives_through_the_lists_import(
    platform: Platform, unit: str, names: Names
) -> None:
    from pcip.lists.models import Designation, ListImport
    from tests.helpers import uscc

    rows = [
        {
            "name": "重庆某某建材有限公司",
            "uscc": uscc(4242),
            "case_ref": "（2026）渝01执123号",
            "deciding_authority": "重庆市第一中级人民法院",
            "decided_on": "2026-10-12",
        }
    ]

    async def go() -> None:
        nc = await connect(NATS_URL)
        for _ in range(2):  # delivered twice
            await intake.publish_batch(
                nc.jetstream(),
                names,
                provider=unit,
                batch_id="NL-2026-7",
                rows=rows,
                attestation=ATTEST,
                list_type="court_defaulter",
                source="全国信用信息共享平台",
            )
        await nc.close()

    run(go())
    stats = run(_consume(platform, names, unit))
    assert (stats.stored, stats.duplicates, stats.poison) == (1, 1, 0)
    with platform.transaction() as s:
        imp = s.scalars(select(ListImport)).one()
        assert imp.file_name == "全国信用信息共享平台: NL-2026-7" and imp.accepted == 1
        d = s.scalars(select(Designation)).one()
        assert d.origin == "imported" and d.deciding_authority == "重庆市第一中级人民法院"
        got = s.scalars(select(IntakeBatch)).one()
        assert got.list_import_id == imp.id and got.attestation == ATTEST
        # The listing leaves again on the feed, for the receivers of lists (Art. 25).
        from pcip.exchange import feed

        feed.collect(s)
        kinds = s.scalars(select(Change.kind).where(Change.object_type == "designation")).all()
        assert "listing.imported" in kinds


def test_art20_database_failure_hands_the_message_back_with_a_delay(
    platform: Platform, unit: str, names: Names, monkeypatch: Any
) -> None:
    """Back-pressure: when the database fails the message is not lost nor dead-lettered; it is
    handed back (nak with a delay), the consumer waits, and the next delivery stores it."""
    from sqlalchemy.exc import OperationalError

    run(_publish(names, unit, [("SJ-slow", penalty_rows(platform, 2))]))
    real, calls = intake.handle, []

    def flaky(*args: Any, **kwargs: Any) -> intake.Outcome:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("database is locked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(intake, "handle", flaky)
    monkeypatch.setattr(intake, "RETRY_DELAYS", (0.3,))
    # The consumer waits out the 0.3 s delay itself; the redelivery is due as it fetches again.
    stats = run(_consume(platform, names, unit, idle_seconds=1.0))
    assert (stats.retried, stats.stored, stats.poison) == (1, 1, 0)
    assert _count(platform, CreditRecord) == 2
