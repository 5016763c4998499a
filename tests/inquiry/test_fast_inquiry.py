"""Issue 22 point 2: the direct door of the three logged inquiries (``pcip.doors.fast_inquiry``)
answers exactly as the FastAPI route it stands in front of.

Every request below is sent to two applications on the same database: one as built (the direct
door in front of its router) and one without it (FastAPI's routing, dependencies and route). The
status, every header, the body (the inquiry log entry's id aside: each answer writes its own
entry) and the access log line must be the same, and the log must grow by one entry for each
answer that returned records. Each request also says whether the direct door must answer it or
leave it to the router, and the test checks which did.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import re
import threading
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import pytest
from httpx import Response
from sqlalchemy import func, select

from pcip.app import create_app
from pcip.doors import fast_inquiry
from pcip.doors.hop import THREAD_NAME
from pcip.doors.ratelimit import RateLimiter
from pcip.errors import Unauthorized
from pcip.inquiry.models import InquiryLog
from pcip.kernel.platform import Platform
from tests.client import TestClient
from tests.helpers import run_async
from tests.inquiry.test_inquiry_authorizations import granted
from tests.inquiry.test_inquiry_log import log_count
from tests.world import World

PUBLIC = "/api/v1/public/organisations/"
OWN = "/api/v1/me/records"
AUTHORIZED = "/api/v1/inquiries/authorized"
_INQUIRY_ID = re.compile(rb'"inquiry_id":(\d+|null)')


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None
    direct: bool = True  # the direct door answers it (False: the router does)


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the direct door answered (or raised an error for), in order."""
    seen: list[str] = []
    original = fast_inquiry.FastInquiries._dispatch

    async def recording(
        self: fast_inquiry.FastInquiries, scope: Any, receive: Any, send: Any
    ) -> Any:
        try:
            left = await original(self, scope, receive, send)
        except Exception:
            seen.append(scope["path"])
            raise
        if left is None:
            seen.append(scope["path"])
        return left

    monkeypatch.setattr(fast_inquiry.FastInquiries, "_dispatch", recording)
    return seen


def _router_only(platform: Platform) -> TestClient:
    app = create_app(platform)
    door = fast_inquiry.installed(app)
    assert door is not None
    app.router.middleware_stack = door.app  # the router as FastAPI routes it
    return TestClient(app)


def _send(client: TestClient, call: Call) -> Response:
    return client.request(
        call.method, call.path, headers=call.headers, content=call.content, follow_redirects=False
    )


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[Any, ...]]:
    lines = [tuple(r.args or ())[:3] for r in caplog.records if r.name == "pcip.access"]
    caplog.clear()
    return lines


def _same(slow: Response, fast: Response) -> None:
    assert (fast.status_code, fast.reason_phrase) == (slow.status_code, slow.reason_phrase)
    ids = [_INQUIRY_ID.findall(r.content) for r in (slow, fast)]
    assert len(ids[0]) == len(ids[1]) <= 1
    assert _INQUIRY_ID.sub(b"ID", fast.content) == _INQUIRY_ID.sub(b"ID", slow.content)

    def headers(r: Response) -> list[tuple[str, str]]:
        return [(k, v) for k, v in r.headers.multi_items() if k != "content-length"]

    assert headers(fast) == headers(slow)
    if fast.request.method != "HEAD":
        assert fast.headers.get("content-length") == str(len(fast.content))


def _count_hits_not_seconds(client: TestClient, platform: Platform) -> None:
    """Give the app a public limiter whose clock moves one second per hit, not with time.

    Both apps then see the same clock at the same call, so the ``Retry-After`` they send on
    a refusal is the same number; on the real clock it drifts by how long each app's first
    request took (a cold first request of 1.3 s on CI made the two round differently).
    """
    ticks = itertools.count()
    client.app.state.public_limiter = RateLimiter(
        platform.settings.public_rate_per_minute, 60.0, clock=lambda: float(next(ticks))
    )


def _compare(
    world: World, calls: list[Call], answered: list[str], caplog: pytest.LogCaptureFixture
) -> list[int]:
    """Send each call to both applications; the statuses answered."""
    slow_client, fast_client = _router_only(world.platform), TestClient(create_app(world.platform))
    for client in (slow_client, fast_client):
        _count_hits_not_seconds(client, world.platform)
    caplog.set_level(logging.INFO, logger="pcip.access")
    statuses = []
    for call in calls:
        before = log_count(world.platform)
        caplog.clear()
        first = _last_entry_id(world.platform)
        slow = _send(slow_client, call)
        slow_line = _access_lines(caplog)
        logged = log_count(world.platform) - before
        ran = len(answered)
        middle = _last_entry_id(world.platform)
        fast = _send(fast_client, call)
        entries = _entries(world.platform, middle)
        assert entries == _entries(world.platform, first)[: len(entries)], call
        assert (len(answered) > ran) == call.direct, call
        try:
            _same(slow, fast)
        except AssertionError as e:
            raise AssertionError(f"{call}: {slow.status_code} {slow.text[:300]!r}") from e
        assert _access_lines(caplog) == slow_line, call
        assert log_count(world.platform) - before == 2 * logged, call
        statuses.append(slow.status_code)
    return statuses


