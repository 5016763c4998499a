"""Browser tests: the real application under uvicorn, driven by Debian's Chromium via Playwright.

* ``server``: one per test process (xdist worker): a temporary SQLite platform populated like
  ``tests.world`` (a company, two people, staff, a bank), served by ``uvicorn`` in a
  subprocess on a free loopback port, with the clock fixed (``PCIP_NOW``).
* ``browser``: Chromium at ``/usr/bin/chromium`` (``make browser`` installs it with a CJK
  font; Playwright never downloads a browser of its own), headless, with the flags this
  machine's closed network needs, and a fresh profile.
* ``page``: a page in a browser context of its own (its own cookies), handed to the test
  clean: no cookies, nothing in local or session storage, on ``about:blank``; after a test that
  failed, a full-page screenshot of where it ended goes to
  ``test-output/screenshots/<test name>.png``. ``fresh_page`` gives a test
  more such pages (other people at other desks). The contexts are kept for the process and
  cleaned between tests (a new context costs Chromium a renderer process, ~0.5 s of CPU); one a
  failed test used is closed, never handed out again.
* ``sign_in`` / ``staff_sign_in``: through the sign-in form the first time an identity signs
  in in this process (or when a test asks for the form); after that the browser is given that
  session's cookie and opens the page the form lands on.

* ``shot``: the screenshots the walks take on the way (``test-output/screenshots/*.png``), for
  people reviewing the pages. They are saved only when ``PCIP_SCREENSHOTS`` is set (``make
  screenshots``), and then the ``page`` fixture saves one after every test, not only after a
  failed one. ``make test`` leaves them out: they check nothing, and Chromium's full-page
  screenshots were about a third of its CPU in the console page tests, a tenth over all
  browser tests (issue 15).

Without Chromium the tests are skipped, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pcip import clock
from pcip.auth.api import SESSION_COOKIE
from pcip.config import Settings, reset_settings
from pcip.kernel.platform import Platform
from tests.conftest import TEST_HASH_COST
from tests.world import NOW, build

CHROMIUM = "/usr/bin/chromium"
#: How long a page action (a click, a navigation) may wait before the test fails. It is a hang
#: detector, not a speed check: a click that draws a credit report's PDF (WeasyPrint with a CJK
#: font, 0.5-0.9 s here, about 2 s for the first in a server process) took over 10 s on a CI
#: machine running the suite 2.3 times slower than usual (stop 34: 625 s), with three workers,
#: their servers and their Chromiums sharing two cores.
ACTION_TIMEOUT_MS = 30_000
#: From the machine notes: without the background-networking flags Chromium keeps trying to
#: reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class Server:
    url: str
    home: Path
    org_uscc: str
    org_name: str
    person_a: str
    person_b: str
    bank_uscc: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
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
def server(
    templates: dict[str, Settings], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The application in its own process, over a populated copy of the SQLite template."""
    from tests.world import BANK

    home = tmp_path_factory.mktemp("e2e") / "home"
    shutil.copytree(templates["sqlite"].home, home)
    settings = Settings(
        database_url=f"sqlite:///{home / 'db.sqlite3'}",
        home=home,
        password_hash_cost=TEST_HASH_COST,
    )
    platform = Platform.open(settings)
    try:
        with clock.frozen(NOW):
            world = build(platform)
    finally:
        platform.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCIP_")}
    env.update(
        PCIP_DATABASE_URL=settings.database_url,
        PCIP_HOME=str(home),
        PCIP_NOW=NOW,
        PCIP_PUBLIC_RATE_PER_MINUTE="100000",
        PCIP_LOG_LEVEL="WARNING",
        PCIP_PASSWORD_HASH_COST=TEST_HASH_COST,
    )
    log = (home / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "pcip.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/api/v1/health", process)
        yield Server(
            url,
            home,
            world.org_uscc,
            world.org_name,
            world.person_a,
            world.person_b,
            BANK,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        reset_settings()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is not installed: run 'make browser'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    # The same reasoning for the assertions that wait for a page to change (5 s by default).
    expect.set_options(timeout=ACTION_TIMEOUT_MS // 2)
    with sync_playwright() as p:
        # launch() gives every run a fresh, temporary profile (user data dir).
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


#: Whether the walks' screenshots (and one after every test) are saved: ``make screenshots``.
SCREENSHOTS_WANTED = os.environ.get("PCIP_SCREENSHOTS", "") not in ("", "0")


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / (re.sub(r"[^\w.-]+", "_", name).strip("_") + ".png")


def shot(page: Any, name: str) -> None:
    """A full-page screenshot for reviewers, ``test-output/screenshots/<name>.png``, when
    ``PCIP_SCREENSHOTS`` is set (module docstring)."""
    if SCREENSHOTS_WANTED:
        page.screenshot(path=str(screenshot_path(name)), full_page=True)


class Pages:
    """Desktop pages of this process, each in its own browser context, reused across tests."""

    def __init__(self, browser: Any, server: Server) -> None:
        self.browser = browser
        self.server = server
        self.free: list[Any] = []

    def take(self) -> Any:
        if self.free:
            return self.free.pop()
        ctx = self.browser.new_context(base_url=self.server.url, viewport=DESKTOP, locale="zh-CN")
        ctx.set_default_timeout(ACTION_TIMEOUT_MS)
        return ctx.new_page()

    def give_back(self, page: Any, clean: bool) -> None:
        """Clean the page for the next test, or close its context (after a failure)."""
        if clean and not page.is_closed():
            try:
                if page.url.startswith(self.server.url):
                    page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
                page.goto("about:blank")  # stops whatever the page was doing (htmx polling)
                page.context.clear_cookies()
                page.context.clear_permissions()
                self.free.append(page)
                return
            except Exception as exc:  # a page that cannot be cleaned is not reused
                print(f"page not reused: {exc}")
        page.context.close()

    def close(self) -> None:
        for page in self.free:
            page.context.close()
        self.free.clear()


@pytest.fixture(scope="session")
def _pages(browser: Any, server: Server) -> Iterator[Pages]:
    pages = Pages(browser, server)
    yield pages
    pages.close()


#: Set on a test whose setup, call or teardown failed: its pages are not reused.
FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
def fresh_page(_pages: Pages, request: pytest.FixtureRequest) -> Iterator[Callable[[], Any]]:
    """Clean desktop pages (1280 x 900, zh-CN), each with its own cookies, as many as asked."""
    taken: list[Any] = []

    def take() -> Any:
        taken.append(_pages.take())
        return taken[-1]

    yield take
    for p in taken:
        _pages.give_back(p, clean=not request.node.stash.get(FAILED, False))


@pytest.fixture
def page(fresh_page: Callable[[], Any], request: pytest.FixtureRequest) -> Iterator[Any]:
    """A clean page; a full-page screenshot of where the test ended is saved afterwards when
    the test failed (or ``PCIP_SCREENSHOTS`` is set)."""
    p = fresh_page()
    yield p
    if not (SCREENSHOTS_WANTED or request.node.stash.get(FAILED, False)):
        return
    try:
        p.screenshot(path=str(screenshot_path(request.node.name)), full_page=True)
    except Exception as exc:  # a closed page must not hide the test's own result
        print(f"no screenshot for {request.node.name}: {exc}")


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Any]:
    """A phone-sized page (390 x 844, touch), for layout checks."""
    ctx = browser.new_context(
        base_url=server.url, viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    ctx.set_default_timeout(ACTION_TIMEOUT_MS)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


#: The session cookie of each identity signed in through the form in this process.
_SESSIONS: dict[tuple[str, ...], list[Any]] = {}


def signed_in(page: Any, who: tuple[str, ...], landing: str, through_form: bool) -> bool:
    """Give the page the session ``who`` already has (and open ``landing``, where the form
    would have led); False when ``who`` has none yet or the test wants the form."""
    cookies = None if through_form else _SESSIONS.get(who)
    if cookies is None:
        return False
    page.context.add_cookies(cookies)
    page.goto(landing)
    return True


def keep_session(page: Any, who: tuple[str, ...]) -> None:
    """Remember the session cookie the form just set, for the next sign-in of ``who``."""
    cookies = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert cookies, f"no session cookie after signing in as {who}"
    _SESSIONS[who] = cookies


def sign_in(
    page: Any,
    name: str,
    id_number: str,
    id_type: str = "citizen_id",
    *,
    through_form: bool = False,
) -> None:
    """Sign in through the development identity provider's form, as a person would (once per
    identity and process, or when ``through_form``; after that with the session it opened)."""
    who = ("subject", name, id_type, id_number)
    if signed_in(page, who, "/me", through_form):
        return
    page.goto("/signin")
    page.get_by_label("姓名或名称").fill(name)
    page.get_by_label("身份标识类型", exact=True).select_option(id_type)
    page.get_by_role("textbox", name="身份标识号码").fill(id_number)
    page.get_by_role("button", name="通过开发用身份提供方登录").click()
    page.wait_for_url("**/me")
    keep_session(page, who)
