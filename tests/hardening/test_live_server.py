"""Issue 23: the real server, over a socket, as a hostile caller meets it.

``pcip serve`` runs in a subprocess on a free loopback port over a populated copy of the
SQLite template (``tests.world``: a unit, a company, two people, staff of every role, a bank,
an authorization, an alert), with the clock fixed (``PCIP_NOW``).

* A chunked request body claiming 1 GiB is refused with a 413 once the limit is passed, and
  the server's memory does not grow with it (point 2; before: 329 MB to 4.2 GB).
* schemathesis generates requests for every operation of the OpenAPI document and sends each
  anonymously and with every role's credentials: no answer may be a server error, and every
  4xx is JSON with a code and a message. Marked ``slow`` (``-m "not slow"`` skips it; CI runs
  it); ``PCIP_LIVE_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 2;
  ``make fuzz`` sends 20).
  Each distinct failure it ever found stays as a regression test below.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pcip import clock
from pcip.config import Settings
from pcip.inquiry.models import InquiryAlert
from pcip.kernel.platform import Platform
from tests.conftest import WorldTemplates
from tests.world import BANK, NOW, reopen

ROOT = Path(__file__).resolve().parents[2]
PCIP = Path(sys.executable).parent / "pcip"
#: Every caller whose credentials the fuzzer uses (anonymous is the absence of them).
ROLES = ("operator", "drc", "staff", "unit_key", "grantee", "subject_a", "subject_b", "org")


@dataclass(frozen=True)
class Live:
    url: str
    pid: int
    tokens: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout:.0f}s")


@pytest.fixture(scope="session")
def live(
    world_templates: WorldTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """One server per test process for the session: the slow tests run first and interleaved
    (tests/conftest.py), so a module-scoped server was stopped and started again (some 4 s)
    whenever a worker went from a share to another module's test and back. It serves a copy
    of this process's populated world (built once, as the in-process fuzzer's is)."""
    template, data = world_templates.get("api_world_data", "sqlite")
    home = tmp_path_factory.mktemp("live") / "home"
    shutil.copytree(template.home, home)
    settings = Settings(database_url=f"sqlite:///{home / 'db.sqlite3'}", home=home)
    platform = Platform.open(settings)
    try:
        with clock.frozen(NOW):
            world = reopen(platform, data)
            r = world.client.post(
                "/api/v1/me/authorizations",
                headers=world.auth("subject_a"),
                json={
                    "grantee_uscc": BANK,
                    "purpose": "个人消费贷款审批 (consumer loan)",
                    "channels": ["api"],
                    "categories": [6],
                    "valid_to": "2027-06-30",
                },
            )
            assert r.status_code == 201, r.text
            with platform.transaction() as s:
                s.add(
                    InquiryAlert(
                        inquirer=f"grantee:{BANK}",
                        inquirer_display="重庆示例银行股份有限公司",
                        window_start=clock.now().replace(minute=0, second=0, microsecond=0),
                        count=301,
                        threshold=300,
                        raised_at=clock.now(),
                    )
                )
            tokens = dict(world.tokens)
    finally:
        platform.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCIP_")}
    env.update(
        PCIP_DATABASE_URL=settings.database_url,
        PCIP_HOME=str(home),
        PCIP_NOW=NOW,
        # The fuzzer is one client sending thousands of requests: limits would answer 429.
        PCIP_PUBLIC_RATE_PER_MINUTE="1000000000",
        PCIP_SIGNIN_LOCK_AFTER="1000000000",
        PCIP_SIGNIN_ADDRESS_FAILURES="1000000000",
        PCIP_LOG_LEVEL="WARNING",
    )
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(PCIP), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/api/v1/health", process)
        yield Live(url, process.pid, tokens, log)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _chunked_upload(url: str, path: str, total: int) -> tuple[int, int]:
    """Send a chunked body of up to ``total`` bytes; stop when the server answers.
    Returns (status, bytes sent)."""
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
    )
    chunk = b"a" * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    sock.setblocking(False)
    answer = b""
    try:
        while sent < total:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            try:
                sock.send(frame)
                sent += len(chunk)
            except BlockingIOError:
                time.sleep(0.001)
            except (BrokenPipeError, ConnectionResetError):
                break
        sock.setblocking(True)
        sock.settimeout(10)
        while b"\r\n" not in answer:
            more = sock.recv(65536)
            if not more:
                break
            answer += more
    finally:
        sock.close()
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent


def test_issue23_p2_a_1gib_chunked_body_costs_the_live_server_no_memory(live: Live) -> None:
    """Before: one anonymous 1 GiB chunked body to the sign-in route took the server from
    329 MB to 4.2 GB."""
    before = _rss_mib(live.pid)
    status, sent = _chunked_upload(live.url, "/api/v1/auth/login", 1024**3)
    assert status == 413
    assert sent < 64 * 1024 * 1024, f"{sent:,} bytes were taken before the refusal"
    assert _rss_mib(live.pid) - before < 50
    with urllib.request.urlopen(f"{live.url}/api/v1/health", timeout=5) as r:
        assert r.status == 200


# --- schemathesis against the live server ----------------------------------------------------


#: The operations are fuzzed in this many shares, so that parallel workers share the run.
SHARES = 3


def _fuzz(live: Live, share: int = 0, shares: int = 1) -> list[str]:
    import schemathesis
    from hypothesis import HealthCheck, settings
    from hypothesis import strategies as st
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.transport.requests import ManagedCookiesSession

    from tests.test_openapi_fuzz import error_is_json_with_code_and_message

    # Every caller gets the same cases (derandomised): 2 per operation, mode and caller keep
    # make test within minutes (4 cost the suite some 45 s of a core); make fuzz sends 20.
    examples = int(os.environ.get("PCIP_LIVE_FUZZ_EXAMPLES", "2"))
    bounded = settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    checks = [not_a_server_error, error_is_json_with_code_and_message]
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    callers: list[dict[str, str]] = [{}] + [
        {"Authorization": f"Bearer {live.tokens[role]}"} for role in ROLES
    ]
    # One keep-alive session for the run instead of a new session and connection per request;
    # as with a new one, the cookies an answer sets are dropped after each request, so no case
    # inherits a session an earlier one signed in (an anonymous call stays anonymous).
    session = ManagedCookiesSession()
    failures: list[str] = []
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=lambda o: o.label)
    for operation in operations[share::shares]:
        # Logging out as a role would end the session the rest of the run relies on.
        who = [{}, callers[ROLES.index("grantee") + 1]] if "logout" in operation.path else callers
        kinds: list[tuple[str, Any]] = []
        documented = operation.get_strategies_from_examples()
        if documented:
            kinds.append(("documented examples", st.one_of(documented)))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            kinds.append((f"{mode.value} inputs", operation.as_strategy(generation_mode=mode)))
        for kind, strategy in kinds:
            run = _runner(session, who, strategy, bounded, checks)
            try:
                run()
            except Unsatisfiable:
                continue
            except Exception as exc:
                failures.append(f"{operation.label} ({kind}):\n{exc}")
    session.close()
    return failures


def _runner(
    session: Any, who: list[dict[str, str]], strategy: Any, bounded: Any, checks: list[Any]
) -> Any:
    """One bounded Hypothesis run: each generated case sent as every caller in ``who``."""
    from hypothesis import given

    @bounded
    @given(case=strategy)
    def run(case: Any) -> None:
        for headers in who:
            case.call_and_validate(session=session, headers=headers, checks=checks, timeout=30)

    return run


@pytest.mark.slow
@pytest.mark.parametrize("share", range(SHARES))
def test_issue23_live_schemathesis_with_every_role_finds_no_server_error(
    live: Live, share: int
) -> None:
    failures = _fuzz(live, share, SHARES)
    log = live.log.read_text(errors="replace")
    assert not failures, "\n\n".join(failures) + "\n\nserver log:\n" + log[-5000:]
    assert "Traceback" not in log, log[-5000:]