def _last_entry_id(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.max(InquiryLog.id))).scalar_one() or 0)


def _entries(platform: Platform, after: int) -> list[dict[str, Any]]:
    """The inquiry log entries written after entry ``after``, all but their ids."""
    table = InquiryLog.__table__
    with platform.engine.connect() as conn:
        rows = conn.execute(select(table).where(table.c.id > after).order_by(table.c.id))
        return [{k: v for k, v in row._mapping.items() if k != "id"} for row in rows]


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def _public_calls(world: World, rng: random.Random) -> Iterator[Call]:
    org = world.org_uscc
    yield Call("GET", PUBLIC + org)
    yield Call("GET", PUBLIC + org.lower())
    yield Call("GET", PUBLIC + org + "?q=1&x=%00", direct=False)  # InputGuard refuses a NUL
    yield Call("GET", PUBLIC + org + "?q=1&hide_own=true")
    yield Call("GET", PUBLIC + " " + org + " ")
    yield Call("GET", PUBLIC + "91500000MA5U3P0X1Y")  # no such organisation
    yield Call("GET", PUBLIC + "X" * 32)
    yield Call("GET", PUBLIC + "X" * 33, direct=False)  # FastAPI refuses it: max_length
    yield Call("GET", PUBLIC + "%E9%87%8D%E5%BA%86")  # a name, not a key
    yield Call("GET", PUBLIC, direct=False)
    yield Call("GET", PUBLIC + org + "/", direct=False)
    yield Call("POST", PUBLIC + org, direct=False)
    yield Call("HEAD", PUBLIC + org, direct=False)
    yield Call("GET", PUBLIC + org, {"Accept-Language": "zh-CN,zh;q=0.9"})
    for role in ("subject_a", "grantee", "operator", "unit_key", "org"):
        yield Call("GET", PUBLIC + org, world.auth(role))
    yield Call("GET", PUBLIC + org, {"Authorization": "Bearer pcip_ss_not-a-token"})
    yield Call("GET", PUBLIC + org, {"Authorization": "Bearer"}, direct=False)
    yield Call("GET", PUBLIC + org, {"Authorization": "Basic dXNlcjpwdw=="}, direct=False)
    yield Call("GET", PUBLIC + org, {"X-PCIP-Channel": "api"}, direct=False)
    yield Call("GET", PUBLIC + org, {"X-PCIP-Channel": "web"}, direct=False)
    yield Call("GET", PUBLIC + org, {"Cookie": "lang=en"}, direct=False)
    yield Call("GET", PUBLIC + org, {"Cookie": "pcip_session=nothing"}, direct=False)
    for _ in range(6):  # generated keys: a USCC with characters changed, or random text
        chars = list(org)
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY-_ ")
        yield Call("GET", PUBLIC + "".join(chars).strip("/"))


def _own_calls(world: World) -> Iterator[Call]:
    yield Call("GET", OWN)  # anonymous: refused
    for role in ("subject_a", "subject_b", "org", "grantee", "operator"):
        yield Call("GET", OWN, world.auth(role))
        yield Call("GET", OWN + "?hide=1", {**world.auth(role), "Accept-Language": "zh"})
    yield Call("GET", OWN, {"Authorization": "Bearer pcip_ss_expired-or-made-up"})
    yield Call("GET", OWN, {**world.auth("subject_a"), "Cookie": "lang=zh_CN"}, direct=False)
    yield Call("GET", OWN, {**world.auth("subject_a"), "X-PCIP-Channel": "web"}, direct=False)
    yield Call("GET", OWN + "/", world.auth("subject_a"), direct=False)
    yield Call("POST", OWN, world.auth("subject_a"), direct=False)


