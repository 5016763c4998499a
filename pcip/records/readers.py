"""Turning a submitted file into rows (Art. 20 submissions, Art. 23 quality).

Providing units submit credit records as CSV, JSONL or XLSX files. This module only reads: it
streams a file into ``Row`` objects, each carrying the physical line (or sheet row) where it
starts, so every problem reported back to a unit points at a place it can find in its file.
Validation of the values is the ingestion pipeline's job.

Two kinds of problems, never a crash:

* ``FileProblem``: the file as a whole cannot be trusted (unreadable, wrong encoding half-way,
  cut off inside quotes, broken header). Nothing from it may be stored. ``open_rows`` raises it
  for problems found while opening (encoding, header); iterating raises it for problems found
  later (a line that does not decode, an unterminated quote at the end of the file).
* a malformed ``Row`` (``values is None``, ``problem`` says why): one row is unusable but the
  file's structure is intact, so the other rows are still read reliably.

Decisions:

* CSV encoding: a UTF-8 BOM means ``utf-8-sig``; else the first ``SAMPLE_BYTES`` decide: valid
  UTF-8 (a character cut by the sample's end is fine) means ``utf-8``, anything else
  ``gb18030`` (a superset of GBK). The rest is decoded strictly line by line; a line that does
  not decode is a ``FileProblem`` naming it. Limits: a file whose first MiB is ASCII and whose
  GBK text starts later is refused at that line (resave as UTF-8); UTF-8 lines inside a GB18030
  file mostly decode as (wrong) GB18030 characters and cannot be told apart reliably. UTF-16
  files (BOM) are refused with a hint.
* CSV dialect: comma-separated, or tab-separated when the header's first line has tabs and no
  commas. ``strict=True`` quoting; spaces before an opening quote are skipped (values are
  stripped anyway). Lines end at \n, \r\n or a lone \r; ``Row.line`` is the physical line
  where the record starts, so rows after a multi-line quoted field jump accordingly.
* CSV: an unterminated quoted field at the end of the file is a ``FileProblem`` (the file was
  cut, so its last record is unknown); a short last row without quotes is just a malformed row.
  Any other quoting error (a stray character after a closing quote, a field over the field
  limit) is also a ``FileProblem``: once quoting is broken the parser cannot know where later
  records start, and continuing could invent or lose rows.
* JSONL: one object per line, scalar values only. Numbers are kept as written (``1.50`` stays
  ``"1.50"``), booleans become ``"true"``/``"false"``, ``NaN``/``Infinity`` and duplicate keys
  make the row malformed (json would silently keep the last duplicate).
* XLSX: the first worksheet, its first non-empty row is the header; ``Row.line`` is the sheet
  row. Integral numbers lose their ``.0``, other floats show Excel's 15 significant digits,
  dates are ``YYYY-MM-DD`` (datetimes at midnight too), other datetimes ISO 8601. A value right
  of the last header column makes the row malformed. The sheet's stored dimensions are ignored
  (some generators write wrong ones, which would silently drop rows).
* Header names are stripped (a stray BOM too); an empty or duplicate name is a ``FileProblem``.
* CSV values include every header column (an empty field gives ``""``); JSONL ``null`` and empty
  XLSX cells are omitted. Downstream treats missing and empty alike.
* Blank rows (every field empty after stripping, e.g. ``,,,`` rows left by spreadsheet exports)
  are skipped, in every format; line numbers of later rows are unaffected.
* A value containing NUL (U+0000) makes its row malformed: databases cannot store it, and it
  almost always means a binary or UTF-16 file.
* Bounded memory: files are read line by line (XLSX through openpyxl's read-only mode); a CSV
  record or JSONL line longer than ``MAX_RECORD_BYTES`` is refused rather than buffered.
* Progress: ``progress(bytes_consumed)`` is called at most once per ``PROGRESS_STEP`` bytes and
  once at the end with the file size, for CSV and JSONL. For XLSX the compressed size says
  little about rows, so it is called once, with the file size, when iteration ends.

The returned row iterator closes the file when exhausted, on error, or when ``close()`` is
called (it is also a context manager); closing it early is how a caller abandons a file.

This module chooses the format and opens the file; ``read_csv``, ``read_jsonl`` and
``read_xlsx`` read each format, and ``rows`` holds what they share (the row, the file's
description, the problems, the limits and the row iterator).
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from pcip.errors import ValidationError
from pcip.kernel.messages import msg
from pcip.records.read_csv import _open_csv
from pcip.records.read_jsonl import _open_jsonl
from pcip.records.read_xlsx import _open_xlsx
from pcip.records.rows import (
    _LEGACY_XLS,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    MAX_FIELD_CHARS,
    MAX_RECORD_BYTES,
    MAX_XLSX_CELL_CHARS,
    MAX_XLSX_COLUMNS,
    MAX_XLSX_ENTRIES,
    MAX_XLSX_RATIO,
    MAX_XLSX_RATIO_FLOOR,
    MAX_XLSX_ROWS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_UNCOMPRESSED,
    PROGRESS_STEP,
    SAMPLE_BYTES,
    FileFormat,
    FileInfo,
    FileProblem,
    ProgressFn,
    Row,
    RowIterator,
    _open_binary,
)

_DECLARED = {
    "csv": FileFormat.CSV,
    "tsv": FileFormat.CSV,
    "txt": FileFormat.CSV,
    "jsonl": FileFormat.JSONL,
    "ndjson": FileFormat.JSONL,
    "xlsx": FileFormat.XLSX,
}


_EXTENSIONS = {
    ".csv": FileFormat.CSV,
    ".tsv": FileFormat.CSV,
    ".txt": FileFormat.CSV,
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".xlsx": FileFormat.XLSX,
}


def detect_format(path: Path, declared: str | None) -> FileFormat:
    """The declared format if any (validated), else the extension's, else a sniffed one."""
    if declared is not None and declared.strip():
        key = declared.strip().lower().removeprefix(".")
        if key in _DECLARED:
            return _DECLARED[key]
        message = msg(
            "records.unknown_format_xls" if key == "xls" else "records.unknown_format",
            fmt=declared,
        )
        raise ValidationError(message, field="format")
    suffix = path.suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    if suffix == ".xls":
        raise FileProblem(_LEGACY_XLS)
    return _sniff(path)


