"""Issue 23 point 2: every door has a request body limit, enforced while the body is read.

The body is fed to the application as a client would stream it (ASGI ``http.request``
messages of 64 KiB, ``more_body`` set, no Content-Length: chunked), from a generator that
could go on for 1 GiB. The tests count how much of it the application pulled: a refusal must
come as soon as the limit is passed, not after the whole body was buffered. (The live test in
``test_live_server.py`` does the same over a socket and watches the server's memory.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI

from pcip import clock
from pcip.app import create_app
from pcip.doors.http_guard import SMALL_BODY, UPLOAD_BODY
from pcip.kernel.platform import Platform
from tests.helpers import run_async
from tests.web.support import browser
from tests.world import NOW, PASSWORD, World, WorldData, reopen

CHUNK = 64 * 1024
GIB = 1024**3


class Stream:
    """A body of ``total`` bytes in 64 KiB messages; remembers how many bytes were pulled."""

    def __init__(self, total: int, head: bytes = b"") -> None:
        self.total = total
        self.head = head
        self.pulled = 0

    async def receive(self) -> dict[str, Any]:
        if self.pulled >= self.total:
            return {"type": "http.disconnect"}
        if self.pulled == 0 and self.head:
            piece = self.head
        else:
            piece = b"a" * min(CHUNK, self.total - self.pulled)
        self.pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": self.pulled < self.total}


def call(
    app: FastAPI,
    method: str,
    path: str,
    stream: Stream,
    headers: dict[str, str],
) -> tuple[int, dict[str, str], bytes]:
    """One request straight through the ASGI interface; (status, headers, body)."""
    out: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    run_async(app(scope, stream.receive, send))
    return out["status"], out["headers"], out["body"]


@pytest.mark.parametrize(
    ("path", "content_type", "head"),
    [
        ("/api/v1/auth/login", "application/json", b'{"username": "operator", "password": "'),
        ("/staff/signin", "application/x-www-form-urlencoded", b"username=operator&password="),
        ("/api/v1/public/persons", "application/json", b'{"citizen_id": "'),
        ("/persons", "application/x-www-form-urlencoded", b"citizen_id="),
        ("/api/v1/auth/subject", "application/json", b'{"assertion": "'),
        ("/api/v1/inquiries/authority", "text/plain", b""),
    ],
    ids=["api-login", "staff-signin", "api-public-persons", "web-persons", "subject", "other"],
)
def test_issue23_p2_a_chunked_1gib_body_to_any_door_is_refused_at_the_limit(
    platform: Platform, path: str, content_type: str, head: bytes
) -> None:
    stream = Stream(GIB, head)
    status, _, body = call(
        create_app(platform),
        "POST",
        path,
        stream,
        {"content-type": content_type, "transfer-encoding": "chunked"},
    )
    assert status == 413, body[:300]
    # Reading stopped at the limit: the rest of the gibibyte was never pulled.
    assert stream.pulled <= SMALL_BODY + CHUNK, stream.pulled
    assert b"1 MiB" in body, body[:500]
    if path.startswith("/api/"):
        doc = json.loads(body)
        assert doc["code"] == "too_large" and "limit of 1 MiB" in doc["message"]


def test_issue23_p2_a_declared_length_over_the_limit_is_refused_before_reading(
    platform: Platform,
) -> None:
    stream = Stream(GIB, b'{"username": "x", "password": "')
    status, _, body = call(
        create_app(platform),
        "POST",
        "/api/v1/auth/login",
        stream,
        {"content-type": "application/json", "content-length": str(GIB)},
    )
    assert status == 413 and stream.pulled == 0
    assert json.loads(body)["code"] == "too_large"


def test_issue23_p2_small_bodies_still_work_everywhere(
    platform: Platform, api_world_data: WorldData
) -> None:
    """The limit is no obstacle to real requests (a body of ~100 KB is far below it)."""
    with clock.frozen(NOW):
        w = reopen(platform, api_world_data)
        r = w.client.post("/api/v1/auth/login", json={"username": "operator", "password": PASSWORD})
        assert r.status_code == 200


@pytest.fixture
def unit_staff(platform: Platform, api_world_data: WorldData) -> Any:
    with clock.frozen(NOW):
        world = reopen(platform, api_world_data)
        b = browser(world.platform)
        r = b.post(
            "/staff/signin",
            {"username": "staff", "password": PASSWORD, "next": "/console"},
            form="/staff/signin",
        )
        assert r.status_code == 303
        yield world, b


def test_issue23_p2_the_console_upload_limit_holds_for_chunked_uploads(
    unit_staff: tuple[World, Any],
) -> None:
    """Before: the console's 32 MB limit read Content-Length only; 200 MB chunked got in."""
    _world, b = unit_staff
    token = b.token("/console/batches")
    boundary = "pcipboundary"
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
        f"{token}\r\n"
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="item"\r\n\r\nadmin_penalty\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="big.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    stream = Stream(200 * 1024 * 1024, head)
    cookie = "; ".join(f"{k}={v}" for k, v in b.client.cookies.items())
    with clock.frozen(NOW):
        status, _, body = call(
            b.client.app,  # type: ignore[arg-type]
            "POST",
            "/console/batches",
            stream,
            {
                "content-type": f"multipart/form-data; boundary={boundary}",
                "transfer-encoding": "chunked",
                "cookie": cookie,
            },
        )
    assert status == 413, body[:500]
    assert stream.pulled <= UPLOAD_BODY + CHUNK
    assert b"32 MiB" in body


def test_issue23_p2_an_upload_route_takes_more_than_the_small_limit(
    unit_staff: tuple[World, Any],
) -> None:
    """A 2 MiB CSV (over the 1 MiB limit of forms) is accepted by the console upload."""
    _world, b = unit_staff
    rows = "CF_XDR_MC,CF_WSH\n" + "".join(f"某公司{i},渝罚〔2026〕{i}号\n" for i in range(60_000))
    data = rows.encode()
    assert len(data) > 2 * SMALL_BODY
    with clock.frozen(NOW):
        r = b.client.post(
            "/console/batches",
            data={"csrf_token": b.token("/console/batches"), "item": "admin_penalty"},
            files={"file": ("big.csv", data, "text/csv")},
            follow_redirects=False,
        )
    assert r.status_code in (200, 303), r.text[:300]
