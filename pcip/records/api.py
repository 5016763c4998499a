"""Providing units' HTTP door: submit JSON batches, read the ledger, download rejected rows.

Every route here needs a providing unit's API key or a unit staff member's session
(``Authorization: Bearer <token>``) and sees only that unit's batches (Art. 20, 27).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic_core import PydanticSerializationError

from pcip.auth.api import PrincipalDep
from pcip.auth.permissions import Permission, require
from pcip.doors.api_common import (
    ERROR_RESPONSES,
    MAX_ID,
    ErrorBody,
    IdPath,
    Router,
    SessionDep,
    get_platform,
)
from pcip.doors.http_guard import UPLOAD_BODY, bad_text
from pcip.errors import ValidationError
from pcip.kernel.actors import Actor
from pcip.kernel.messages import msg
from pcip.kernel.platform import Platform
from pcip.providers.queries import provider_by_id
from pcip.records.ingest import Source, ingest, rows_from_json
from pcip.records.queries import unit_batches
from pcip.records.reports import get_batch, write_rejected

if TYPE_CHECKING:
    from pcip.providers.models import Provider
    from pcip.records.models import Batch

PlatformDep = Annotated[Platform, Depends(get_platform)]
MAX_ROWS = 10_000
MAX_BODY = UPLOAD_BODY

router = Router(
    prefix="/batches",
    tags=["ingestion"],
    responses={
        **ERROR_RESPONSES,
        401: {"model": ErrorBody, "description": "Missing, malformed or revoked API key"},
        403: {
            "model": ErrorBody,
            "description": "Not a providing unit, or not registered for the item (Art. 20)",
        },
        413: {"model": ErrorBody, "description": "Request body too large"},
    },
)


@dataclass(frozen=True)
class UnitCaller:
    """A providing unit's system (API key) or staff member (session), and the unit."""

    provider: Provider
    actor: Actor


def _unit(permission: Permission) -> Callable[..., UnitCaller]:
    def dependency(principal: PrincipalDep, platform: PlatformDep) -> UnitCaller:
        require(principal, permission)
        assert principal.provider_id is not None
        # Its own short transaction, not the request's: ingestion runs its own transactions,
        # and on SQLite an open request transaction would hold the write lock they need.
        with platform.transaction() as session:
            provider = provider_by_id(session, principal.provider_id)
            session.expunge(provider)
        return UnitCaller(provider, principal.actor)

    return dependency


Submitter = Annotated[UnitCaller, Depends(_unit(Permission.BATCH_SUBMIT))]
ProviderDep = Annotated[UnitCaller, Depends(_unit(Permission.BATCH_READ))]

Scalar = str | int | float | bool | None


class BatchIn(BaseModel):
    """A JSON batch: the item and its rows, each row an object of field code -> value."""

    item: str = Field(examples=["admin_penalty"], max_length=64)
    rows: list[dict[str, Scalar]] = Field(min_length=1, max_length=MAX_ROWS)
    source_name: str | None = Field(
        default=None, max_length=255, examples=["penalties-2026-11-26.json"]
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "item": "admin_penalty",
                    "rows": [
                        {
                            "CF_XDR_MC": "重庆某某商贸有限公司",
                            "CF_XDR_LB": "法人及非法人组织",
                            "CF_XDR_SHXYM": "91500103MA5U7AB127",
                            "CF_WSH": "渝中市监罚〔2026〕101号",
                            "CF_JDRQ": "2026-11-20",
                        }
                    ],
                }
            ]
        }
    }


class RowErrorOut(BaseModel):
    line: int
    field: str | None
    code: str
    message: str


class BatchSummary(BaseModel):
    batch_id: int | None
    status: str
    item: str
    provider: str
    accepted: int
    rejected: int
    unchanged: int
    updated: int
    warnings: list[str]
    errors: list[RowErrorOut]


class BatchOut(BaseModel):
    id: int
    item: str
    status: str
    channel: str
    received_at: datetime
    finished_at: datetime | None
    source_name: str | None
    source_sha256: str | None
    rows_total: int
    accepted: int
    updated: int
    unchanged: int
    rejected: int
    error: str | None
    warnings: list[str]


def _out(b: Batch) -> BatchOut:
    return BatchOut(
        id=b.id,
        item=b.item_code,
        status=b.status,
        channel=b.channel,
        received_at=b.received_at,
        finished_at=b.finished_at,
        source_name=b.source_name,
        source_sha256=b.source_sha256,
        rows_total=b.rows_total,
        accepted=b.accepted,
        updated=b.updated,
        unchanged=b.unchanged,
        rejected=b.rejected,
        error=b.error,
        warnings=list(b.warnings or []),
    )


@router.post(
    "",
    response_model=BatchSummary,
    status_code=201,
    summary="Submit a batch",
    max_body_size=MAX_BODY,
)
def submit(
    body: BatchIn,
    caller: Submitter,
    platform: PlatformDep,
) -> dict[str, Any]:
    """Validate and store a batch of records for the authenticated unit (Art. 16, 19-23).

    Accepted rows commit together; each rejected row is reported with its line (its position
    in ``rows``, from 1), field and reason, and kept for download. Resubmitting the same rows
    changes nothing.
    """
    for name, value in (("item", body.item), ("source_name", body.source_name or "")):
        if (reason := bad_text(value)) is not None:
            raise ValidationError(msg("console.field_text", field=name, reason=reason), field=name)
    # The ledger's "file hash" of a JSON batch: the SHA-256 of its canonical JSON.
    try:
        canonical = body.model_dump_json().encode()
    except PydanticSerializationError:  # an unpaired surrogate: its row is rejected below
        canonical = json.dumps(body.model_dump(), ensure_ascii=True).encode()
    digest = hashlib.sha256(canonical).hexdigest()
    summary = ingest(
        platform,
        caller.actor,
        provider_uscc=caller.provider.uscc,
        item_code=body.item,
        rows=rows_from_json(list(body.rows)),
        source=Source("api", body.source_name, digest, "json"),
    )
    return summary.as_json()


@router.get("", response_model=list[BatchOut], summary="The unit's batch ledger")
def list_batches(
    session: SessionDep,
    caller: ProviderDep,
    limit: Annotated[int, Field(ge=1, le=500)] = 50,
    before_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> list[BatchOut]:
    batches = unit_batches(session, caller.provider.id, limit=limit, before_id=before_id)
    return [_out(b) for b in batches]


@router.get("/{batch_id}", response_model=BatchOut, summary="One batch")
def get_one(batch_id: IdPath, session: SessionDep, caller: ProviderDep) -> BatchOut:
    return _out(get_batch(session, batch_id, caller.provider.id))


@router.get(
    "/{batch_id}/rejected",
    summary="Download the rejected rows",
    response_class=Response,
    responses={
        200: {
            "content": {"text/csv": {}, "application/x-ndjson": {}},
            "description": "The rejected rows with _line and _errors",
        }
    },
)
def rejected(
    batch_id: IdPath,
    session: SessionDep,
    caller: ProviderDep,
    format: Literal["csv", "jsonl"] = "csv",
) -> Response:
    """The rows to fix and resubmit, with their original columns, line numbers and reasons."""
    get_batch(session, batch_id, caller.provider.id)
    buf = io.StringIO()
    write_rejected(session, batch_id, buf, format)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/x-ndjson"
    data = ("\ufeff" + buf.getvalue()) if format == "csv" else buf.getvalue()  # BOM for Excel
    return Response(
        data.encode(),
        media_type=media,
        headers={
            "Content-Disposition": f'attachment; filename="batch-{batch_id}-rejected.{format}"'
        },
    )
