"""The floor of a logged inquiry: pcip's own statements with none of pcip's work (bench only).

Issue 22 asks logged inquiries for half the yardstick's rate (``bench.minimal_app``: one
indexed SELECT). Whatever pcip does in Python, its logged inquiries make these statements: the
caller's session or key (and, authorized, the authorization), the subject with its records and
versions, the subject's listings (self), the log entry (Art. 22) and the commit that makes the
answer and its entry one fact. This app runs exactly those statements, compiled from pcip's
own (``pcip.kernel.driver``: the same SQL, prepared once per connection, in one transaction),
in the yardstick's frame (FastAPI, a plain ``def`` endpoint in the thread pool, one psycopg
connection per thread), and answers the rows it read with no rules, no masking and no answer
model. So, measured in the same run:

* the floor against the yardstick: what the statements alone cost on this machine;
* pcip against the floor: what pcip's own work (routing, the session, the disclosure rules, the
  answer) adds to them.

``GET /floor/public/{key}``: an organisation's public disclosure (``public_organisation``);
``GET /floor/me/records`` with ``Authorization: Bearer <session token>``: a self inquiry;
``POST /floor/inquiries/authorized`` with a third party's key and ``{"authorization_id": N}``:
an authorized inquiry.
Nothing here checks permissions or decides disclosure: it is not pcip and must never serve.

Run: BENCH_DATABASE_URL=postgresql://... uvicorn bench.floor_app:app --port 8002
"""

from __future__ import annotations

import gc
import hashlib
import os
import threading
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
import psycopg
from fastapi import FastAPI, Header, HTTPException, Response
from pydantic import BaseModel
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg
from sqlalchemy.sql.base import Executable

from pcip.auth.service import _GRANTEE_KEY
from pcip.auth.service import _SESSION as SESSION_BY_TOKEN
from pcip.disclosure.service import _BY_CODE, _BY_ID, _ROWS
from pcip.inquiry.authorizations import _GRANT
from pcip.inquiry.service import _LOG, PUBLIC_DISPLAY, PUBLIC_INQUIRER, SELF_DISPLAY
from pcip.kernel.driver import _compile
from pcip.kernel.tokens import GRANTEE_KEY, SESSION, parse_key
from pcip.lists.linked import _OWN_IDS
from pcip.records.models import CreditRecord, RecordVersion

_DIALECT = PGDialect_psycopg()  # type: ignore[no-untyped-call]


def _sql(statement: Executable) -> tuple[str, dict[str, Any]]:
    """pcip's statement as the driver runs it (``pcip.kernel.driver``): SQL and defaults."""
    compiled = _compile(statement, _DIALECT)
    return compiled.sql, compiled.defaults


SQL = {
    "token": _sql(SESSION_BY_TOKEN.statement),
    "grantee_key": _sql(_GRANTEE_KEY.statement),
    "grant": _sql(_GRANT.statement),
    "by_id": _sql(_BY_ID.statement),
    "by_code": _sql(_BY_CODE.statement),
    "listings": _sql(_OWN_IDS.statement),
    "log": _sql(_LOG.statement),
}


def _position(model: type[Any], column: str) -> int:
    """Where ``model``'s ``column`` is in a row of the subject-and-records read (its entities'
    columns in order, ``pcip.disclosure.service._ROWS``)."""
    before = 0
    for rows in _ROWS:
        if rows.model is model:
            return before + [c.key for c in rows.columns].index(column)
        before += len(rows)
    raise LookupError(model)


_RECORD_ID = _position(CreditRecord, "id")
_VERSION_NO = _position(RecordVersion, "version")


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    gc.collect()
    gc.freeze()  # as pcip serve and the yardstick do
    yield


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)
_local = threading.local()
#: Every connection opened, one per thread that served (closed by whoever embeds the app).
OPENED: list[psycopg.Connection[Any]] = []


def _conn() -> psycopg.Connection[Any]:
    conn: psycopg.Connection[Any] | None = getattr(_local, "conn", None)
    if conn is None:
        # Not autocommit: BEGIN, the statements and COMMIT, as pcip's inquiry transaction.
        conn = psycopg.connect(os.environ["BENCH_DATABASE_URL"])
        _local.conn = conn
        OPENED.append(conn)
    return conn


