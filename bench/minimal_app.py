"""The yardstick for the HTTP benchmark: the least an endpoint can do (bench only, not pcip).

``GET /static`` answers constant JSON; ``GET /lookup?uscc=...`` does one indexed SELECT on the
subject table through psycopg and answers the row as JSON. Same framework, server and database
as pcip (FastAPI, one uvicorn worker, a plain ``def`` endpoint run in the thread pool, one
connection per thread), so ``pcip endpoint / lookup`` is the price of pcip's own work. Like
``pcip serve`` (``pcip.app.settle_heap``), it freezes its start-up objects once started, so
neither side's figures include full collections of objects that live as long as the process.

Run: BENCH_DATABASE_URL=postgresql://... uvicorn bench.minimal_app:app --port 8001
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from fastapi import FastAPI


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    gc.collect()
    gc.freeze()  # as pcip serve does
    yield


app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, lifespan=_lifespan)
_local = threading.local()
_SQL = "SELECT id, kind, name, uscc FROM subject WHERE uscc = %s"


def _conn() -> psycopg.Connection[Any]:
    conn: psycopg.Connection[Any] | None = getattr(_local, "conn", None)
    if conn is None:
        conn = psycopg.connect(os.environ["BENCH_DATABASE_URL"], autocommit=True)
        _local.conn = conn
    return conn


@app.get("/static")
def static() -> dict[str, Any]:
    return {"ok": True, "service": "minimal"}


@app.get("/lookup")
def lookup(uscc: str) -> dict[str, Any]:
    row = _conn().execute(_SQL, (uscc,)).fetchone()
    if row is None:
        return {"found": False}
    return {"found": True, "id": row[0], "kind": row[1], "name": row[2], "uscc": row[3]}
