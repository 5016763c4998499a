"""The API as documented: every operation is described in the OpenAPI schema and its request
bodies carry examples; errors are JSON with a stable ``code`` and a ``message``; and a
schemathesis run against the schema finds no server error.

The fuzzer runs against one populated world (``tests.world``) on SQLite, built once for the
module. Every operation is called anonymously and with a valid credential of a caller it is
meant for, so generated inputs reach the handlers, not only the 401 in front of them.

schemathesis' own pytest integration (``schemathesis.pytest.from_fixture``) does not run under
pytest 9.2 (it sets ``Function._nodeid``, which pytest no longer has), so the operations are
driven directly: one bounded Hypothesis run per operation and generation mode, with
schemathesis' strategies and checks, every failure collected into one report.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import routing
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi

from pcip import clock
from pcip.config import Settings, reset_settings
from pcip.inquiry.models import InquiryAlert
from pcip.kernel.platform import Platform
from tests.client import TestClient
from tests.conftest import TEST_HASH_COST, WorldTemplates
from tests.world import BANK, NOW, World, reopen

#: Who may call an operation, by path prefix (the first match wins); anything else is public
#: and is called again by a signed-in subject.
ROLE_BY_PREFIX = (
    ("/api/v1/inquiries/authority", "staff"),
    ("/api/v1/inquiries/authorized", "grantee"),
    ("/api/v1/grantee/", "grantee"),
    ("/api/v1/me/", "subject_a"),
    ("/api/v1/batches", "unit_key"),
    ("/api/v1/alerts", "operator"),
    ("/api/v1/restorations", "staff"),
    ("/api/v1/pledges", "staff"),
    # An API key: logging out is then a no-op, and no session the run relies on is ended.
    ("/api/v1/auth/logout", "grantee"),
)
DEFAULT_ROLE = "subject_b"

#: The id columns hold 64-bit integers (BIGINT; INTEGER on SQLite).
MAX_ID = 2**63 - 1


def role_for(path: str) -> str:
    return next((role for prefix, role in ROLE_BY_PREFIX if path.startswith(prefix)), DEFAULT_ROLE)


@contextmanager
def open_world(world_templates: WorldTemplates, home: Path) -> Iterator[World]:
    """A populated platform in ``home``: a copy of the SQLite template of the ``tests.world``
    world, as the ``settings`` fixture makes one per test, with an authorization and an alert
    for the id-taking operations to find."""
    template, data = world_templates.get("api_world_data", "sqlite")
    shutil.copytree(template.home, home)
    # The public rate limit (Art. 28) would answer most generated public calls with a 429.
    config = Settings(
        database_url=f"sqlite:///{home / 'db.sqlite3'}",
        home=home,
        public_rate_per_minute=10**9,
        password_hash_cost=TEST_HASH_COST,
    )
    # The process environment is this world's while it is set up only: the tests that use it
    # run under their own (the autouse ``_isolated_env``), and a world kept for the session
    # must not leave its PCIP_HOME to the fixtures of other modules.
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("PCIP_") and key != "PCIP_TEST_DATABASE_URL":
                mp.delenv(key)
        mp.setenv("PCIP_HOME", str(home))
        reset_settings()
        platform = Platform.open(config)
        try:
            with clock.frozen(NOW):
                w = reopen(platform, data)
                r = w.client.post(
                    "/api/v1/me/authorizations",
                    headers=w.auth("subject_a"),
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
        except BaseException:
            platform.dispose()
            raise
        finally:
            reset_settings()
    try:
        yield w
    finally:
        platform.dispose()
        reset_settings()


@pytest.fixture(scope="module")
def world(
    world_templates: WorldTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world of the module's other tests (the id and documentation checks)."""
    with open_world(world_templates, tmp_path_factory.mktemp("fuzz") / "pcip-home") as w:
        yield w


@pytest.fixture(scope="module")
def api_schema(world: World) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", world.client.app)