def _rows(cur: psycopg.Cursor[Any], name: str, params: Mapping[str, Any]) -> list[Any]:
    sql, defaults = SQL[name]
    cur.execute(sql, {**defaults, **params}, prepare=True)
    return cur.fetchall()


def _log(
    cur: psycopg.Cursor[Any],
    mode: str,
    inquirer: str,
    display: str,
    rows: list[Any],
    grant: int | None = None,
) -> tuple[int, list[list[int]]]:
    returned = [[r[_RECORD_ID], r[_VERSION_NO]] for r in rows if r[_RECORD_ID] is not None]
    values = {
        "at": datetime.now(UTC),
        "mode": mode,
        "channel": "api",
        "purpose": None,
        "inquirer": inquirer,
        "inquirer_display": display,
        "subject_id": rows[0][0],
        "authorization_id": grant,
        "as_of": None,
        "confidential_basis": None,
        "confidential_reason": None,
        "returned": orjson.dumps(returned).decode(),
        "returned_count": len(returned),
    }
    [(entry,)] = _rows(cur, "log", values)
    return int(entry), returned


def _json(content: dict[str, Any]) -> Response:
    # Written once by orjson, as pcip writes its answers (FastAPI's encoder of a returned
    # dict walks every nested value: measured, 0.4 ms a self answer here).
    return Response(orjson.dumps(content), media_type="application/json")


@app.get("/static")
def static() -> dict[str, Any]:
    return {"ok": True, "service": "floor"}


@app.get("/floor/public/{key}")
def floor_public(key: str) -> Response:
    conn = _conn()
    with conn.transaction(), conn.cursor() as cur:
        rows = _rows(cur, "by_code", {"code": key.strip().upper(), "reg_no": key.strip()})
        if not rows:
            raise HTTPException(404)
        entry, returned = _log(cur, "public_disclosure", PUBLIC_INQUIRER, PUBLIC_DISPLAY, rows)
    return _json({"inquiry_id": entry, "subject_id": rows[0][0], "records": returned})


@app.get("/floor/me/records")
def floor_self(authorization: str = Header()) -> Response:
    _, _, secret = authorization.removeprefix("Bearer ").partition(f"{SESSION}_")
    conn = _conn()
    with conn.transaction(), conn.cursor() as cur:
        digest = hashlib.sha256(secret.encode()).hexdigest()
        found = _rows(cur, "token", {"token_sha256": digest})
        if not found or found[0][4] is None:
            raise HTTPException(401)
        subject_id = found[0][4]
        rows = _rows(cur, "by_id", {"subject_id": subject_id})
        listings = _rows(cur, "listings", {"subject_id": subject_id})
        entry, returned = _log(cur, "self", f"subject:{subject_id}", SELF_DISPLAY, rows)
    return _json(
        {
            "inquiry_id": entry,
            "subject_id": subject_id,
            "records": returned,
            "listings": [r[0] for r in listings],
        }
    )


class _Authorized(BaseModel):
    authorization_id: int


@app.post("/floor/inquiries/authorized")
def floor_authorized(body: _Authorized, authorization: str = Header()) -> Response:
    parsed = parse_key(GRANTEE_KEY, authorization.removeprefix("Bearer "))
    if parsed is None:
        raise HTTPException(401)
    conn = _conn()
    with conn.transaction(), conn.cursor() as cur:
        key = _rows(cur, "grantee_key", {"key_id": parsed[0]})
        if not key or key[0][0] != hashlib.sha256(parsed[1].encode()).hexdigest():
            raise HTTPException(401)
        grant = _rows(cur, "grant", {"id": body.authorization_id})
        if not grant:
            raise HTTPException(404)
        rows = _rows(cur, "by_id", {"subject_id": grant[0][1]})
        entry, returned = _log(
            cur, "authorized", f"grantee:{key[0][3]}", key[0][4], rows, body.authorization_id
        )
    return _json({"inquiry_id": entry, "subject_id": rows[0][0], "records": returned})
