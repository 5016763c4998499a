"""Driving the web pages with a TestClient as a browser would: cookies, CSRF tokens, forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from httpx import Response

from pcip.app import create_app
from pcip.kernel.platform import Platform
from tests.client import TestClient
from tests.world import World

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Browser:
    """One visitor: its own cookies (session, CSRF, language)."""

    client: TestClient

    def get(self, url: str, **kwargs: Any) -> Response:
        return self.client.get(url, follow_redirects=False, **kwargs)

    def token(self, url: str = "/persons") -> str:
        r = self.client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        return csrf_of(r.text)

    def post(
        self, url: str, data: dict[str, Any] | None = None, *, form: str | None = None, **kw: Any
    ) -> Response:
        """POST a form with the CSRF token of the page ``form`` (default: ``url``'s page)."""
        fields = dict(data or {})
        fields.setdefault("csrf_token", self.token(form or url))
        return self.client.post(url, data=fields, follow_redirects=False, **kw)

    def sign_in_subject(self, name: str, id_number: str, id_type: str = "citizen_id") -> None:
        r = self.post(
            "/signin/dev",
            {"name": name, "id_type": id_type, "id_number": id_number, "next": "/me"},
            form="/signin",
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"] == "/me"


def browser(platform: Platform, lang: str | None = None) -> Browser:
    client = TestClient(create_app(platform), raise_server_exceptions=True)
    if lang:
        client.cookies.set("lang", lang)
    return Browser(client)


def person_a(world: World) -> Browser:
    b = browser(world.platform)
    b.sign_in_subject("张三", world.person_a)
    return b
