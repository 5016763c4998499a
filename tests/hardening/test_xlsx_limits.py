"""Issue 23 point 2: an XLSX file is opened with limits; a refusal is a failed batch with its
reason in the ledger, never an unexpected error.

The hostile files are made here: a zip bomb of about half a megabyte that expands to about
half a gigabyte (one sheet part of one repeated character, deflated at level 9), a "wide"
sheet (cells in column XFD, 16,384, on every row), and a cell longer than Excel allows.
"""

from __future__ import annotations

import io
import resource
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from pcip import clock
from pcip.kernel.platform import Platform
from pcip.providers.service import add_provider
from pcip.records.ingest import ingest_file
from pcip.records.models import Batch
from pcip.records.readers import (
    MAX_XLSX_CELL_CHARS,
    MAX_XLSX_COLUMNS,
    FileProblem,
)
from tests.records.builders import ACTOR, UNIT, penalty_rows

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen("2026-11-26T10:00:00"):
        yield


@pytest.fixture
def unit(platform: Platform) -> str:
    with platform.transaction() as s:
        add_provider(s, ACTOR, UNIT, "重庆市市场监督管理局", ["admin_penalty"])
    return UNIT


def _workbook(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_sheet(template: bytes, path: Path, write_sheet: object) -> Path:
    """``template`` with its first sheet's XML replaced by what ``write_sheet(fh)`` writes."""
    with (
        zipfile.ZipFile(io.BytesIO(template)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out,
    ):
        for info in src.infolist():
            if info.filename == SHEET:
                with out.open(SHEET, "w", force_zip64=True) as fh:
                    write_sheet(fh)  # type: ignore[operator]
            else:
                out.writestr(info, src.read(info.filename))
    return path


def _header(platform: Platform) -> list[str]:
    return list(penalty_rows(platform, 1)[0])


def _ingest_refused(platform: Platform, path: Path) -> tuple[str, Batch]:
    with pytest.raises(FileProblem) as refused:
        ingest_file(platform, ACTOR, path, provider_uscc=UNIT, item_code="admin_penalty")
    with platform.transaction() as s:
        batch = s.scalars(select(Batch).order_by(Batch.id.desc())).first()
        assert batch is not None
        s.expunge(batch)
    return refused.value.message, batch


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_issue23_p2_an_xlsx_zip_bomb_is_a_failed_batch_without_expanding_it(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    """Before: a 511 KB bomb took the server to 4.2 GB and ended in an unexpected error."""
    template = _workbook([_header(platform)])
    expanded = 512 * 1024 * 1024
    piece = b"A" * (1024 * 1024)

    def bomb(fh: io.BufferedWriter) -> None:
        fh.write(_SHEET_HEAD.encode())
        fh.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        for _ in range(expanded // len(piece)):
            fh.write(piece)
        fh.write(b"</t></is></c></row>" + _SHEET_TAIL.encode())

    path = _with_sheet(template, tmp_path / "bomb.xlsx", bomb)
    size = path.stat().st_size
    assert size < 1024 * 1024, size  # about half a megabyte on disk
    before = _rss_mib()
    message, batch = _ingest_refused(platform, path)
    assert _rss_mib() - before < 100, "the bomb was expanded into memory"
    assert "zip bomb" in message and SHEET in message
    assert batch.status == "failed" and batch.error is not None and "expands" in batch.error
    assert batch.source_name == "bomb.xlsx" and batch.accepted == 0


def test_issue23_p2_a_wide_xlsx_is_refused_at_its_first_wide_row(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    """Before: a 165 KB sheet with cells in column XFD took 22 s of CPU (every row padded to
    16,384 cells); now the first such row refuses the file, naming the cell."""
    header = _header(platform)
    template = _workbook([header])

    def wide(fh: io.BufferedWriter) -> None:
        fh.write(_SHEET_HEAD.encode())
        cells = "".join(
            f'<c r="{openpyxl.utils.get_column_letter(i + 1)}1" t="inlineStr"><is><t>{name}</t>'
            "</is></c>"
            for i, name in enumerate(header)
        )
        fh.write(f'<row r="1">{cells}</row>'.encode())
        for r in range(2, 20_002):
            row = f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="XFD{r}"><v>1</v></c></row>'
            fh.write(row.encode())
        fh.write(_SHEET_TAIL.encode())

    path = _with_sheet(template, tmp_path / "wide.xlsx", wide)
    message, batch = _ingest_refused(platform, path)
    assert f"at most {MAX_XLSX_COLUMNS} columns" in message and "XFD2" in message
    assert batch.status == "failed" and "XFD2" in (batch.error or "")


def test_issue23_p2_an_overlong_xlsx_cell_is_refused(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    header = _header(platform)
    long = "x" * (MAX_XLSX_CELL_CHARS + 1)  # openpyxl itself would not write it

    def sheet(fh: io.BufferedWriter) -> None:
        cells = "".join(
            f'<c r="{openpyxl.utils.get_column_letter(i + 1)}1" t="inlineStr"><is><t>{name}</t>'
            "</is></c>"
            for i, name in enumerate(header)
        )
        row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>{long}</t></is></c></row>'
        fh.write(f'{_SHEET_HEAD}<row r="1">{cells}</row>{row}{_SHEET_TAIL}'.encode())

    path = _with_sheet(_workbook([header]), tmp_path / "long.xlsx", sheet)
    message, batch = _ingest_refused(platform, path)
    assert "A2" in message and f"{MAX_XLSX_CELL_CHARS:,} characters" in message
    assert batch.status == "failed"


def test_issue23_p2_an_ordinary_xlsx_still_ingests(
    platform: Platform, unit: str, tmp_path: Path
) -> None:
    rows = penalty_rows(platform, 30)
    header = list(rows[0])
    path = tmp_path / "ok.xlsx"
    path.write_bytes(_workbook([header, *[[r[h] for h in header] for r in rows]]))
    summary = ingest_file(platform, ACTOR, path, provider_uscc=UNIT, item_code="admin_penalty")
    assert summary.accepted == 30 and summary.rejected == 0
