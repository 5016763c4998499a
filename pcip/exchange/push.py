"""The feed on JetStream (Art. 6, 25): each active receiver's changes are published on
``<prefix>.feed.<receiver code>`` (stream ``<PREFIX>_FEED``), one message per change, the
change's JSON as body, headers ``Pcip-Cursor`` and ``Nats-Msg-Id`` (``<code>:<cursor>:<attempt>``:
the server drops a duplicate publish of the same attempt, a retry is a new message).

A receiver acknowledges over HTTP (``POST /api/v1/exchange/feed/ack``), so that the platform
knows what arrived whichever way it was read; an unacknowledged change is published again after
its backoff (``feed.BACKOFF``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from pcip.exchange import feed
from pcip.exchange.bus import Names, ensure_stream
from pcip.exchange.models import Delivery, Receiver
from pcip.kernel.platform import Platform

#: Changes published per receiver per run.
PER_RUN = 2000


@dataclass
class Outgoing:
    receiver: str
    cursor: int
    attempt: int
    body: bytes


def plan(platform: Platform) -> list[Outgoing]:
    """Collect, then pick each receiver's retries and new changes, recorded as offered."""
    out: list[Outgoing] = []
    with platform.transaction() as s:
        feed.collect(s)
        for r in s.scalars(select(Receiver).where(Receiver.active.is_(True)).order_by(Receiver.id)):
            again = feed.due(s, r)
            feed.retry(s, r, again)
            last = s.scalar(
                select(func.max(Delivery.change_id)).where(Delivery.receiver_id == r.id)
            )
            new = feed.changes_for(s, r, after=last or r.acked_cursor, limit=PER_RUN)
            attempts: dict[int, int] = {
                cid: n
                for cid, n in s.execute(
                    select(Delivery.change_id, Delivery.attempts).where(
                        Delivery.receiver_id == r.id,
                        Delivery.change_id.in_([c.id for c in again + new]),
                    )
                )
            }
            for c in again + new:
                body = json.dumps(feed.change_json(c), ensure_ascii=False).encode("utf-8")
                out.append(Outgoing(r.code, c.id, attempts.get(c.id, 1), body))
    return out


async def push(platform: Platform, js: Any, names: Names) -> int:
    """Publish what ``plan`` picked; returns the number of messages."""
    await ensure_stream(js, names.feed_stream, [f"{names.prefix}.feed.>"])
    sent = 0
    for o in plan(platform):
        headers = {
            "Nats-Msg-Id": f"{o.receiver}:{o.cursor}:{o.attempt}",
            "Pcip-Cursor": str(o.cursor),
        }
        await js.publish(names.feed_subject(o.receiver), o.body, headers=headers)
        sent += 1
    return sent
