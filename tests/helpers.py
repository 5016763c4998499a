"""Small builders shared by tests (valid synthetic identifiers, never real ones)."""

from __future__ import annotations

import asyncio
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from pcip.demo.generators import random_citizen_id, random_uscc
from pcip.identity import citizen_id_check_character


def citizen_id(seed: int = 1, *, born: date | None = None, region: str = "500103") -> str:
    """A valid citizen ID; with ``born``, a Chongqing number with that birth date."""
    if born is None:
        return random_citizen_id(
            random.Random(seed),
            birth_from=date(1960, 1, 1),
            birth_to=date(2000, 12, 31),
            region_prefix="50",
        )
    body = f"{region}{born:%Y%m%d}{seed % 1000:03d}"
    return body + citizen_id_check_character(body)


def uscc(seed: int = 1, **kwargs: str) -> str:
    return random_uscc(random.Random(seed), **kwargs)


def pg_admin(url: str, dbname: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
    """An autocommit connection to the server of ``url``: to its maintenance database (CREATE/DROP
    DATABASE), or to ``dbname``."""
    u = make_url(url)
    return psycopg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        dbname=dbname,
        autocommit=True,
    )


def run_async(coro: Any) -> Any:
    """``asyncio.run`` in a thread of its own: a browser test earlier on this worker leaves
    Playwright's event loop running in the main thread, and asyncio.run() refuses to nest."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
