"""Records as append-only versions (Art. 20-23): the facts, hashing, batches, history.

Submissions are written by ``pcip.records.ingest`` (every door: files, API, demo). The rules it
applies: a record is found by (unit, item, natural key); identical content is "unchanged";
different content is a new version with its reason; a record never moves to another subject.
Later workflows (objections, corrections) add versions citing their case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy.orm import Session

from pcip import clock
from pcip.kernel.keys.keyring import Keyring
from pcip.providers.models import Provider
from pcip.records.models import Batch


@dataclass(frozen=True)
class BasisFacts:
    """Art. 21: type, number, issuer, decision date, effective date."""

    doc_type: str
    number: str
    issuer: str
    decision_date: date
    effective_date: date | None = None
    issuer_uscc: str | None = None
    title: str | None = None
    designation_citation: str | None = None


@dataclass(frozen=True)
class RecordFacts:
    """The dated facts of one version that the disclosure rules derive visibility from."""

    severity: str | None = None
    conduct_end_date: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    publicity_end: date | None = None


def severity_value(word: str | None) -> str | None:
    """The stored severity code ("minor", "general", "serious") of the word a record's
    severity field holds (轻微/一般/严重; codes were read as these words on the way in)."""
    from pcip.catalog.schemas import SEVERITY_WORDS

    if not word:
        return None
    got = SEVERITY_WORDS.get(word)
    return got.value if got is not None else None


def content_hash(
    ring: Keyring, payload: dict[str, Any], basis: BasisFacts | None, facts: RecordFacts
) -> str:
    """A keyed digest of a version's full content, personal values included, before masking.

    Keyed (HMAC with the index key) because the content holds ID numbers: a plain SHA-256
    of mostly known fields plus a low-entropy ID number could be reversed by guessing.
    """
    return content_hash_and_json(ring, payload, basis, facts)[0]


def content_hash_and_json(
    ring: Keyring,
    payload: dict[str, Any],
    basis: BasisFacts | None,
    facts: RecordFacts,
    *,
    plain: bool = False,
) -> tuple[str, str]:
    """``content_hash`` and the payload's canonical JSON text (ingestion stores it as is).

    The digest is the HMAC of ``{"basis":..,"facts":..,"payload":..}`` in canonical JSON:
    sorted keys, no spaces, UTF-8 as is, anything else as ``str``. The three parts are encoded
    separately and joined (the same text ``json.dumps(doc, sort_keys=True, ...)`` gives), so
    the payload is encoded once for both the digest and storage. ``plain``: the caller knows
    every payload value is a string, an integer of at most 64 bits or None (``interpret``).

    The document is hashed as the UTF-8 bytes orjson writes, joined as bytes: decoding it
    to text and encoding it back (a copy of about a kilobyte of mostly Chinese text each
    way) was a tenth of ``interpret``'s time (docs/performance.md).
    """
    body = _canonical_bytes(payload, plain=plain)
    head = _canonical_bytes(
        {"basis": _plain(basis) if basis else None, "facts": _plain(facts)}, plain=True
    )
    doc = b"".join((head[:-1], b',"payload":', body, b"}"))  # "payload" sorts last
    return ring.blind_index_bytes("record.content", doc), body.decode()


def _canonical_bytes(value: dict[str, Any], *, plain: bool) -> bytes:
    """``canonical_json(value)`` as UTF-8 bytes."""
    if plain or all(type(v) in _PLAIN_TYPES for v in value.values()):
        try:
            return orjson.dumps(value, option=_ORJSON_SORTED)
        except (TypeError, orjson.JSONEncodeError):
            pass
    # An unpaired surrogate cannot be written as UTF-8: ``str.encode`` raises, as the
    # digest of such a payload always did (``blind_index`` encodes its text).
    return _CANONICAL.encode(value).encode()


#: The canonical JSON of ``content_hash``, as one reusable encoder (``json.dumps`` with
#: arguments builds a new one per call).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")
)
_ORJSON_SORTED = orjson.OPT_SORT_KEYS
#: The only values orjson is trusted with: for these its text is exactly ``_CANONICAL``'s
#: (a float, a Decimal or a date would be written differently, or not at all).
_PLAIN_TYPES = (str, int, type(None))


def canonical_json(value: dict[str, Any], *, plain: bool = False) -> str:
    """``_CANONICAL.encode(value)``, by orjson when every member is a string, an integer or
    null (ingested payloads always are: each field's check returns one; ``plain``: the caller
    knows it). orjson writes those the same way (sorted by code point, the same escapes;
    ``tests/records/test_canonical_json.py``) at about a tenth of the cost, which was a fifth
    of ingestion's Python time (docs/performance.md). Anything else, an integer beyond 64
    bits or a lone surrogate, goes to the standard encoder."""
    if plain or all(type(v) in _PLAIN_TYPES for v in value.values()):
        try:
            return orjson.dumps(value, option=_ORJSON_SORTED).decode()
        except (TypeError, orjson.JSONEncodeError):
            pass
    return _CANONICAL.encode(value)


def _plain(facts: BasisFacts | RecordFacts) -> dict[str, Any]:
    """The dataclass's fields with dates as text, exactly what ``default=str`` writes, without
    a Python callback per date."""
    return {k: str(v) if isinstance(v, date) else v for k, v in facts.__dict__.items()}


def open_batch(
    session: Session,
    provider: Provider,
    item_code: str,
    *,
    submitted_by: str,
    channel: str,
    source_name: str | None = None,
    source_sha256: str | None = None,
    source_format: str | None = None,
) -> Batch:
    batch = Batch(
        provider_id=provider.id,
        item_code=item_code,
        submitted_by=submitted_by,
        channel=channel,
        received_at=clock.now(),
        source_name=source_name,
        source_sha256=source_sha256,
        source_format=source_format,
        status="processing",
        rows_total=0,
        accepted=0,
        rejected=0,
        unchanged=0,
        updated=0,
    )
    session.add(batch)
    session.flush()
    return batch