# --- the fuzz run ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fuzz_world(
    world_templates: WorldTemplates, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world the fuzz shares run against, one per test process for the session: the slow
    tests run first and interleaved (tests/conftest.py), so a module-scoped world was torn
    down and built again whenever a worker went from a share to another module's test and
    back. A share finds what the shares before it in the process left, as it did in one
    module run."""
    with open_world(world_templates, tmp_path_factory.mktemp("fuzz") / "pcip-home") as w:
        yield w


@pytest.fixture(scope="session")
def fuzz_schema(fuzz_world: World) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_world.client.app)


class FreshCookiesClient(asgi.ASGIClient):
    """schemathesis' in-process client, kept for the module instead of the one its transport
    builds (a ``requests`` session, adapter and pool manager) for every call: cookies an answer
    sets are dropped after the call, as a new client would have none, so an anonymous call
    never carries a session an earlier case signed in; and nothing is read from the
    environment (proxies, netrc: no ``requests`` setting applies to an in-process app, and a
    netrc entry would add credentials to the anonymous calls)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.trust_env = False

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().request(method, url, *args, **kwargs)
        finally:
            self.cookies.clear()


@pytest.fixture(scope="session")
def fuzz_client(fuzz_world: World) -> Iterator[FreshCookiesClient]:
    client = FreshCookiesClient(fuzz_world.client.app)
    with client:
        yield client


def error_is_json_with_code_and_message(ctx: Any, response: Any, case: Any) -> None:
    """Every 4xx answer is a JSON object with a string ``code`` and ``message``."""
    if not 400 <= response.status_code < 500:
        return
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(
            f"{response.status_code} is not JSON: {response.text[:200]!r}"
        ) from None
    assert isinstance(body, dict), f"{response.status_code} body is not an object: {body!r}"
    for key in ("code", "message"):
        assert isinstance(body.get(key), str), f"{response.status_code} has no string {key}: {body}"


