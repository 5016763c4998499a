"""Ingestion end to end (Art. 16, 19, 20, 21, 23): files in, records, ledger and reports out."""

from __future__ import annotations

import csv
import io
import json
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pcip import clock
from pcip.errors import Forbidden, NotFound
from pcip.kernel.platform import Platform
from pcip.records.ingest import IngestSummary
from pcip.records.models import Batch, CreditRecord, RecordVersion, RejectedRow
from pcip.records.readers import FileFormat, FileProblem, sha256_file
from pcip.records.reports import write_rejected
from pcip.subjects.models import ResponsibleLink, Subject
from tests.records.builders import count, penalty_rows, run, write_csv


def test_art20_file_is_ledgered_and_rows_stored(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 25))
    summary = run(platform, path)
    assert (summary.accepted, summary.rejected, summary.unchanged) == (25, 0, 0)
    assert count(platform, CreditRecord) == 25
    with platform.transaction() as s:
        batch = s.get(Batch, summary.batch_id)
        assert batch is not None and batch.status == "completed"
        assert batch.source_sha256 == sha256_file(path) and batch.accepted == 25
        versions = s.scalars(select(RecordVersion)).all()
        assert {v.batch_id for v in versions} == {summary.batch_id}  # provenance, Art. 20
        # Art. 33: the legal representatives in CF_FRDB / CF_FR_ZJHM are linked.
        assert s.scalar(select(func.count()).select_from(ResponsibleLink)) == 25


def test_art20_resubmission_changes_nothing(platform: Platform, unit: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 10))
    run(platform, path)
    again = run(platform, path)
    assert (again.accepted, again.updated, again.unchanged) == (0, 0, 10)
    assert count(platform, RecordVersion) == 10


def test_art20_changed_row_becomes_a_new_version(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 5)
    run(platform, write_csv(tmp_path / "a.csv", rows))
    rows[2]["CF_NR"] = "罚款人民币五千元（更正）"
    summary = run(platform, write_csv(tmp_path / "b.csv", rows))
    assert (summary.updated, summary.unchanged) == (1, 4)
    with platform.transaction() as s:
        versions = s.scalars(select(RecordVersion).where(RecordVersion.version == 2)).all()
        assert len(versions) == 1 and versions[0].reason == "resubmitted with changes"
    assert count(platform, CreditRecord) == 5


def test_art20_duplicate_rows_within_a_batch(platform: Platform, unit: str, tmp_path: Path) -> None:
    rows = penalty_rows(platform, 3)
    conflicting = dict(rows[1], CF_NR="不同的处罚内容")
    summary = run(platform, write_csv(tmp_path / "d.csv", [*rows, dict(rows[0]), conflicting]))
    assert summary.accepted == 3 and summary.unchanged == 1 and summary.rejected == 1
    assert summary.errors[0].line == 6 and summary.errors[0].code == "conflict"
    assert count(platform, CreditRecord) == 3


def test_art16_unknown_item_is_quarantined_and_nothing_stored(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 3))
    with pytest.raises(NotFound, match="quarantined, nothing stored"):
        run(platform, path, item="no_such_item")
    assert count(platform, CreditRecord) == 0 and count(platform, Subject) == 0
    with platform.transaction() as s:
        batch = s.scalars(select(Batch)).one()
        assert batch.status == "quarantined" and batch.item_code == "no_such_item"
        assert batch.source_sha256 == sha256_file(path)


def test_art20_unit_may_submit_only_registered_items(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "p.csv", penalty_rows(platform, 3))
    with pytest.raises(Forbidden, match="not registered"):
        run(platform, path, item="tax_arrears")
    assert count(platform, CreditRecord) == 0
    with platform.transaction() as s:
        assert s.scalars(select(Batch.status)).one() == "refused"


def test_art19_21_23_bad_rows_are_rejected_with_line_and_field(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 6)
    rows[0]["CF_XDR_SHXYM"] = ""  # Art. 19: no USCC -> never matched by name
    rows[1]["CF_WSH"] = ""  # Art. 21: no basis document
    rows[2]["CF_JDRQ"] = "2027-01-01"  # Art. 21: future decision
    rows[3]["CF_XDR_SHXYM"] = rows[3]["CF_XDR_SHXYM"][:-1] + "0"  # bad check character
    for r in rows:
        r["MOBILE_PHONE"] = "13800000000"  # Art. 23: outside the schema
    summary = run(platform, write_csv(tmp_path / "bad.csv", rows))
    assert summary.accepted == 2 and summary.rejected == 4
    by_line = {e.line: e for e in summary.errors}
    assert by_line[2].field == "CF_XDR_SHXYM" and "USCC" in by_line[2].message
    assert by_line[3].field == "CF_WSH"
    assert by_line[4].field == "CF_JDRQ" and "future" in by_line[4].message
    assert by_line[5].field == "CF_XDR_SHXYM"
    assert any("MOBILE_PHONE" in w and "Art. 23" in w for w in summary.warnings)
    with platform.transaction() as s:
        stored = s.scalars(select(RecordVersion)).all()
        assert all("MOBILE_PHONE" not in v.payload for v in stored)
        assert s.scalar(select(func.count()).select_from(RejectedRow)) == 4


def test_art20_rejected_rows_report_can_be_fixed_and_resubmitted(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 4)
    good_wsh = rows[1]["CF_WSH"]
    rows[1]["CF_WSH"] = ""
    summary = run(platform, write_csv(tmp_path / "first.csv", rows))
    assert summary.rejected == 1
    with platform.transaction() as s:
        buf = io.StringIO()
        assert write_rejected(s, summary.batch_id or 0, buf) == 1
    report = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert report[0]["_line"] == "3" and "CF_WSH" in report[0]["_errors"]
    assert report[0]["CF_XDR_MC"] == rows[1]["CF_XDR_MC"]  # the original columns come back
    report[0]["CF_WSH"] = good_wsh  # the unit fixes the row and resubmits the report
    fixed = write_csv(tmp_path / "fixed.csv", report)
    again = run(platform, fixed)
    assert again.accepted == 1 and again.rejected == 0
    assert any("_errors" in w for w in again.warnings)  # report columns dropped (Art. 23)


