"""Reading an XLSX file (Art. 20): the first worksheet in openpyxl's read-only mode, checked
first against zip bombs and oversized sheets (issue 23; see ``pcip.records.readers``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Generator, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from pcip.kernel.messages import Message, msg
from pcip.records.rows import (
    MAX_XLSX_CELL_CHARS,
    MAX_XLSX_COLUMNS,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_RATIO,
    MAX_XLSX_RATIO_FLOOR,
    MAX_XLSX_ROWS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_UNCOMPRESSED,
    FileFormat,
    FileInfo,
    FileProblem,
    ProgressFn,
    Row,
    RowIterator,
    _check_names,
    _clean_name,
    _nul_problem,
    _open_binary,
)


def get_column_letter(n: int) -> str:
    """Excel's letters of column ``n`` (1 is A, 27 is AA), as openpyxl writes them: openpyxl
    is imported only when an XLSX file is read (importing it cost every other ingest 0.08 s
    of CPU at start-up)."""
    from openpyxl.utils import get_column_letter as letters  # type: ignore[import-untyped]

    return str(letters(n))


def _cell_text(value: Any) -> str:
    """A cell value as text, the way a unit reads it in Excel."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel shows 15 significant digits; 0.1+0.2 is 0.3 to the unit, not 0.30000000000000004.
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _sheet_rows(ws: Any, sheet: str) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
    """(sheet row number, cell values), converting openpyxl's many errors into FileProblem.

    The sheet's XML is parsed with openpyxl's own row parser, one row at a time, without
    openpyxl's padding of every row to the widest column and of every missing row (a sheet
    with one cell in column XFD, or a row numbered 1,000,000 after row 2, cost minutes of CPU
    that way). A row is padded only up to its own last cell, which :data:`MAX_XLSX_COLUMNS`
    bounds; rows beyond :data:`MAX_XLSX_ROWS` and cells longer than :data:`MAX_XLSX_CELL_CHARS`
    refuse the file. The sheet's stored dimensions are never trusted.
    """
    from openpyxl.worksheet._reader import WorkSheetParser  # type: ignore[import-untyped]

    wb = ws.parent
    source = ws._get_source()
    try:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        rows = parser.parse()
        number = 0
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except FileProblem:
                raise
            except Exception as exc:  # damaged sheet XML: openpyxl/lxml raise assorted types
                reason = msg("records.xlsx_unreadable", why=exc)
                raise FileProblem(_at_row(sheet, number + 1, reason), line=number + 1) from None
            yield number, _row_values(cells, number, sheet)
    finally:
        source.close()  # closes the sheet's XML stream before the workbook is closed


def _at_row(sheet: str, row: int, reason: Message) -> Message:
    return msg(
        "records.at", where=msg("records.where_sheet_row", sheet=sheet, row=row), reason=reason
    )


def _at_cell(sheet: str, cell: str, reason: Message) -> Message:
    where = msg("records.where_sheet_cell", sheet=sheet, cell=cell)
    return msg("records.at", where=where, reason=reason)


def _row_values(cells: list[dict[str, Any]], number: int, sheet: str) -> tuple[Any, ...]:
    if number > MAX_XLSX_ROWS:
        reason = msg("records.xlsx_too_many_rows", n=f"{MAX_XLSX_ROWS:,}")
        raise FileProblem(_at_row(sheet, number, reason), line=number)
    if not cells:
        return ()
    width = max(int(cell["column"]) for cell in cells)
    if width > MAX_XLSX_COLUMNS:
        letter = get_column_letter(width)
        reason = msg(
            "records.xlsx_too_many_columns",
            n=MAX_XLSX_COLUMNS,
            letter=get_column_letter(MAX_XLSX_COLUMNS),
        )
        raise FileProblem(_at_cell(sheet, f"{letter}{number}", reason), line=number)
    values: list[Any] = [None] * width
    for cell in cells:
        value = cell["value"]
        if isinstance(value, str) and len(value) > MAX_XLSX_CELL_CHARS:
            where_cell = f"{get_column_letter(int(cell['column']))}{number}"
            reason = msg(
                "records.xlsx_cell_too_long", n=f"{MAX_XLSX_CELL_CHARS:,}", got=f"{len(value):,}"
            )
            raise FileProblem(_at_cell(sheet, where_cell, reason), line=number)
        values[int(cell["column"]) - 1] = value
    return tuple(values)


