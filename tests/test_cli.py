"""The command-line door: ``pcip init | id check | provider add | audit verify | demo``.

Commands run in-process with Typer's CliRunner against ``pcip.cli.app``. The error contract
("one clear line on stderr, exit code 2, never a traceback") lives in ``pcip.cli.main()``, so
it is checked by calling ``main()`` as the console script does (``tests.helpers.run_main``),
and, for what only a real process shows, by running the installed console script in a
subprocess (``run_pcip``).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine, text
from typer.testing import CliRunner, Result

from pcip.cli import app
from pcip.config import Settings, reset_settings
from pcip.demo.generators import random_uscc
from pcip.doors import terminal
from pcip.errors import NotFound, ValidationError
from pcip.identity import citizen_id_check_character, uscc_check_character
from pcip.kernel.keys.keyring import keyring_path
from pcip.kernel.platform import Platform
from tests.helpers import Ran, run_main

NOW = "2026-11-26T10:00:00"
PCIP = Path(sys.executable).parent / "pcip"
runner = CliRunner()

CQ_ID = "50010319900315123" + citizen_id_check_character("50010319900315123")
LETTER_USCC = random_uscc(random.Random(1), authority="Y")
UNIT_USCC = random_uscc(random.Random(20), authority="1", entity_type="1", region_prefix="50")
OTHER_USCC = random_uscc(random.Random(21), authority="9", entity_type="1", region_prefix="50")
CATALOG_TABLES = ("catalog", "catalog_version", "catalog_item")


@pytest.fixture
def cli(cli_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """This test's fresh database, with the clock fixed for the commands."""
    monkeypatch.setenv("PCIP_NOW", NOW)
    reset_settings()
    return cli_env


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock fixed for commands that read no database (``pcip id check``, options Typer
    refuses before a command starts): they ran once per backend on a copy of the template
    each, the same command twice."""
    monkeypatch.setenv("PCIP_NOW", NOW)
    reset_settings()


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich fixes its width when pcip.doors.terminal is imported (80 under xdist, which sets
    COLUMNS); in-process runs use wide consoles so long paths are not broken across lines."""
    monkeypatch.setattr(terminal, "out", Console(width=1000))
    monkeypatch.setattr(terminal, "err", Console(stderr=True, width=1000))


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args))


def json_lines(result: Result) -> list[dict[str, Any]]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def flat(s: str) -> str:
    """Rich wraps console output at the terminal width; compare text, not line breaks."""
    return " ".join(s.split())


def count(engine: Engine, table: str, where: str = "") -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table} {where}")).scalar_one())


def counts(engine: Engine) -> dict[str, int]:
    tables = ("audit_event", "provider", "provider_item", *CATALOG_TABLES)
    return {t: count(engine, t) for t in tables}