def _authorized_calls(world: World, grant_id: int, rng: random.Random) -> Iterator[Call]:
    bank = world.auth("grantee")
    as_json = {**bank, "Content-Type": "application/json"}
    yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": grant_id}))
    yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": str(grant_id)}))
    yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": float(grant_id)}))
    yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": True}))
    yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": grant_id + 1000}))
    yield Call(
        "POST",
        AUTHORIZED,
        {**as_json, "Accept-Language": "zh"},
        _json({"authorization_id": grant_id + 1}),
    )
    for role in ("subject_a", "org", "operator", "unit_key"):
        headers = {**world.auth(role), "Content-Type": "application/json"}
        yield Call("POST", AUTHORIZED, headers, _json({"authorization_id": grant_id}))
    yield Call(
        "POST",
        AUTHORIZED,
        {"Content-Type": "application/json"},
        _json({"authorization_id": grant_id}),
    )
    refused = [
        {"authorization_id": 0},
        {"authorization_id": -1},
        {"authorization_id": 2**63},
        {"authorization_id": 1.5},
        {"authorization_id": "x"},
        {"authorization_id": None},
        {"authorization_id": grant_id, "more": 1},
        {},
        [grant_id],
        "text",
    ]
    for body in refused:
        yield Call("POST", AUTHORIZED, as_json, _json(body), direct=False)
    for raw in (
        b"",
        b"{",
        b'{"authorization_id": 1',
        b"\xff\xfe",
        b'{"authorization_id": "\\u0000"}',
    ):
        yield Call("POST", AUTHORIZED, as_json, raw, direct=False)
    for kind in ("application/json; charset=utf-8", "text/plain", "application/vnd.x+json"):
        headers = {**bank, "Content-Type": kind}
        yield Call("POST", AUTHORIZED, headers, _json({"authorization_id": grant_id}), direct=False)
    yield Call("POST", AUTHORIZED, bank, _json({"authorization_id": grant_id}), direct=False)
    for extra in ({"Cookie": "a=b"}, {"X-PCIP-Channel": "api"}):
        headers = {**as_json, **extra}
        yield Call("POST", AUTHORIZED, headers, _json({"authorization_id": grant_id}), direct=False)
    yield Call("GET", AUTHORIZED, bank, direct=False)
    for _ in range(6):  # generated ids around the grant's
        some = max(1, grant_id + rng.randint(-3, 3))
        yield Call("POST", AUTHORIZED, as_json, _json({"authorization_id": some}))


def test_issue22_the_direct_door_answers_a_public_inquiry_as_the_route_does(
    world: World, answered: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    calls = list(_public_calls(world, random.Random(22)))
    _compare(world, calls, answered, caplog)
    assert answered and all(p.startswith(PUBLIC) for p in answered)


def test_issue22_the_direct_door_answers_a_self_inquiry_as_the_route_does(
    world: World, answered: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    _compare(world, list(_own_calls(world)), answered, caplog)
    assert answered and set(answered) == {OWN}


def test_issue22_the_direct_door_answers_an_authorized_inquiry_as_the_route_does(
    world: World, answered: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    grant_id = granted(world)
    calls = list(_authorized_calls(world, grant_id, random.Random(22)))
    _compare(world, calls, answered, caplog)
    assert answered and set(answered) == {AUTHORIZED}


def test_art28_the_direct_door_counts_and_refuses_public_inquiries_as_the_route_does(
    world: World, answered: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    world.platform.settings = world.platform.settings.model_copy(
        update={"public_rate_per_minute": 3}
    )
    calls = [Call("GET", PUBLIC + world.org_uscc) for _ in range(4)]
    calls.insert(2, Call("GET", PUBLIC + "X" * 33, direct=False))  # counted by the router
    calls.append(Call("GET", PUBLIC + "X" * 33, direct=False))
    statuses = _compare(world, calls, answered, caplog)
    assert statuses == [200, 200, 422, 429, 429, 429]


def test_issue22_the_direct_door_leaves_a_request_with_fastapi_telemetry_to_the_router(
    platform: Platform,
) -> None:
    """With FastAPI's request telemetry on, the router names the route for its spans."""
    app = create_app(platform)
    door = fast_inquiry.installed(app)
    assert door is not None
    routed: list[str] = []

    async def router(scope: Any, _receive: Any, _send: Any) -> None:
        routed.append(scope["path"])

    async def nothing(*_args: Any) -> Any:
        raise AssertionError("nothing is read or sent")

    door.app = router
    for telemetry in (None, object()):
        scope = {"type": "http", "method": "GET", "path": OWN, "root_path": "", "headers": []}
        scope.update({"app": app, "fastapi.telemetry": telemetry})
        # Without telemetry the door runs the self inquiry: an anonymous caller is refused.
        with pytest.raises(Unauthorized) if telemetry is None else nullcontext():
            run_async(door(scope, nothing, nothing))
    assert routed == [OWN]


def test_issue22_the_direct_doors_inquiries_run_on_the_hops_threads(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inquiries ``pcip.doors.fast_inquiry`` answers run on this pool's threads."""
    from pcip.inquiry import service

    seen: list[str] = []
    original = service.public_organisation_answer

    def public(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "public_organisation_answer", public)
    r = world.client.get(f"/api/v1/public/organisations/{world.org_uscc}")
    assert r.status_code == 200, r.text
    assert len(seen) == 1 and seen[0].startswith(THREAD_NAME)