def _check_archive(f: IO[bytes]) -> None:
    """Refuse a workbook whose zip entries would expand beyond the limits, before parsing.

    An XLSX file is a zip archive of XML. A "zip bomb" (a small file whose entries expand to
    gigabytes) would otherwise be expanded by the parser into memory. The sizes checked are
    the ones the archive declares; Python's zipfile never inflates an entry beyond its
    declared size (a lying entry fails its CRC check), so they bound the work.
    """
    try:
        with zipfile.ZipFile(f) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise FileProblem(msg("records.xlsx_unreadable", why=exc)) from None
    finally:
        f.seek(0)
    if len(entries) > MAX_XLSX_ENTRIES:
        got, n = f"{len(entries):,}", f"{MAX_XLSX_ENTRIES:,}"
        raise FileProblem(msg("records.xlsx_too_many_parts", got=got, n=n))
    total = 0
    for entry in entries:
        total += entry.file_size
        expands = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MAX_XLSX_RATIO_FLOOR and expands > MAX_XLSX_RATIO:
            raise FileProblem(
                msg(
                    "records.xlsx_part_bomb",
                    part=entry.filename,
                    ratio=f"{expands:,.0f}",
                    size=f"{entry.file_size:,}",
                    n=MAX_XLSX_RATIO,
                )
            )
        if entry.filename.lower().endswith("sharedstrings.xml") and (
            entry.file_size > MAX_XLSX_SHARED_STRINGS
        ):
            size, n = f"{entry.file_size:,}", f"{MAX_XLSX_SHARED_STRINGS:,}"
            raise FileProblem(msg("records.xlsx_shared_strings", size=size, n=n))
    if total > MAX_XLSX_UNCOMPRESSED:
        size, n = f"{total:,}", f"{MAX_XLSX_UNCOMPRESSED:,}"
        raise FileProblem(msg("records.xlsx_too_big", size=size, n=n))


def _open_xlsx(path: Path, progress: ProgressFn | None) -> tuple[FileInfo, RowIterator]:
    f = _open_binary(path)
    wb: Any = None

    def release() -> None:
        if wb is not None:
            wb.close()
        f.close()

    try:
        _check_archive(f)
        try:
            # A file object, not a path: openpyxl refuses paths without an .xlsx extension.
            import openpyxl  # type: ignore[import-untyped]

            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError, ...)
            raise FileProblem(msg("records.xlsx_unreadable", why=exc)) from None
        if not wb.worksheets:
            raise FileProblem(msg("records.xlsx_no_sheet"))
        ws = wb.worksheets[0]
        rows = _sheet_rows(ws, ws.title)
        header = _xlsx_header(rows, ws.title)
    except BaseException:
        release()
        raise
    info = FileInfo(FileFormat.XLSX, None, header)
    size = path.stat().st_size
    return info, RowIterator(_xlsx_rows(rows, header, release, progress, size), release)


def _xlsx_header(rows: Iterator[tuple[int, tuple[Any, ...]]], sheet: str) -> tuple[str, ...]:
    for number, cells in rows:
        names = [_clean_name(_cell_text(v)) if v is not None else "" for v in cells]
        while names and not names[-1]:
            names.pop()  # rows are padded with empty cells on the right
        if names:
            return _check_names(
                names,
                msg("records.where_sheet_row", sheet=sheet, row=number),
                number,
                _column_letter,
            )
    raise FileProblem(msg("records.sheet_empty", sheet=sheet))


def _column_letter(i: int) -> str:
    return msg("records.column_letter", letter=get_column_letter(i + 1))


def _xlsx_rows(
    rows: Generator[tuple[int, tuple[Any, ...]], None, None],
    header: tuple[str, ...],
    release: Callable[[], None],
    progress: ProgressFn | None,
    size: int,
) -> Generator[Row, None, None]:
    try:
        for number, cells in rows:
            row = _xlsx_row(number, cells, header)
            if row is not None:
                yield row
        if progress is not None:
            progress(size)
    finally:
        rows.close()
        release()


def _xlsx_row(number: int, cells: tuple[Any, ...], header: tuple[str, ...]) -> Row | None:
    values: dict[str, str] = {}
    for i, value in enumerate(cells):
        if value is None:
            continue
        text = _cell_text(value)
        if i >= len(header):
            if text:
                last = get_column_letter(len(header))
                beyond = get_column_letter(i + 1)
                reason = f"cell {beyond}{number} has a value but the header ends at column {last}"
                return Row(number, None, reason)
            continue
        values[header[i]] = text
    if not any(values.values()):
        return None
    if (problem := _nul_problem(values)) is not None:
        return Row(number, None, problem)
    return Row(number, values, None)