def run_pcip(
    *args: str, env: dict[str, str] | None = None, wide: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (``pcip.cli:main``) as a user would."""
    full = {**os.environ, "PCIP_NOW": NOW, **(env or {})}
    full.pop("PCIP_DEBUG", None)
    full.pop("COLUMNS", None)
    if wide:
        # Rich wraps at 80 columns when stderr is not a terminal; a wide console checks that
        # the message is one *logical* line (see test_cli_error_line_is_not_wrapped for the
        # physical line at the default width).
        full["COLUMNS"] = "1000"
    cmd = [str(PCIP), *args] if PCIP.exists() else [sys.executable, "-m", "pcip.cli", *args]
    return subprocess.run(cmd, env=full, capture_output=True, text=True, timeout=180, check=False)


def assert_one_line_error(
    proc: subprocess.CompletedProcess[str] | Ran, *fragments: str, code: int = 2
) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    line: str = lines[0]
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


# --- pcip init ------------------------------------------------------------------------------


def test_art17_init_twice_reports_up_to_date_and_changes_nothing(
    cli: Settings, platform: Platform
) -> None:
    before = counts(platform.engine)
    for _ in range(2):
        result = invoke("init")
        assert result.exit_code == 0, result.output
        out = flat(result.stdout)
        assert "(schema up to date)" in out
        assert "reference data: up to date" in out
        assert f"keys: {cli.keys_dir}" in out
    assert counts(platform.engine) == before
    verify = invoke("audit", "verify")
    assert verify.exit_code == 0
    assert [_verdict(o) for o in json_lines(verify)] == [
        {"ok": True, "checked": before["audit_event"], "problem": None, "first_bad_seq": None}
    ]


def test_init_fresh_sqlite_then_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PCIP_DATABASE_URL", f"sqlite:///{tmp_path / 'db' / 'pcip.sqlite3'}")
    monkeypatch.setenv("PCIP_HOME", str(tmp_path / "home"))
    reset_settings()
    first = invoke("init")
    assert first.exit_code == 0, first.output
    assert "(schema created or upgraded)" in flat(first.stdout)
    assert re.search(
        r"reference data: \d+ catalog version\(s\), \d+ item\(s\) seeded", flat(first.stdout)
    )
    assert keyring_path(tmp_path / "home" / "keys").exists()
    audit_len = json_lines(invoke("audit", "verify"))[0]["checked"]
    second = invoke("init")
    assert second.exit_code == 0
    assert "reference data: up to date" in flat(second.stdout)
    assert "(schema up to date)" in flat(second.stdout)
    assert _verdict(json_lines(invoke("audit", "verify"))[0]) == {
        "ok": True,
        "checked": audit_len,
        "problem": None,
        "first_bad_seq": None,
    }


def _verdict(o: dict[str, Any]) -> dict[str, Any]:
    """What ``pcip audit verify`` concluded (its checkpoint details left out)."""
    return {k: o[k] for k in ("ok", "checked", "problem", "first_bad_seq")}


# --- pcip id check (Art. 19) ----------------------------------------------------------------


def test_art19_id_check_prints_one_object_per_value_in_order(fixed_clock: None) -> None:
    values = [
        "11010519491231002X",
        "440524188001010014",
        CQ_ID,
        LETTER_USCC,
        "abc",
        "11010519491231002X",
    ]
    result = invoke("id", "check", *values)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == len(values)
    objs = json_lines(result)
    assert [o["value"] for o in objs] == values
    for o in objs:
        assert o["kind"] in ("citizen_id", "uscc", "unknown")
        assert isinstance(o["valid"], bool)
        assert isinstance(o["warnings"], list)
        assert ("reason" in o) == (not o["valid"])


def test_art19_id_check_standard_vectors(fixed_clock: None) -> None:
    a, b = json_lines(invoke("id", "check", "11010519491231002X", "440524188001010014"))
    assert a["kind"] == "citizen_id" and a["valid"] is True and a["warnings"] == []
    assert (a["birth_date"], a["sex"], a["region"]["code"]) == ("1949-12-31", "female", "110105")
    assert "北京" in a["region"]["name"]
    # GB 11643-1999's own example is born in 1880: a validator must accept it.
    assert b["kind"] == "citizen_id" and b["valid"] is True
    assert (b["birth_date"], b["sex"], b["region"]["code"]) == ("1880-01-01", "male", "440524")


def test_art19_id_check_chongqing_citizen_born_1990(fixed_clock: None) -> None:
    (o,) = json_lines(invoke("id", "check", CQ_ID))
    assert o["kind"] == "citizen_id" and o["valid"] is True, o
    assert o["birth_date"] == "1990-03-15"
    assert o["sex"] == "male"  # sequence 123 is odd
    assert o["region"]["code"] == "500103"
    assert o["region"]["name"].startswith("重庆市")
    assert o["normalized"] == CQ_ID


def test_art19_id_check_uscc_with_letter_authority(fixed_clock: None) -> None:
    assert LETTER_USCC[0] == "Y"
    (o,) = json_lines(invoke("id", "check", LETTER_USCC))
    assert o["kind"] == "uscc" and o["valid"] is True, o
    assert o["authority"]["code"] == "Y"
    assert o["entity_type"]["code"] == LETTER_USCC[:2]
    assert o["region"]["code"] == LETTER_USCC[2:8]
    assert o["organisation_code"] == LETTER_USCC[8:17]
    assert o["warnings"] == []


def test_art19_id_check_invalid_values_have_a_reason(fixed_clock: None) -> None:
    wrong_check = CQ_ID[:17] + ("0" if CQ_ID[17] != "0" else "1")
    uscc_wrong = UNIT_USCC[:17] + next(
        c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != uscc_check_character(UNIT_USCC[:17])
    )
    objs = json_lines(
        invoke("id", "check", wrong_check, uscc_wrong, "abc", "", "50010319900315１２３")
    )
    assert [o["kind"] for o in objs] == ["citizen_id", "uscc", "unknown", "unknown", "unknown"]
    for o in objs:
        assert o["valid"] is False
        assert isinstance(o["reason"], str) and o["reason"]
        assert o["warnings"] == []
        assert "birth_date" not in o and "authority" not in o
    assert "18" in objs[2]["reason"]


def test_art19_id_check_legacy_and_lowercase(fixed_clock: None) -> None:
    legacy, lower = json_lines(invoke("id", "check", "110105491231002", "11010519491231002x"))
    assert legacy["valid"] is True and legacy["kind"] == "citizen_id"
    assert legacy["warnings"] == ["legacy_15_digit_converted"]
    assert legacy["normalized"] == "11010519491231002X"
    assert lower["valid"] is True and lower["normalized"] == "11010519491231002X"
    assert lower["value"] == "11010519491231002x"  # value is echoed as given


def test_art19_id_check_uses_the_platform_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    first17 = "50010320261127123"  # born 2026-11-27
    value = first17 + citizen_id_check_character(first17)
    monkeypatch.setenv("PCIP_NOW", "2026-11-26T23:59:00")
    reset_settings()
    (o,) = json_lines(invoke("id", "check", value))
    assert o["valid"] is False  # born tomorrow
    # 2026-11-26T16:30Z is already 2026-11-27 00:30 in Chongqing.
    monkeypatch.setenv("PCIP_NOW", "2026-11-26T16:30:00Z")
    reset_settings()
    (o,) = json_lines(invoke("id", "check", value))
    assert o["valid"] is True and o["birth_date"] == "2026-11-27"


# --- pcip provider add (Art. 20) ------------------------------------------------------------


def test_art20_provider_add_registers_then_unchanged_then_updated(
    cli: Settings, platform: Platform
) -> None:
    audit0 = count(platform.engine, "audit_event")
    r = invoke("provider", "add", UNIT_USCC, "重庆市市场监督管理局", "--items", "admin_penalty")
    assert r.exit_code == 0, r.output
    assert json_lines(r) == [
        {
            "uscc": UNIT_USCC,
            "name": "重庆市市场监督管理局",
            "status": "registered",
            "items": ["admin_penalty"],
            "items_added": ["admin_penalty"],
        }
    ]
    assert count(platform.engine, "audit_event") == audit0 + 1
    where = "WHERE action = 'provider.register' AND article = 'Art. 20'"
    assert count(platform.engine, "audit_event", f"{where} AND object_id = '{UNIT_USCC}'") == 1

    r = invoke("provider", "add", UNIT_USCC, "重庆市市场监督管理局", "--items", "admin_penalty")
    assert json_lines(r)[0]["status"] == "unchanged"
    assert json_lines(r)[0]["items_added"] == []
    assert count(platform.engine, "audit_event") == audit0 + 1  # nothing happened, nothing logged

    r = invoke(
        "provider",
        "add",
        UNIT_USCC,
        "重庆市市场监督管理局",
        "--items",
        "admin_penalty, admin_licence",
    )
    (o,) = json_lines(r)
    assert o["status"] == "updated"
    assert o["items"] == ["admin_licence", "admin_penalty"]
    assert o["items_added"] == ["admin_licence"]
    assert count(platform.engine, "audit_event") == audit0 + 2
    assert count(platform.engine, "provider") == 1
    assert count(platform.engine, "provider_item") == 2
    assert invoke("audit", "verify").exit_code == 0


def test_art20_provider_add_repeated_items_option_and_lowercase_uscc(
    cli: Settings, platform: Platform
) -> None:
    r = invoke(
        "provider",
        "add",
        f"  {UNIT_USCC.lower()} ",
        "单位",
        "--items",
        "tax_arrears",
        "--items",
        "admin_penalty,tax_arrears",
    )
    assert r.exit_code == 0, r.output
    (o,) = json_lines(r)
    assert o["uscc"] == UNIT_USCC
    assert o["items"] == ["admin_penalty", "tax_arrears"]
    r = invoke("provider", "add", UNIT_USCC, "单位", "--items", "tax_arrears")
    assert json_lines(r)[0]["status"] == "unchanged"
    assert count(platform.engine, "provider") == 1


def test_art20_provider_rename_is_an_update(cli: Settings, platform: Platform) -> None:
    invoke("provider", "add", UNIT_USCC, "旧名称", "--items", "admin_penalty")
    (o,) = json_lines(invoke("provider", "add", UNIT_USCC, "新名称", "--items", "admin_penalty"))
    assert o["status"] == "updated" and o["name"] == "新名称"


@pytest.mark.parametrize(
    "items", ["nope_item", "admin_penalty,nope_item", "nope_item,admin_penalty", "ADMIN_PENALTY"]
)
def test_art20_provider_add_unknown_item_stores_nothing(
    cli: Settings, platform: Platform, items: str
) -> None:
    before = counts(platform.engine)
    r = invoke("provider", "add", UNIT_USCC, "单位", "--items", items)
    assert r.exit_code != 0
    assert isinstance(r.exception, NotFound)
    bad = "ADMIN_PENALTY" if items == "ADMIN_PENALTY" else "nope_item"
    assert f"'{bad}'" in str(r.exception)
    assert r.exception.field == "item"
    assert counts(platform.engine) == before  # no provider row, no item, no audit row


def test_art20_provider_add_unknown_item_leaves_existing_unit_as_it_was(
    cli: Settings, platform: Platform
) -> None:
    invoke("provider", "add", UNIT_USCC, "单位", "--items", "admin_penalty")
    before = counts(platform.engine)
    r = invoke("provider", "add", UNIT_USCC, "改名", "--items", "admin_licence,nope_item")
    assert isinstance(r.exception, NotFound)
    assert counts(platform.engine) == before
    (o,) = json_lines(invoke("provider", "add", UNIT_USCC, "单位", "--items", "admin_penalty"))
    assert o["status"] == "unchanged" and o["items"] == ["admin_penalty"]


@pytest.mark.parametrize(
    ("uscc", "name", "items", "field"),
    [
        ("91500000MA5U000000", "单位", "admin_penalty", "uscc"),  # wrong check character
        ("12345", "单位", "admin_penalty", "uscc"),
        ("11010519491231002X", "单位", "admin_penalty", "uscc"),  # a citizen ID, not a USCC
        (UNIT_USCC, "   ", "admin_penalty", "name"),
        (UNIT_USCC, "单位", " , ", "items"),
    ],
)
def test_art20_provider_add_malformed_input_stores_nothing(
    cli: Settings, platform: Platform, uscc: str, name: str, items: str, field: str
) -> None:
    before = counts(platform.engine)
    r = invoke("provider", "add", uscc, name, "--items", items)
    assert isinstance(r.exception, ValidationError), r.output
    assert r.exception.field == field
    assert counts(platform.engine) == before


def test_art20_provider_add_level(cli: Settings, platform: Platform) -> None:
    r = invoke(
        "provider", "add", UNIT_USCC, "区单位", "--items", "admin_penalty", "--level", "district"
    )
    assert r.exit_code == 0
    r = invoke(
        "provider", "add", OTHER_USCC, "单位", "--items", "admin_penalty", "--level", "province"
    )
    assert isinstance(r.exception, ValidationError) and r.exception.field == "level"
    assert count(platform.engine, "provider") == 1
    listing = invoke("provider", "list")
    assert listing.exit_code == 0 and "区单位" in listing.stdout


# --- pcip audit verify (Art. 28) ------------------------------------------------------------


@dataclass(frozen=True)
class Tamper:
    sql: Callable[[int], list[str]]
    bad_seq: Callable[[int], int]
    message: Callable[[int], str]


TAMPERS = {
    "altered_details": Tamper(
        lambda n: ["""UPDATE audit_event SET details = '{"forged": true}' WHERE seq = 3"""],
        lambda n: 3,
        lambda n: "entry 3 was altered",
    ),
    "altered_actor": Tamper(
        lambda n: [f"UPDATE audit_event SET actor = 'operator:cli:mallory' WHERE seq = {n - 1}"],
        lambda n: n - 1,
        lambda n: f"entry {n - 1} was altered",
    ),
    "altered_action": Tamper(
        lambda n: ["UPDATE audit_event SET action = 'catalog.nothing' WHERE seq = 1"],
        lambda n: 1,
        lambda n: "entry 1 was altered",
    ),
    "removed_middle": Tamper(
        lambda n: ["DELETE FROM audit_event WHERE seq = 5"],
        lambda n: 5,
        lambda n: "entry 5 is missing (removed)",
    ),
    "removed_first": Tamper(
        lambda n: ["DELETE FROM audit_event WHERE seq = 1"],
        lambda n: 1,
        lambda n: "entry 1 is missing (removed)",
    ),
    "reordered": Tamper(
        lambda n: [
            "UPDATE audit_event SET seq = -1 WHERE seq = 5",
            "UPDATE audit_event SET seq = 5 WHERE seq = 6",
            "UPDATE audit_event SET seq = 6 WHERE seq = -1",
        ],
        lambda n: 5,
        lambda n: "entry 5 does not follow entry 4",
    ),
    "removed_last": Tamper(
        lambda n: [f"DELETE FROM audit_event WHERE seq = {n}"],
        lambda n: n,
        lambda n: f"the head anchor records entry {n}",
    ),
    "removed_last_two": Tamper(
        lambda n: [f"DELETE FROM audit_event WHERE seq >= {n - 1}"],
        lambda n: n - 1,
        lambda n: f"the chain ends at entry {n - 2} but the head anchor records entry {n}",
    ),
}


def _grow_chain(platform: Platform) -> int:
    """Add a few audited actions so the chain has a middle; returns its length.

    What ``pcip provider add`` does (the service, as the CLI's operator), called directly:
    through the CLI each added a platform opened and closed, three per test, 20 tests; the
    command itself is tested above."""
    from pcip.kernel.actors import Actor
    from pcip.providers.service import add_provider

    for i, code in enumerate(("admin_penalty", "admin_licence", "tax_arrears")):
        uscc = random_uscc(
            random.Random(100 + i), authority="1", entity_type="1", region_prefix="50"
        )
        with platform.transaction() as s:
            assert add_provider(s, Actor.cli(), uscc, f"单位{i}", [code]).created
    return count(platform.engine, "audit_event")


def _tamper(platform: Platform, statements: list[str]) -> None:
    with platform.engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


def test_art28_audit_verify_ok(cli: Settings, platform: Platform) -> None:
    n = _grow_chain(platform)
    r = invoke("audit", "verify")
    assert r.exit_code == 0
    assert [_verdict(o) for o in json_lines(r)] == [
        {"ok": True, "checked": n, "problem": None, "first_bad_seq": None}
    ]
    assert r.stderr == ""


@pytest.mark.parametrize("case", list(TAMPERS))
def test_art28_audit_verify_names_first_bad_entry(
    cli: Settings, platform: Platform, case: str
) -> None:
    n = _grow_chain(platform)
    assert n >= 7
    tamper = TAMPERS[case]
    _tamper(platform, tamper.sql(n))
    r = invoke("audit", "verify")
    assert r.exit_code == 1
    (o,) = json_lines(r)
    assert o["ok"] is False
    assert o["first_bad_seq"] == tamper.bad_seq(n)
    assert tamper.message(n) in o["problem"]
    assert flat(r.stderr).startswith("audit chain broken:")
    assert tamper.message(n) in flat(r.stderr)


def test_art28_audit_verify_names_removed_entry(
    cli: Settings, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console entry point: exit code 1 and one stderr line naming the removed entry."""
    _grow_chain(platform)
    _tamper(platform, ["DELETE FROM audit_event WHERE seq = 4"])
    proc = run_main(monkeypatch, "audit", "verify", env={"PCIP_NOW": NOW})
    assert_one_line_error(proc, "audit chain broken: entry 4 is missing (removed)", code=1)
    assert json.loads(proc.stdout)["first_bad_seq"] == 4


# --- pcip demo ------------------------------------------------------------------------------

DEMO_RE = re.compile(
    r"demo data: (\d+) providing units, (\d+) natural persons \((\d+) minors\), "
    r"(\d+) organisations; records (\d+) new, (\d+) updated, (\d+) unchanged "
    r"across (\d+) catalog items"
)


def _demo(*args: str) -> tuple[int, ...]:
    r = invoke("demo", *args)
    assert r.exit_code == 0, r.output
    m = DEMO_RE.search(flat(r.stdout))
    assert m, r.stdout
    return tuple(int(g) for g in m.groups())


def test_demo_same_seed_twice_adds_no_new_records(cli: Settings, platform: Platform) -> None:
    # Seed 5 draws two registration_info rows for one organisation (one record per subject,
    # Art. 18(1)); a repeat run must not flip that record back and forth.
    args = ("--subjects", "30", "--records", "60", "--seed", "5")
    units, persons, minors, orgs, new, updated, unchanged, items = _demo(*args)
    assert units > 0 and persons + orgs == 30 and 0 <= minors <= persons
    assert new > 0 and items > 0
    assert 0 < new + updated + unchanged <= 60
    records = count(platform.engine, "credit_record")
    assert records == new
    versions = count(platform.engine, "record_version")
    subjects = count(platform.engine, "subject")
    assert subjects == 30

    second = _demo(*args)
    assert second[:4] == (units, persons, minors, orgs)
    assert second[4] == 0  # no new records
    assert second[5] == 0  # and nothing rewritten
    assert second[6] == new + updated + unchanged
    assert count(platform.engine, "credit_record") == records
    assert count(platform.engine, "record_version") == versions
    assert count(platform.engine, "subject") == subjects
    r = invoke("audit", "verify")
    assert r.exit_code == 0 and json_lines(r)[0]["ok"] is True


def test_demo_options_are_validated(fixed_clock: None) -> None:
    assert invoke("demo", "--subjects", "0").exit_code == 2
    assert invoke("demo", "--records", "-1").exit_code == 2
    assert invoke("demo", "--subjects", "abc").exit_code == 2


# --- the error contract of main(): one line, exit 2, no traceback ---------------------------


CONFIG_CASES = {
    "mysql_url": (
        {"PCIP_DATABASE_URL": "mysql://x/y"},
        ["catalog", "list"],
        ["error: PCIP_DATABASE_URL scheme 'mysql' is not supported"],
    ),
    "unreachable_postgres": (
        {"PCIP_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nope"},
        ["init"],
        ["error: cannot open database", "127.0.0.1:1/nope"],
    ),
    "sqlite_without_path": (
        {"PCIP_DATABASE_URL": "sqlite:///"},
        ["provider", "list"],
        ["error: PCIP_DATABASE_URL needs a file path for SQLite"],
    ),
    "garbage_url": (
        {"PCIP_DATABASE_URL": "::::"},
        ["audit", "verify"],
        ["error: PCIP_DATABASE_URL is not a database URL"],
    ),
    "non_numeric_url_port": (
        {"PCIP_DATABASE_URL": "postgresql://postgres@127.0.0.1:notaport/db"},
        ["init"],
        ["error: PCIP_DATABASE_URL"],
    ),
    "sqlite_under_a_file": (
        {"PCIP_DATABASE_URL": "sqlite:////dev/null/x/pcip.sqlite3"},
        ["init"],
        ["error: PCIP_DATABASE_URL", "/dev/null"],
    ),
    "broken_url_demo": (
        {"PCIP_DATABASE_URL": "mysql://x/y"},
        ["demo", "--subjects", "3", "--records", "3"],
        ["PCIP_DATABASE_URL"],
    ),
    "broken_url_provider_add": (
        {"PCIP_DATABASE_URL": "mysql://x/y"},
        ["provider", "add", UNIT_USCC, "单位", "--items", "admin_penalty"],
        ["PCIP_DATABASE_URL"],
    ),
    "port_not_a_number": (
        {"PCIP_PORT": "abc"},
        ["serve"],
        ["error: PCIP_PORT is invalid"],
    ),
    "port_out_of_range": (
        {"PCIP_PORT": "70000"},
        ["catalog", "list"],
        ["error: PCIP_PORT is invalid"],
    ),
    "now_garbage": (
        {"PCIP_NOW": "garbage"},
        ["id", "check", "11010519491231002X"],
        ["error: PCIP_NOW is invalid"],
    ),
    "uninitialised": (
        {"PCIP_DATABASE_URL": "sqlite:///{tmp}/empty/pcip.sqlite3"},
        ["catalog", "list"],
        ["is not initialised; run 'pcip init'"],
    ),
}


@pytest.mark.parametrize("case", list(CONFIG_CASES))
def test_cli_config_errors_are_one_line(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, args, fragments = CONFIG_CASES[case]
    env = {"PCIP_NOW": NOW, **{k: v.replace("{tmp}", str(tmp_path)) for k, v in env.items()}}
    env.setdefault("PCIP_DATABASE_URL", f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    env.setdefault("PCIP_HOME", str(tmp_path / "home"))
    assert_one_line_error(run_main(monkeypatch, *args, env=env), *fragments)


def _delete_key(settings: Settings) -> list[str]:
    keyring_path(settings.keys_dir).unlink()
    return [f"key file {keyring_path(settings.keys_dir)} is missing"]


def _corrupt_key(settings: Settings) -> list[str]:
    keyring_path(settings.keys_dir).write_text('{"format": "pcip-keyring/1", "data_keys": 1}')
    return [f"key file {keyring_path(settings.keys_dir)}", "active_key_id"]


def _garble_key(settings: Settings) -> list[str]:
    keyring_path(settings.keys_dir).write_text("{not json")
    return [f"key file {keyring_path(settings.keys_dir)} cannot be read"]


DB_CASES: dict[str, tuple[Callable[[Settings], list[str]], list[str], list[str]]] = {
    "malformed_uscc": (
        lambda s: [],
        ["provider", "add", "91500000MA5U000000", "单位", "--items", "admin_penalty"],
        ["error: uscc: "],
    ),
    "citizen_id_as_uscc": (
        lambda s: [],
        ["provider", "add", "11010519491231002X", "单位", "--items", "admin_penalty"],
        ["error: uscc: "],
    ),
    "unknown_item": (
        lambda s: [],
        ["provider", "add", UNIT_USCC, "单位", "--items", "admin_penalty,nope_item"],
        ["error: item: unknown catalog item 'nope_item'"],
    ),
    "missing_key_catalog_list": (_delete_key, ["catalog", "list"], []),
    "missing_key_init": (_delete_key, ["init"], ["restore the key file"]),
    "corrupted_key_catalog_list": (_corrupt_key, ["catalog", "list"], []),
    "garbled_key_init": (_garble_key, ["init"], []),
    "garbled_key_demo": (_garble_key, ["demo", "--subjects", "3", "--records", "3"], []),
}


@pytest.mark.parametrize("case", list(DB_CASES))
def test_cli_errors_on_an_initialised_database_are_one_line(
    cli: Settings, platform: Platform, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup, args, fragments = DB_CASES[case]
    path = keyring_path(cli.keys_dir)
    before = counts(platform.engine)
    fragments = [*fragments, *setup(cli)]
    key_after_setup = path.read_bytes() if path.exists() else None
    assert_one_line_error(run_main(monkeypatch, *args), *fragments)
    assert counts(platform.engine) == before  # nothing stored, nothing audited
    # A failed command never writes, deletes or "repairs" the key file.
    assert (path.read_bytes() if path.exists() else None) == key_after_setup


def test_cli_error_line_is_not_wrapped(tmp_path: Path) -> None:
    proc = run_pcip("catalog", "list", env={"PCIP_DATABASE_URL": "mysql://x/y"}, wide=False)
    assert_one_line_error(proc, "PCIP_DATABASE_URL", "postgresql://user@host:port/dbname")


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--subjects", "0"],
        ["provider", "add", UNIT_USCC, "单位"],
        ["id", "check"],
        ["no-such-command"],
    ],
    ids=["demo_subjects_0", "provider_add_without_items", "id_check_no_values", "unknown_command"],
)
def test_cli_usage_errors_are_one_line(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"PCIP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PCIP_NOW": NOW}
    assert_one_line_error(run_main(monkeypatch, *args, env=env), "error")


def test_cli_the_installed_console_script_keeps_the_contract(tmp_path: Path) -> None:
    """The real console script, in a process of its own: what ``run_main`` cannot show (the
    entry point as installed, an interpreter that imports pcip from nothing), for a usage
    error (Click's). A configuration error in a real process is
    test_cli_error_line_is_not_wrapped's (it was also run here: one interpreter more)."""
    env = {"PCIP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    assert_one_line_error(run_pcip("no-such-command", env=env), "No such command")


def test_art28_serve_stops_its_background_rounds_when_the_server_ends(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit checkpoints (Art. 28) and the objection watch (D-2) run beside the server and
    end with it: once ``serve`` returns, neither thread is left reading a database that may
    be gone (in the suite they printed "database does not exist" after a test's copy was
    dropped)."""
    import threading

    import uvicorn

    seen: list[set[str]] = []

    def run(*_: Any, **__: Any) -> None:
        seen.append({t.name for t in threading.enumerate()})

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("PCIP_OBJECTION_WATCH_SECONDS", "3600")
    reset_settings()
    result = runner.invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert {"pcip-objection-watch", "pcip-checkpoints"} <= seen[0]
    # Issue 22.5: the inquiry log's partitions are kept ahead by the server (PostgreSQL).
    postgres = cli_env.database_url.startswith("postgresql")
    assert ("pcip-partitions" in seen[0]) == postgres
    alive = {t.name for t in threading.enumerate()}
    assert not alive & {"pcip-objection-watch", "pcip-checkpoints", "pcip-partitions"}
