"""The intake from the municipal data-sharing system over NATS JetStream (Art. 20).

A providing unit's system publishes each batch as one message on its own stream
(``pcip.exchange.bus``). The platform reads every unit's stream with a durable pull consumer
and hands each message to the same ingestion pipeline as a file (``pcip.records.ingest``: the
same row validation, the same idempotency of records), so:

* **at-least-once becomes exactly-once.** JetStream redelivers a message that was not
  acknowledged (the consumer died mid-batch, the acknowledgement was lost). The sharing
  system's batch id is unique per unit (``exchange_intake``): a batch already ingested is
  acknowledged without touching anything. Should the process die after the rows were committed
  and before the intake row was, the second ingestion finds every record unchanged (the
  pipeline's content hash) and stores nothing twice.
* **provenance.** The sharing system's batch id names the ledger batch (``batch.source_name``)
  and the intake row links the two; ``channel`` is ``exchange``.
* **Art. 20 truthfulness.** Each batch carries the unit's attestation (who, when, the
  statement); a batch without one is refused, and the attestation is kept with the batch.
* **poison messages** (not JSON, a missing or wrong field, a unit or item the platform refuses)
  go to the dead-letter stream with the reason in a header, are recorded in
  ``exchange_dead_letter`` (the console's dead-letter page) and are terminated, never retried.
* **back-pressure.** The consumer pulls ``fetch`` messages at a time and applies them one by
  one; the server never has more than ``max_ack_pending`` unacknowledged messages out. A
  database that fails (or is too slow for ``ack_wait``) gets the message back later with a
  growing delay (``nak(delay)``), and the loop waits that long before pulling again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from pcip import clock
from pcip.errors import PcipError
from pcip.exchange.bus import DURABLE, Names, ensure_stream
from pcip.exchange.models import DeadLetter, IntakeBatch
from pcip.kernel import audit
from pcip.kernel.actors import Actor
from pcip.kernel.enums import ActorKind
from pcip.kernel.platform import Platform
from pcip.records.ingest import Source, ingest, rows_from_json

log = logging.getLogger(__name__)

#: Rows one message may carry; a larger batch is split by the sharing system.
MAX_ROWS = 50_000
#: Unacknowledged messages the server lets the consumer hold (back-pressure).
MAX_ACK_PENDING = 64
#: Seconds before an unacknowledged message is delivered again.
ACK_WAIT = 60.0
#: Delays (seconds) before a message whose database work failed is offered again.
RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0)
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class Poison(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field


@dataclass(frozen=True)
class Message:
    """A sharing-system batch (docs/exchange.md, "Intake message")."""

    batch_id: str
    provider: str
    #: A catalog item (records), or else a list type (a list published nationally).
    item: str
    attestation: dict[str, str]
    rows: list[Any]
    list_type: str | None = None
    source: str | None = None


@dataclass
class Outcome:
    kind: str  # stored, duplicate, poison
    reason: str = ""
    field: str | None = None
    batch_id: int | None = None


@dataclass
class IntakeStats:
    stored: int = 0
    duplicates: int = 0
    poison: int = 0
    retried: int = 0
    rows: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def parse(data: bytes, stream_uscc: str) -> Message:
    """Check a message's form; every refusal names the field."""
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Poison(f"the message is not UTF-8 JSON: {exc}", "message") from None
    if not isinstance(body, dict):
        raise Poison("the message is not a JSON object", "message")
    if ("item" in body) == ("list_type" in body):
        raise Poison("exactly one of item (records) or list_type (a list) is required", "item")
    kind = "item" if "item" in body else "list_type"
    for name in ("batch_id", "provider", kind):
        if not isinstance(body.get(name), str) or not body[name]:
            raise Poison(f"{name} is required (a string)", name)
    source = body.get("source")
    if kind == "list_type" and (not isinstance(source, str) or not source.strip()):
        raise Poison("source is required for a list (who published it)", "source")
    if not _BATCH_ID.match(body["batch_id"]):
        raise Poison("batch_id must be 1-128 letters, digits or . _ : -", "batch_id")
    if not _USCC.match(body["provider"]):
        raise Poison(f"provider '{body['provider'][:40]}' is not a USCC", "provider")
    if body["provider"] != stream_uscc:
        raise Poison(
            f"provider {body['provider']} does not own this stream ({stream_uscc})", "provider"
        )
    att = body.get("attestation")
    if not isinstance(att, dict):
        raise Poison(
            "attestation is required (Art. 20: the unit vouches for the data)", "attestation"
        )
    for name in ("statement", "by", "at"):
        if not isinstance(att.get(name), str) or not att[name].strip():
            raise Poison(f"attestation.{name} is required", f"attestation.{name}")
    try:
        datetime.fromisoformat(att["at"])
    except ValueError:
        raise Poison("attestation.at is not an ISO 8601 time", "attestation.at") from None
    rows = body.get("rows")
    if not isinstance(rows, list) or not rows:
        raise Poison("rows must be a non-empty array", "rows")
    if len(rows) > MAX_ROWS:
        raise Poison(f"a message carries at most {MAX_ROWS} rows", "rows")
    attestation = {k: str(att[k])[:500] for k in ("statement", "by", "at")}
    if kind == "list_type":
        return Message(
            body["batch_id"],
            body["provider"],
            "",
            attestation,
            rows,
            body["list_type"],
            str(source)[:200],
        )
    return Message(body["batch_id"], body["provider"], body["item"], attestation, rows)


