"""Small builders shared by tests (valid synthetic identifiers, never real ones)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import psycopg
import pytest
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
    return psycopg.connect(**pg_params(url, dbname))


def pg_params(url: str, dbname: str) -> dict[str, Any]:
    """``connect``'s arguments for an autocommit connection to ``dbname`` on ``url``'s server."""
    u = make_url(url)
    return {
        "host": u.host or "127.0.0.1",
        "port": u.port or 5432,
        "user": u.username or "postgres",
        "password": u.password,
        "dbname": dbname,
        "autocommit": True,
    }


def run_async(coro: Any) -> Any:
    """``asyncio.run`` in a thread of its own: a browser test earlier on this worker leaves
    Playwright's event loop running in the main thread, and asyncio.run() refuses to nest."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


@dataclass(frozen=True)
class Ran:
    """What a run of ``pcip.cli.main`` left: the shape of ``subprocess.CompletedProcess``."""

    returncode: int
    stdout: str
    stderr: str


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str, env: dict[str, str] | None = None) -> Ran:
    """Run the console entry point ``pcip.cli.main`` in this process, as ``pcip ARGS`` would.

    The error contract (one line on stderr, the exit code, no traceback) is ``main()``'s own,
    so it is checked here without starting an interpreter per case (each cost 1-2 s, 4-10 s
    under load). ``tests/test_cli.py`` still runs the installed console script in a
    subprocess for the cases that only a real process shows (rich's width when stderr is not
    a terminal, an unknown command)."""
    from rich.console import Console

    from pcip.cli import main
    from pcip.config import reset_settings
    from pcip.doors import terminal

    monkeypatch.delenv("PCIP_DEBUG", raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", ["pcip", *args])
    # The console script's consoles are made at import for the real terminal; a wide one
    # checks that a message is one *logical* line, as COLUMNS=1000 did for the subprocess.
    monkeypatch.setattr(terminal, "out", Console(width=1000))
    monkeypatch.setattr(terminal, "err", Console(stderr=True, width=1000))
    out, err = io.StringIO(), io.StringIO()
    reset_settings()
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        reset_settings()
    return Ran(code, out.getvalue(), err.getvalue())
