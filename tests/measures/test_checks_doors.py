"""Credit checks (Art. 31, 34): the single-subject CLI answers like the API and is logged
(Art. 22); a batch counts towards the Art. 28 volume alert; the batch's fast CSV path answers
exactly as the general reader does."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pcip import clock
from pcip.config import Settings, reset_settings
from pcip.inquiry.models import InquiryAlert, InquiryLog
from pcip.inquiry.schemas import Channel, SubjectRef
from pcip.kernel.platform import Platform
from pcip.measures import checks
from pcip.measures.schemas import CheckIn
from tests.helpers import citizen_id, uscc
from tests.lists.support import COMPANY, UNIT, listed, staff

ON = date(2026, 11, 12)
runner = CliRunner()


def _cli(*args: str) -> tuple[int, list[dict[str, object]], str]:
    from pcip.cli import app

    with clock.frozen(ON):
        result = runner.invoke(app, ["measures", *args])
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return result.exit_code, lines, result.output + repr(result.exception)


def test_art31_art34_cli_check_prints_the_api_answer_and_is_logged(
    platform: Platform, cli_env: Settings
) -> None:
    who = staff(platform)
    did = listed(platform, who)
    purpose = "政府采购供应商资格审查"
    code, [answer], out = _cli(
        "check", "--unit", UNIT, "--matter", "procurement", "--purpose", purpose, "--uscc", COMPANY
    )
    assert code == 0, out
    body = CheckIn(subject=SubjectRef(uscc=COMPANY), matter="procurement", purpose=purpose)
    with clock.frozen(ON), platform.transaction() as s:
        api = checks.check(s, platform.keyring, who, body, Channel.API).model_dump(mode="json")
        logged = s.get(InquiryLog, answer["inquiry_id"])
        assert logged is not None and logged.mode == "authority"
        assert logged.purpose == f"credit_check:procurement: {purpose}"
        assert logged.inquirer_display == "重庆市市场监督管理局"
    assert {k: v for k, v in answer.items() if k != "inquiry_id"} == {
        k: v for k, v in api.items() if k != "inquiry_id"
    }
    [reason] = answer["measures"]  # type: ignore[misc]
    assert reason["measure"] == "no_government_procurement"
    assert reason["designation_id"] == did and reason["listed_on"] == "2026-11-10"
    assert "政府采购法" in reason["legal_basis"]


def test_art31_cli_check_names_the_wrong_option(platform: Platform, cli_env: Settings) -> None:
    staff(platform)
    code, _, out = _cli("check", "--unit", UNIT, "--matter", "procurement", "--purpose", "审查")
    assert code != 0 and "--uscc" in out
    code, _, out = _cli(
        "check", "--unit", UNIT, "--matter", "lottery", "--purpose", "审查", "--uscc", COMPANY
    )
    assert code != 0 and "matter" in out


@pytest.fixture
def threshold(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("PCIP_INQUIRY_ALERT_PER_HOUR", "1")
    reset_settings()
    return 1


def test_art28_a_batch_check_counts_each_subject_towards_the_volume_alert(
    platform: Platform, tmp_path: Path, threshold: int
) -> None:
    who = staff(platform)
    listed(platform, who)
    src = tmp_path / "keys.csv"
    src.write_text(f"uscc\n{COMPANY}\n{uscc(999)}\n", encoding="utf-8")
    at = "2026-11-12T10:15:00+08:00"
    with clock.frozen(at), platform.transaction() as s:
        checks.batch(
            s, platform.keyring, who, src, matter="procurement", purpose="政府采购资格审查",
            result_path=tmp_path / "r1.csv",
        )  # fmt: skip
        assert s.scalars(select(InquiryAlert)).all() == []  # one subject: at the threshold
    with clock.frozen(at), platform.transaction() as s:
        checks.batch(
            s, platform.keyring, who, src, matter="procurement", purpose="政府采购资格审查",
            result_path=tmp_path / "r2.csv",
        )  # fmt: skip
        [alert] = s.scalars(select(InquiryAlert)).all()
        assert alert.inquirer == str(who.actor) and alert.count == 2
        assert alert.threshold == threshold


def _run(platform: Platform, src: Path, out: Path) -> dict[str, object]:
    who = staff(platform)
    with clock.frozen(ON), platform.transaction() as s:
        summary = checks.batch(
            s, platform.keyring, who, src, matter="licence", purpose="行政许可审查",
            result_path=out,
        )  # fmt: skip
    return summary.model_dump(exclude={"seconds"})


def test_art19_art31_the_fast_csv_path_answers_as_the_general_reader(
    platform: Platform, tmp_path: Path
) -> None:
    listed(platform, staff(platform))
    bad_check = uscc(7)[:17] + ("0" if uscc(7)[17] != "0" else "1")
    rows = [
        ("uscc", "citizen_id"),
        (COMPANY, ""),
        (COMPANY.lower(), ""),  # normalised, as the validator does
        (f" {uscc(999)} ", ""),
        (bad_check, ""),
        ("00000000000000000X", ""),
        ("", citizen_id(5)),
        ("", "110101199001011234"),
        (COMPANY, citizen_id(5)),
        ("", ""),
    ]
    plain = "\n".join(",".join(r) for r in rows) + "\n" + "a,b,c\n"
    quoted = "\n".join(",".join(f'"{v}"' for v in r) for r in rows) + "\n" + '"a","b","c"\n'
    (tmp_path / "plain.csv").write_text(plain, encoding="utf-8")
    (tmp_path / "quoted.csv").write_text(quoted, encoding="utf-8")
    assert checks._plain_csv_rows(tmp_path / "plain.csv") is not None
    assert checks._plain_csv_rows(tmp_path / "quoted.csv") is None
    fast = _run(platform, tmp_path / "plain.csv", tmp_path / "fast.csv")
    general = _run(platform, tmp_path / "quoted.csv", tmp_path / "general.csv")
    assert fast == general
    assert (tmp_path / "fast.csv").read_text("utf-8-sig") == (tmp_path / "general.csv").read_text(
        "utf-8-sig"
    )
    assert fast["rows"] == 9 and fast["found"] == 2 and fast["listed"] == 2
    messages = {e["line"]: e["message"] for e in fast["errors"]}  # type: ignore[attr-defined]
    assert "check character" in str(messages[5]) and "placeholder" in str(messages[6])
    assert "row has 3 fields" in str(messages[11])