def test_art20_gbk_file_keeps_chinese_text(platform: Platform, unit: str, tmp_path: Path) -> None:
    rows = penalty_rows(platform, 3)
    summary = run(platform, write_csv(tmp_path / "gbk.csv", rows, encoding="gbk"))
    assert summary.accepted == 3
    with platform.transaction() as s:
        names = set(s.scalars(select(Subject.name).where(Subject.kind != "person")))
        assert names == {r["CF_XDR_MC"] for r in rows}


def test_art20_unreadable_file_stores_nothing_and_is_ledgered(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "mixed.csv", penalty_rows(platform, 3))
    with path.open("ab") as fh:  # a GBK line appended to a UTF-8 file
        fh.write("重庆某公司,法人及非法人组织\n".encode("gbk") * 3)
    with pytest.raises(FileProblem, match="nothing stored"):
        run(platform, path)
    assert count(platform, CreditRecord) == 0 and count(platform, Subject) == 0
    with platform.transaction() as s:
        assert s.scalars(select(Batch.status)).one() == "failed"


def test_art20_truncated_file(platform: Platform, unit: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cut.csv", penalty_rows(platform, 4))
    data = path.read_bytes()
    cut = data[: data.rstrip(b"\n").rfind(b",")]  # the last row loses its last fields
    path.write_bytes(cut)
    summary = run(platform, path)
    assert summary.accepted == 3 and summary.rejected == 1
    assert summary.errors[0].line == 5 and summary.errors[0].code == "malformed"


def test_art20_jsonl_and_xlsx_files(platform: Platform, unit: str, tmp_path: Path) -> None:
    import openpyxl

    rows = penalty_rows(platform, 6)
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:3]))
    assert run(platform, jsonl, fmt=FileFormat.JSONL).accepted == 3
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(rows[0]))
    for r in rows[3:]:
        sheet.append(list(r.values()))
    book.save(tmp_path / "p.xlsx")
    assert run(platform, tmp_path / "p.xlsx", fmt=FileFormat.XLSX).accepted == 3
    assert count(platform, CreditRecord) == 6


def test_facts1_individual_business_with_placeholder_uscc(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 2)
    rows[0].update(
        CF_XDR_LB="个体工商户",
        CF_XDR_SHXYM="00000000000000000X",
        CF_XDR_GSZC="500103600012345",
        CF_XDR_MC="渝中区张记面馆",
    )
    rows[1].update(CF_XDR_LB="个体工商户", CF_XDR_SHXYM="00000000000000000X", CF_XDR_GSZC="")
    summary = run(platform, write_csv(tmp_path / "ib.csv", rows))
    assert summary.accepted == 1 and summary.errors[0].field == "CF_XDR_GSZC"
    with platform.transaction() as s:
        subject = s.scalars(select(Subject).where(Subject.registration_no.is_not(None))).one()
        assert subject.name == "渝中区张记面馆" and subject.uscc is None


def test_art19_new_name_for_known_uscc_is_one_subject(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 1)
    run(platform, write_csv(tmp_path / "a.csv", rows))
    renamed = dict(rows[0], CF_XDR_MC="重庆改名后的公司", CF_WSH="渝中市监罚〔2026〕99999号")
    run(platform, write_csv(tmp_path / "b.csv", [renamed]))
    with platform.transaction() as s:
        org = s.scalars(select(Subject).where(Subject.uscc == rows[0]["CF_XDR_SHXYM"])).one()
        assert org.name == "重庆改名后的公司"
    assert count(platform, CreditRecord) == 2


def test_art20_concurrent_submissions_store_each_record_once(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "same.csv", penalty_rows(platform, 40))
    results: list[IngestSummary] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with clock.frozen("2026-11-26T10:00:00"):
                results.append(run(platform, path))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(r.accepted for r in results) == [0, 40]
    assert sorted(r.unchanged for r in results) == [0, 40]
    assert count(platform, CreditRecord) == 40 and count(platform, RecordVersion) == 40


def test_art27_no_clear_id_number_anywhere_at_rest(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    """Persons' numbers (subjects, legal representatives, rejected rows) are never stored clear."""
    from sqlalchemy import text

    from pcip.db import Base
    from tests.helpers import citizen_id

    rows = penalty_rows(platform, 4)
    person = citizen_id(4242, born=date(1988, 8, 8))
    rows[0].update(
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM="",
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=person,
        CF_XDR_MC="钱七",
    )
    rows[1]["CF_JDRQ"] = "not a date"  # rejected: kept, but sealed
    summary = run(platform, write_csv(tmp_path / "p.csv", rows))
    assert summary.accepted == 3 and summary.rejected == 1
    secrets = {person} | {r["CF_FR_ZJHM"] for r in rows if r["CF_FR_ZJHM"]}
    with platform.transaction() as s:
        for table in Base.metadata.sorted_tables:
            for record in s.execute(text(f"SELECT * FROM {table.name}")):
                dump = " ".join(str(v) for v in record)
                assert not any(x in dump for x in secrets), table.name
        # ... yet the unit's download of its rejected row gives back what it sent.
        buf = io.StringIO()
        write_rejected(s, summary.batch_id or 0, buf)
    assert rows[1]["CF_FR_ZJHM"] in buf.getvalue()