CHECKS = [not_a_server_error, error_is_json_with_code_and_message]
#: Generated cases per operation and generation mode. The run is derandomised, so every run
#: sends the same cases. 25 made this fuzzer the longest test of the suite (issue 15); at 10
#: it was still a fifth of the test processes' CPU (92 of 461 s), so ``make test`` sends 5
#: (anonymously and as the operation's caller; the live fuzzer sends every role's), and
#: ``make fuzz`` sends 100 (PCIP_FUZZ_EXAMPLES).
EXAMPLES = int(os.environ.get("PCIP_FUZZ_EXAMPLES", "5"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def strategies(operation: Any) -> Iterator[tuple[str, Any]]:
    """The schema's own examples (sent as documented), then valid and invalid inputs."""
    documented = operation.get_strategies_from_examples()
    if documented:
        yield "documented examples", st.one_of(documented)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        yield f"{mode.value} inputs", operation.as_strategy(generation_mode=mode)


def fuzz(
    world: World, client: FreshCookiesClient, operation: Any, kind: str, strategy: Any
) -> str | None:
    """One operation's generated cases, anonymously and as its caller: the failure, or None."""
    headers = world.auth(role_for(operation.path))

    @BOUNDED
    @given(case=strategy)
    def run(case: Any) -> None:
        with clock.frozen(NOW):
            case.call_and_validate(session=client, checks=CHECKS)
            case.call_and_validate(session=client, headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        if kind != "negative inputs":
            return f"{operation.label}: no {kind} could be generated"
        return None  # nothing to get wrong: the operation takes no input
    except Exception as exc:
        return f"{operation.label} ({kind}):\n{exc}"
    return None


#: The operations are fuzzed in this many shares, so that parallel workers share the run.
SHARES = 4


@pytest.mark.slow
@pytest.mark.parametrize("share", range(SHARES))
def test_openapi_fuzz_finds_no_server_error_and_every_error_is_json(
    fuzz_world: World, fuzz_schema: Any, fuzz_client: FreshCookiesClient, share: int
) -> None:
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) > 20, "the OpenAPI document lists (almost) no operations"
    mine = sorted(operations, key=lambda o: o.label)[share::SHARES]
    failures = [
        failure
        for operation in mine
        for kind, strategy in strategies(operation)
        if (failure := fuzz(fuzz_world, fuzz_client, operation, kind, strategy)) is not None
    ]
    assert not failures, "\n\n".join(failures)


# --- ids beyond the 64-bit id columns (once a 500 the fuzzer found) ---------------------------

OUT_OF_RANGE = MAX_ID + 1


@pytest.mark.parametrize(
    ("role", "method", "url", "body"),
    [
        ("unit_key", "GET", f"/api/v1/batches/{OUT_OF_RANGE}", None),
        ("unit_key", "GET", f"/api/v1/batches/{OUT_OF_RANGE}/rejected", None),
        ("unit_key", "GET", f"/api/v1/batches?before_id={OUT_OF_RANGE}", None),
        ("grantee", "POST", "/api/v1/inquiries/authorized", {"authorization_id": OUT_OF_RANGE}),
        ("subject_a", "DELETE", f"/api/v1/me/authorizations/{OUT_OF_RANGE}", None),
        ("operator", "POST", f"/api/v1/alerts/{OUT_OF_RANGE}/acknowledge", None),
    ],
    ids=["batch", "batch-rejected", "batch-ledger", "authorized", "revoke", "acknowledge"],
)
def test_an_id_beyond_the_column_range_is_an_error_not_a_crash(
    world: World, role: str, method: str, url: str, body: dict[str, Any] | None
) -> None:
    client = TestClient(world.client.app, raise_server_exceptions=False)
    with clock.frozen(NOW):
        r = client.request(method, url, headers=world.auth(role), json=body)
    assert r.status_code in (404, 422), f"{r.status_code} {r.headers['content-type']}: {r.text}"
    assert {"code", "message"} <= set(r.json())


# --- documentation --------------------------------------------------------------------------

#: Operations with neither a written summary nor a description (FastAPI's summary made from
#: the function name does not count). Listed so the gap is visible and cannot grow; remove an
#: entry when its route gets a docstring.
UNDESCRIBED: set[str] = set()
#: Request bodies with no example anywhere (media type, schema or properties).
WITHOUT_EXAMPLE: set[str] = set()


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in {"get", "put", "post", "delete", "patch", "options", "head", "trace"}:
                yield f"{method.upper()} {path}", op


def _resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _has_example(doc: dict[str, Any], media: dict[str, Any]) -> bool:
    if "example" in media or media.get("examples"):
        return True
    body = _resolve(doc, media.get("schema", {}))
    if "example" in body or body.get("examples"):
        return True
    return any(
        "example" in p or p.get("examples")
        for p in (_resolve(doc, p) for p in body.get("properties", {}).values())
    )


def _written_summaries(app: Any) -> set[str]:
    """Operations whose route states a summary (the OpenAPI document cannot tell a written
    summary from the one FastAPI derives from the function name)."""
    out: set[str] = set()
    for entry in routing.iter_route_contexts(app.routes):
        route = entry.original_route
        if isinstance(route, APIRoute) and route.summary:
            out |= {f"{m} {entry.path}" for m in entry.methods or ()}
    return out


def test_every_operation_has_a_summary_or_description(world: World, api_schema: Any) -> None:
    doc = api_schema.raw_schema
    written = _written_summaries(world.client.app)
    ops = dict(_operations(doc))
    assert all(op.get("summary") or op.get("description") for op in ops.values())
    bare = {name for name, op in ops.items() if name not in written and not op.get("description")}
    assert bare == UNDESCRIBED, (
        f"undescribed operations: new {sorted(bare - UNDESCRIBED)}, "
        f"now described (drop from UNDESCRIBED) {sorted(UNDESCRIBED - bare)}"
    )


def test_every_request_body_has_an_example(api_schema: Any) -> None:
    doc = api_schema.raw_schema
    bodies = {
        name: media
        for name, op in _operations(doc)
        for media in op.get("requestBody", {}).get("content", {}).values()
    }
    assert len(bodies) >= 8, "the OpenAPI document lists (almost) no request bodies"
    missing = {name for name, media in bodies.items() if not _has_example(doc, media)}
    assert missing == WITHOUT_EXAMPLE, (
        f"request bodies without an example: new {sorted(missing - WITHOUT_EXAMPLE)}, "
        f"now with one (drop from WITHOUT_EXAMPLE) {sorted(WITHOUT_EXAMPLE - missing)}"
    )