def handle(platform: Platform, data: bytes, *, stream: str, seq: int, uscc: str) -> Outcome:
    """Apply one message: stored, duplicate (already ingested) or poison (with the reason).

    Raises on a database failure, for the caller to retry later."""
    digest = hashlib.sha256(data).hexdigest()
    try:
        msg = parse(data, uscc)
    except Poison as exc:
        return Outcome("poison", exc.message, exc.field)
    with platform.transaction() as s:
        earlier = s.scalar(
            select(IntakeBatch).where(
                IntakeBatch.provider_uscc == msg.provider,
                IntakeBatch.sharing_batch_id == msg.batch_id,
            )
        )
        if earlier is not None:
            if earlier.payload_sha256 != digest:
                return Outcome(
                    "poison",
                    f"batch_id {msg.batch_id} was already received with other content "
                    f"(ledger batch {earlier.batch_id})",
                    "batch_id",
                )
            return Outcome("duplicate", batch_id=earlier.batch_id)
    actor = Actor(ActorKind.PROVIDER, msg.provider, "data-sharing system")
    if msg.list_type is not None:
        return _list(platform, actor, msg, stream=stream, seq=seq, digest=digest)
    try:
        summary = ingest(
            platform,
            actor,
            provider_uscc=msg.provider,
            item_code=msg.item,
            rows=rows_from_json(msg.rows),
            source=Source("exchange", msg.batch_id, digest, "json", len(data)),
        )
    except PcipError as exc:  # refused, quarantined, failed: ledgered by the pipeline
        return Outcome("poison", exc.message, exc.field or "item")
    try:
        with platform.transaction() as s:
            s.add(
                IntakeBatch(
                    provider_uscc=msg.provider,
                    sharing_batch_id=msg.batch_id,
                    item_code=msg.item,
                    stream=stream,
                    stream_seq=seq,
                    batch_id=summary.batch_id,
                    rows=summary.rows,
                    payload_sha256=digest,
                    attestation=msg.attestation,
                    received_at=clock.now(),
                )
            )
            audit.record(
                s,
                actor,
                "exchange.intake",
                object_type="batch",
                object_id=summary.batch_id or 0,
                article="Art. 20",
                details={
                    "sharing_batch_id": msg.batch_id,
                    "stream": stream,
                    "seq": seq,
                    "attestation": msg.attestation,
                    "rows": summary.rows,
                    "accepted": summary.accepted,
                    "rejected": summary.rejected,
                },
            )
    except IntegrityError:  # another consumer recorded it first: same rows, stored once
        return Outcome("duplicate", batch_id=summary.batch_id)
    return Outcome("stored", batch_id=summary.batch_id)


def _list(
    platform: Platform, actor: Actor, msg: Message, *, stream: str, seq: int, digest: str
) -> Outcome:
    """A list published nationally: through the lists' own import (its row checks, its
    idempotency by content hash), as a JSONL file named after the sharing batch."""
    from pcip.auth.permissions import Principal
    from pcip.lists.imports import import_file
    from pcip.providers.service import get_provider

    assert msg.list_type is not None
    with tempfile.TemporaryDirectory(prefix="pcip-intake-") as tmp:
        path = Path(tmp) / f"{msg.batch_id}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for row in msg.rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        try:
            with platform.transaction() as s:
                unit = get_provider(s, msg.provider)
                principal = Principal(
                    ActorKind.PROVIDER, actor, via="exchange", provider_id=unit.id
                )
                summary = import_file(
                    s,
                    platform.keyring,
                    principal,
                    msg.list_type,
                    path,
                    file_name=f"{msg.source}: {msg.batch_id}",
                    declared_format="jsonl",
                )
                s.add(
                    IntakeBatch(
                        provider_uscc=msg.provider,
                        sharing_batch_id=msg.batch_id,
                        item_code=msg.list_type,
                        stream=stream,
                        stream_seq=seq,
                        batch_id=None,
                        list_import_id=summary.import_id,
                        rows=len(msg.rows),
                        payload_sha256=digest,
                        attestation=msg.attestation,
                        received_at=clock.now(),
                    )
                )
                audit.record(
                    s,
                    actor,
                    "exchange.intake",
                    object_type="list_import",
                    object_id=summary.import_id or 0,
                    article="Art. 20, 32",
                    details={
                        "sharing_batch_id": msg.batch_id,
                        "source": msg.source,
                        "stream": stream,
                        "seq": seq,
                        "attestation": msg.attestation,
                        "accepted": summary.accepted,
                        "rejected": summary.rejected,
                    },
                )
        except PcipError as exc:
            return Outcome("poison", exc.message, exc.field or "list_type")
        except IntegrityError:
            return Outcome("duplicate")
    return Outcome("stored")