def _sniff(path: Path) -> FileFormat:
    with _open_binary(path) as f:
        head = f.read(4096)
    if head.startswith(_ZIP_MAGIC):
        return FileFormat.XLSX
    if head.startswith(_OLE_MAGIC):
        raise FileProblem(_LEGACY_XLS)
    if head.removeprefix(codecs.BOM_UTF8).lstrip().startswith(b"{"):
        return FileFormat.JSONL
    return FileFormat.CSV


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of the file, read in chunks."""
    with _open_binary(path) as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def open_rows(
    path: Path, fmt: FileFormat, *, progress: ProgressFn | None = None
) -> tuple[FileInfo, RowIterator]:
    """Open ``path`` and return its description and a lazy iterator over its rows.

    Raises FileProblem when the file cannot be opened or its header is unusable; the iterator
    raises FileProblem for problems found further into the file.
    """
    try:
        fmt = FileFormat(fmt)
    except ValueError:
        raise ValidationError(msg("records.unknown_format", fmt=fmt), field="format") from None
    if fmt is FileFormat.CSV:
        return _open_csv(path, progress)
    if fmt is FileFormat.JSONL:
        return _open_jsonl(path, progress)
    return _open_xlsx(path, progress)


__all__ = [
    "MAX_FIELD_CHARS",
    "MAX_RECORD_BYTES",
    "MAX_XLSX_CELL_CHARS",
    "MAX_XLSX_COLUMNS",
    "MAX_XLSX_ENTRIES",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_RATIO_FLOOR",
    "MAX_XLSX_ROWS",
    "MAX_XLSX_SHARED_STRINGS",
    "MAX_XLSX_UNCOMPRESSED",
    "PROGRESS_STEP",
    "SAMPLE_BYTES",
    "FileFormat",
    "FileInfo",
    "FileProblem",
    "ProgressFn",
    "Row",
    "RowIterator",
    "detect_format",
    "open_rows",
    "sha256_file",
]