def record_dead_letter(
    platform: Platform, *, stream: str, seq: int, subject: str, outcome: Outcome, data: bytes
) -> None:
    try:
        with platform.transaction() as s:
            s.add(
                DeadLetter(
                    stream=stream,
                    stream_seq=seq,
                    subject=subject[:255],
                    reason=outcome.reason,
                    field=(outcome.field or "")[:64] or None,
                    payload=data[:65536].decode("utf-8", "replace").replace("\x00", "\\x00"),
                    received_at=clock.now(),
                )
            )
            audit.record(
                s,
                Actor.system("exchange"),
                "exchange.dead_letter",
                object_type="dead_letter",
                object_id=f"{stream}:{seq}",
                article="Art. 20",
                details={"stream": stream, "seq": seq, "reason": outcome.reason[:500]},
            )
    except IntegrityError:
        pass  # recorded when it was first delivered


async def consume(
    platform: Platform,
    js: Any,
    uscc: str,
    *,
    names: Names,
    fetch: int = 16,
    idle_seconds: float = 1.0,
    max_messages: int | None = None,
    stop: asyncio.Event | None = None,
    ack_wait: float = ACK_WAIT,
) -> IntakeStats:
    """Read one unit's stream with the durable consumer until it is idle (or ``stop``)."""
    from nats.errors import TimeoutError as NatsTimeout
    from nats.js.api import AckPolicy, ConsumerConfig

    stream = names.intake_stream(uscc)
    await ensure_stream(js, stream, [names.intake_subject(uscc)])
    await ensure_stream(js, names.dead_stream, [f"{names.prefix}.dead.>"])
    sub = await js.pull_subscribe(
        names.intake_subject(uscc),
        durable=DURABLE,
        stream=stream,
        config=ConsumerConfig(
            ack_policy=AckPolicy.EXPLICIT,
            max_ack_pending=MAX_ACK_PENDING,
            ack_wait=ack_wait,
        ),
    )
    stats = IntakeStats()
    failures = 0
    try:
        while stop is None or not stop.is_set():
            want = fetch if max_messages is None else min(fetch, max_messages - _done(stats))
            if want <= 0:
                break
            try:
                msgs = await sub.fetch(want, timeout=idle_seconds)
            except (NatsTimeout, TimeoutError):
                break
            for m in msgs:
                seq = m.metadata.sequence.stream
                try:
                    outcome = await asyncio.to_thread(
                        handle, platform, m.data, stream=stream, seq=seq, uscc=uscc
                    )
                except (OperationalError, OSError) as exc:  # the database: back off
                    delay = RETRY_DELAYS[min(failures, len(RETRY_DELAYS) - 1)]
                    failures += 1
                    stats.retried += 1
                    log.warning("intake %s seq %s: %s; retry in %ss", stream, seq, exc, delay)
                    await m.nak(delay=delay)
                    await asyncio.sleep(delay)
                    continue
                failures = 0
                stats.outcomes.append(outcome)
                if outcome.kind == "poison":
                    headers = {
                        "Nats-Msg-Id": f"{stream}:{seq}",
                        "Pcip-Reason": outcome.reason[:1000].replace("\n", " "),
                        "Pcip-Field": outcome.field or "",
                        "Pcip-Stream": stream,
                        "Pcip-Seq": str(seq),
                    }
                    await js.publish(names.dead_subject(uscc), m.data, headers=headers)
                    await asyncio.to_thread(
                        record_dead_letter,
                        platform,
                        stream=stream,
                        seq=seq,
                        subject=m.subject,
                        outcome=outcome,
                        data=m.data,
                    )
                    await m.term()
                    stats.poison += 1
                    continue
                await m.ack_sync()
                if outcome.kind == "stored":
                    stats.stored += 1
                else:
                    stats.duplicates += 1
    finally:
        await sub.unsubscribe()
    return stats


def _done(stats: IntakeStats) -> int:
    return stats.stored + stats.duplicates + stats.poison


async def publish_batch(
    js: Any,
    names: Names,
    *,
    provider: str,
    batch_id: str,
    rows: list[dict[str, Any]],
    attestation: dict[str, str],
    item: str | None = None,
    list_type: str | None = None,
    source: str | None = None,
) -> int:
    """What a sharing system does (tests, the bench, the demo): one batch, one message.
    Returns the stream sequence."""
    await ensure_stream(js, names.intake_stream(provider), [names.intake_subject(provider)])
    body: dict[str, Any] = {"batch_id": batch_id, "provider": provider}
    if item is not None:
        body["item"] = item
    if list_type is not None:
        body["list_type"], body["source"] = list_type, source
    body["attestation"], body["rows"] = attestation, rows
    ack = await js.publish(
        names.intake_subject(provider), json.dumps(body, ensure_ascii=False).encode("utf-8")
    )
    return int(ack.seq)


def dead_letters(platform: Platform, limit: int = 200) -> list[DeadLetter]:
    with platform.transaction() as s:
        rows = list(s.scalars(select(DeadLetter).order_by(DeadLetter.id.desc()).limit(limit)))
        for r in rows:
            s.expunge(r)
        return rows
