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
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import openpyxl  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from pcip.errors import PcipError, ValidationError

SAMPLE_BYTES = 1 << 20  # how much of a CSV file decides its encoding
MAX_FIELD_CHARS = 1 << 20  # csv field size limit
MAX_RECORD_BYTES = 8 << 20  # longest CSV record / JSONL line accepted
PROGRESS_STEP = 64 << 10
#: XLSX limits (issue 23: a 511 KB zip bomb took a server to 4.2 GB; a "wide" sheet took 22 s
#: of CPU): the zip entries' declared sizes, then the sheet's rows, columns and cells.
MAX_XLSX_UNCOMPRESSED = 512 << 20  # all parts together, expanded
MAX_XLSX_SHARED_STRINGS = 256 << 20  # the shared strings part is held in memory whole
MAX_XLSX_RATIO = 200  # how many times larger than compressed a big part may expand
MAX_XLSX_RATIO_FLOOR = 8 << 20  # parts smaller than this may expand any amount
MAX_XLSX_ENTRIES = 10_000
MAX_XLSX_ROWS = 1_000_000
MAX_XLSX_COLUMNS = 256
MAX_XLSX_CELL_CHARS = 32_767  # Excel's own limit per cell

ProgressFn = Callable[[int], None]

# The csv field limit is process-wide; only ever raise it, so other users are not broken. Memory
# stays bounded by MAX_RECORD_BYTES whatever the limit is.
if csv.field_size_limit() < MAX_FIELD_CHARS:
    csv.field_size_limit(MAX_FIELD_CHARS)

_LONE_CR = re.compile(rb"\r(?!\n)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_LEGACY_XLS = "legacy Excel .xls files are not supported; save the file as .xlsx or CSV"


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"


class FileProblem(PcipError):
    """A problem with the file as a whole: nothing from it may be stored."""

    code = "file"
    http_status = 422

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Row:
    """One record of the file.

    ``line``: 1-based physical line where the record starts (CSV, JSONL) or sheet row (XLSX).
    ``values``: column -> stripped text, or None when the row is malformed.
    ``problem``: why the row is malformed, else None.
    """

    line: int
    values: dict[str, str] | None
    problem: str | None


@dataclass(frozen=True, slots=True)
class FileInfo:
    """``encoding`` is set for CSV only; ``columns`` is the header, () for JSONL."""

    format: FileFormat
    encoding: str | None
    columns: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Format detection and hashing


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
        hint = f"; {_LEGACY_XLS}" if key == "xls" else ""
        raise ValidationError(
            f"unknown file format '{declared}': use csv, jsonl or xlsx{hint}", field="format"
        )
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


def _open_binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as exc:
        raise FileProblem(f"cannot read the file: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------------------------
# Entry point


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
        raise ValidationError(
            f"unknown file format '{fmt}': use csv, jsonl or xlsx", field="format"
        ) from None
    if fmt is FileFormat.CSV:
        return _open_csv(path, progress)
    if fmt is FileFormat.JSONL:
        return _open_jsonl(path, progress)
    return _open_xlsx(path, progress)


class RowIterator(Iterator[Row]):
    """Rows of an open file; ``close()`` (or leaving a ``with`` block) releases the file early.

    Exhausting the iterator, or an error while iterating, releases it too.
    """

    def __init__(self, rows: Generator[Row, None, None], release: Callable[[], None]) -> None:
        self._rows = rows
        self._release = release

    def __next__(self) -> Row:
        return next(self._rows)

    def close(self) -> None:
        # A generator that never started does not run its finally block on close(): release
        # the file explicitly too (releasing twice is harmless).
        self._rows.close()
        self._release()

    def __enter__(self) -> RowIterator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _Progress:
    """Counts consumed bytes and reports them at most every PROGRESS_STEP bytes."""

    def __init__(self, callback: ProgressFn | None) -> None:
        self._callback = callback
        self.consumed = 0
        self._reported = 0

    def add(self, n: int) -> None:
        self.consumed += n
        if self._callback is not None and self.consumed - self._reported >= PROGRESS_STEP:
            self._reported = self.consumed
            self._callback(self.consumed)

    def finish(self) -> None:
        if self._callback is not None:
            self._callback(self.consumed)


def _check_names(
    names: list[str], where: str, line: int, label: Callable[[int], str]
) -> tuple[str, ...]:
    """Header names must be present and unique: a row cannot be read against an ambiguous one."""
    unnamed = [label(i) for i, name in enumerate(names) if not name]
    if unnamed:
        raise FileProblem(f"{where}: the header has no name for {', '.join(unnamed)}", line=line)
    seen: set[str] = set()
    dupes: list[str] = []
    for name in names:
        if name in seen and name not in dupes:
            dupes.append(name)
        seen.add(name)
    if dupes:
        raise FileProblem(
            f"{where}: duplicate column names in the header: {', '.join(dupes)}", line=line
        )
    bad = [name for name in names if "\x00" in name]
    if bad:
        reason = "a column name contains a NUL character (is this a text file?)"
        raise FileProblem(f"{where}: {reason}", line=line)
    return tuple(names)


def _clean_name(name: str) -> str:
    # A byte order mark can survive decoding (a doubled BOM, a BOM inside a cell): never let it
    # become part of a column name such as "\ufeffCF_XDR_MC".
    return name.strip().lstrip("\ufeff").strip()


def _nul_problem(values: dict[str, str]) -> str | None:
    for name, value in values.items():
        if "\x00" in value:
            return f"field {name} contains a NUL character (U+0000)"
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# ---------------------------------------------------------------------------------------------
# CSV


def _detect_encoding(sample: bytes, complete: bool) -> str:
    """'utf-8-sig', 'utf-8' or 'gb18030', judged on the first SAMPLE_BYTES of the file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(
            "the file is UTF-16 encoded (Excel 'Unicode text'); save it as CSV in UTF-8 or GBK"
        )
    # Incremental decoding tolerates a multibyte character cut by the end of the sample.
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(sample, final=complete)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


class _CsvLines:
    """Physical lines of a CSV file for csv.reader: decoded strictly, counted, length-bounded.

    Lines end at \\n, \\r\\n or a lone \\r (what open(newline="") does), with the ending kept so
    csv.reader sees newlines inside quoted fields. Decoding line by line is safe for UTF-8 and
    GB18030 because neither uses the bytes \\r or \\n inside a multibyte character.
    """

    def __init__(self, f: IO[bytes], encoding: str, progress: _Progress) -> None:
        self._f = f
        self._codec = "utf-8" if encoding == "utf-8-sig" else encoding
        self._strip_bom = encoding == "utf-8-sig"
        self._pushed: bytes | None = None  # a peeked line, handed out again next
        self._raw: bytes | None = None  # a read line still holding lone-\r line breaks
        self._pos = 0
        self._progress = progress
        self.line = 0  # lines handed out so far
        self.record_start = 1
        self._record_bytes = 0
        self.saw_nul = False

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        piece = self._take()
        if piece is None:
            raise StopIteration
        self.line += 1
        self._record_bytes += len(piece)
        if self._record_bytes > MAX_RECORD_BYTES:
            raise FileProblem(
                f"line {self.record_start}: the row is longer than "
                f"{MAX_RECORD_BYTES >> 20} MiB (is a closing quote missing?)",
                line=self.record_start,
            )
        text = self._decode(piece, self.line)
        if "\x00" in text:
            self.saw_nul = True
        return text

    def start_record(self) -> int:
        """Mark that the next line begins a record; returns its line number."""
        self.record_start = self.line + 1
        self._record_bytes = 0
        return self.record_start

    def first_text_line(self) -> str | None:
        """Skip leading blank lines and peek at the first other one (to sniff the delimiter)."""
        while (piece := self._take()) is not None:
            text = self._decode(piece, self.line + 1)
            if text.strip():
                self._pushed = piece  # not consumed: csv.reader reads it next
                return text
            self.line += 1  # blank lines before the header are consumed, but still counted
        return None

    def finish(self) -> None:
        self._progress.finish()

    def _decode(self, piece: bytes, line: int) -> str:
        try:
            return piece.decode(self._codec)
        except UnicodeDecodeError:
            if self._codec == "utf-8":
                reason = "bytes are not valid UTF-8 (the file mixes encodings; save it as UTF-8)"
            else:
                reason = "bytes are neither valid UTF-8 nor GB18030 (save the file as UTF-8 or GBK)"
            raise FileProblem(f"line {line}: {reason}", line=line) from None

    def _take(self) -> bytes | None:
        if self._pushed is not None:
            piece, self._pushed = self._pushed, None
            return piece
        if self._raw is None:
            raw = self._f.readline(MAX_RECORD_BYTES + 1)
            if not raw:
                return None
            self._progress.add(len(raw))
            if self._strip_bom:
                self._strip_bom = False
                raw = raw.removeprefix(codecs.BOM_UTF8)
            crs = raw.count(b"\r")
            if crs == 0 or (crs == 1 and raw.endswith(b"\r\n")):
                return raw
            self._raw, self._pos = raw, 0
        # A lone \r also ends a line (old Mac exports; what universal newlines do). Pieces are
        # cut one at a time so a line of a million \r does not become a million objects at once.
        raw, start = self._raw, self._pos
        found = _LONE_CR.search(raw, start)
        end = found.end() if found else len(raw)
        if end >= len(raw):
            self._raw = None
        self._pos = end
        return raw[start:end]


def _csv_error(exc: csv.Error, lines: _CsvLines) -> FileProblem:
    text = str(exc)
    start = lines.record_start
    if "unexpected end of data" in text:
        reason = "unterminated quoted field (the file ends inside quotes: was it cut short?)"
        return FileProblem(f"line {start}: {reason}", line=start)
    if "field limit" in text:
        limit = csv.field_size_limit()
        reason = f"a field is longer than {limit:,} characters (is a closing quote missing?)"
        return FileProblem(f"line {start}: {reason}", line=start)
    at = max(lines.line, start)
    if "expected after" in text:
        reason = 'a character follows a closing quote (a quote inside a field must be doubled: "")'
        return FileProblem(f"line {at}: {reason}", line=at)
    return FileProblem(f"line {at}: {text}", line=at)


def _next_record(reader: Iterator[list[str]], lines: _CsvLines) -> tuple[int, list[str]] | None:
    """The next record and the line it starts on, or None at the end of the file."""
    start = lines.start_record()
    try:
        return start, next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise _csv_error(exc, lines) from None


def _is_blank(record: list[str]) -> bool:
    return not any(field.strip() for field in record)


def _open_csv(path: Path, progress: ProgressFn | None) -> tuple[FileInfo, RowIterator]:
    f = _open_binary(path)
    try:
        sample = f.read(SAMPLE_BYTES)
        encoding = _detect_encoding(sample, complete=len(sample) < SAMPLE_BYTES)
        del sample
        f.seek(0)
        lines = _CsvLines(f, encoding, _Progress(progress))
        first = lines.first_text_line()
        if first is None:
            raise FileProblem("the file is empty")
        # Tab-separated only when the header clearly is: tabs and no commas.
        delimiter = "\t" if "\t" in first and "," not in first else ","
        reader = csv.reader(lines, delimiter=delimiter, strict=True, skipinitialspace=True)
        header = _csv_header(reader, lines)
    except BaseException:
        f.close()
        raise
    info = FileInfo(FileFormat.CSV, encoding, header)
    return info, RowIterator(_csv_rows(f, reader, lines, header), f.close)


def _csv_header(reader: Iterator[list[str]], lines: _CsvLines) -> tuple[str, ...]:
    while (got := _next_record(reader, lines)) is not None:
        start, record = got
        if not _is_blank(record):
            names = [_clean_name(name) for name in record]
            return _check_names(names, f"line {start}", start, lambda i: f"column {i + 1}")
    raise FileProblem("the file is empty")


def _csv_rows(
    f: IO[bytes], reader: Iterator[list[str]], lines: _CsvLines, header: tuple[str, ...]
) -> Generator[Row, None, None]:
    try:
        width = len(header)
        while (got := _next_record(reader, lines)) is not None:
            start, record = got
            if len(record) != width:
                if not _is_blank(record):
                    fields = _plural(len(record), "field")
                    yield Row(start, None, f"row has {fields}, the header has {width}")
                continue
            values = dict(zip(header, map(str.strip, record), strict=True))
            if not any(values.values()):
                continue
            if lines.saw_nul:
                lines.saw_nul = False
                if (problem := _nul_problem(values)) is not None:
                    yield Row(start, None, problem)
                    continue
            yield Row(start, values, None)
        lines.finish()
    finally:
        f.close()


# ---------------------------------------------------------------------------------------------
# JSONL


class _DuplicateKey(Exception):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of duplicate keys silently; a unit must learn that one value was lost.
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_KIND_BY_FIRST = {"[": "an array", '"': "a string", "t": "a boolean", "f": "a boolean"}


def _json_kind(text: str) -> str:
    first = text.lstrip()[:1]
    if first == "n":
        return "null"
    return _KIND_BY_FIRST.get(first, "a number")


def _open_jsonl(path: Path, progress: ProgressFn | None) -> tuple[FileInfo, RowIterator]:
    f = _open_binary(path)
    info = FileInfo(FileFormat.JSONL, None, ())
    return info, RowIterator(_jsonl_rows(f, _Progress(progress)), f.close)


def _jsonl_rows(f: IO[bytes], progress: _Progress) -> Generator[Row, None, None]:
    try:
        number = 0
        while raw := f.readline(MAX_RECORD_BYTES + 1):
            number += 1
            progress.add(len(raw))
            if len(raw) > MAX_RECORD_BYTES:
                _skip_rest_of_line(f, raw, progress)
                limit = MAX_RECORD_BYTES >> 20
                yield Row(number, None, f"the line is longer than {limit} MiB")
                continue
            if number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            row = _jsonl_row(number, raw)
            if row is not None:
                yield row
        progress.finish()
    finally:
        f.close()


def _skip_rest_of_line(f: IO[bytes], raw: bytes, progress: _Progress) -> None:
    # Over-long lines are skipped in bounded chunks: the next line is still found reliably.
    while not raw.endswith(b"\n") and (raw := f.readline(PROGRESS_STEP)):
        progress.add(len(raw))


def _jsonl_row(number: int, raw: bytes) -> Row | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Row(number, None, f"bytes are not valid UTF-8 (byte {exc.start + 1} of the line)")
    if not text.strip():
        return None
    text = text.rstrip("\r\n")  # so error columns count within this line
    try:
        # Numbers are kept as written (parse_int/parse_float=str): no float rounding of amounts
        # and no failure on very long digit strings.
        obj = json.loads(
            text,
            object_pairs_hook=_pairs,
            parse_int=str,
            parse_float=str,
            parse_constant=_reject_constant,
        )
    except _DuplicateKey as exc:
        return Row(number, None, f"field {exc.args[0]} appears more than once")
    except json.JSONDecodeError as exc:
        return Row(number, None, f"invalid JSON: {exc.msg} at column {exc.pos + 1}")
    except RecursionError:
        return Row(number, None, "invalid JSON: nested too deeply")
    except ValueError as exc:
        return Row(number, None, f"invalid JSON: {exc}")
    if not isinstance(obj, dict):
        return Row(number, None, f"not a JSON object (found {_json_kind(text)})")
    values, problem = _json_values(obj)
    return Row(number, values, None) if problem is None else Row(number, None, problem)


def _json_values(obj: dict[str, Any]) -> tuple[dict[str, str] | None, str | None]:
    values: dict[str, str] = {}
    seen: set[str] = set()
    for key, value in obj.items():
        name = _clean_name(key)
        if not name:
            return None, "a field has an empty name"
        if name in seen:
            return None, f"field {name} appears more than once"
        seen.add(name)
        if value is None:
            continue
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, str):
            values[name] = value.strip()
        else:
            kind = "an object" if isinstance(value, dict) else "an array"
            return None, f"field {name} is not a scalar (found {kind})"
        if (problem := _text_problem(name, values[name])) is not None:
            return None, problem
    return values, None


def _text_problem(name: str, value: str) -> str | None:
    # JSON escapes can produce NUL and unpaired surrogates (\ud800), which no database stores.
    for text, what in ((name, f"the name of field {name!r}"), (value, f"field {name}")):
        if "\x00" in text:
            return f"{what} contains a NUL character (U+0000)"
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return f"{what} contains an unpaired surrogate (an invalid \\u escape)"
    return None


# ---------------------------------------------------------------------------------------------
# XLSX


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


def _sheet_rows(ws: Any, where: str) -> Generator[tuple[int, tuple[Any, ...]], None, None]:
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
                raise FileProblem(
                    f"{where} row {number + 1}: not a readable XLSX file: {exc}", line=number + 1
                ) from None
            yield number, _row_values(cells, number, where)
    finally:
        source.close()  # closes the sheet's XML stream before the workbook is closed


def _row_values(cells: list[dict[str, Any]], number: int, where: str) -> tuple[Any, ...]:
    if number > MAX_XLSX_ROWS:
        raise FileProblem(
            f"{where} row {number}: a sheet may have at most {MAX_XLSX_ROWS:,} rows "
            "(split the file)",
            line=number,
        )
    if not cells:
        return ()
    width = max(int(cell["column"]) for cell in cells)
    if width > MAX_XLSX_COLUMNS:
        cell = get_column_letter(width)
        raise FileProblem(
            f"{where} cell {cell}{number}: a sheet may use at most {MAX_XLSX_COLUMNS} columns "
            f"(up to column {get_column_letter(MAX_XLSX_COLUMNS)})",
            line=number,
        )
    values: list[Any] = [None] * width
    for cell in cells:
        value = cell["value"]
        if isinstance(value, str) and len(value) > MAX_XLSX_CELL_CHARS:
            where_cell = f"{get_column_letter(int(cell['column']))}{number}"
            raise FileProblem(
                f"{where} cell {where_cell}: a cell may hold at most {MAX_XLSX_CELL_CHARS:,} "
                f"characters (Excel's own limit); it has {len(value):,}",
                line=number,
            )
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
        raise FileProblem(f"not a readable XLSX file: {exc}") from None
    finally:
        f.seek(0)
    if len(entries) > MAX_XLSX_ENTRIES:
        raise FileProblem(
            f"not a usable XLSX file: it holds {len(entries):,} parts, "
            f"at most {MAX_XLSX_ENTRIES:,} are accepted"
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        expands = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > MAX_XLSX_RATIO_FLOOR and expands > MAX_XLSX_RATIO:
            raise FileProblem(
                f"refused: part {entry.filename} of the XLSX file expands {expands:,.0f} times "
                f"(to {entry.file_size:,} bytes); at most {MAX_XLSX_RATIO} times is accepted "
                "(a 'zip bomb'?)"
            )
        if entry.filename.lower().endswith("sharedstrings.xml") and (
            entry.file_size > MAX_XLSX_SHARED_STRINGS
        ):
            raise FileProblem(
                f"refused: the XLSX file's shared strings expand to {entry.file_size:,} bytes; "
                f"at most {MAX_XLSX_SHARED_STRINGS:,} are accepted (split the file or save it "
                "as CSV)"
            )
    if total > MAX_XLSX_UNCOMPRESSED:
        raise FileProblem(
            f"refused: the XLSX file expands to {total:,} bytes; at most "
            f"{MAX_XLSX_UNCOMPRESSED:,} are accepted (split the file or save it as CSV)"
        )


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
            wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError, ...)
            raise FileProblem(f"not a readable XLSX file: {exc}") from None
        if not wb.worksheets:
            raise FileProblem("not a readable XLSX file: the workbook has no worksheet")
        ws = wb.worksheets[0]
        where = f"sheet '{ws.title}'"
        rows = _sheet_rows(ws, where)
        header = _xlsx_header(rows, where)
    except BaseException:
        release()
        raise
    info = FileInfo(FileFormat.XLSX, None, header)
    size = path.stat().st_size
    return info, RowIterator(_xlsx_rows(rows, header, release, progress, size), release)


def _xlsx_header(rows: Iterator[tuple[int, tuple[Any, ...]]], where: str) -> tuple[str, ...]:
    for number, cells in rows:
        names = [_clean_name(_cell_text(v)) if v is not None else "" for v in cells]
        while names and not names[-1]:
            names.pop()  # rows are padded with empty cells on the right
        if names:
            return _check_names(
                names,
                f"{where} row {number}",
                number,
                lambda i: f"column {get_column_letter(i + 1)}",
            )
    raise FileProblem(f"{where} is empty: the first non-empty row must be the header")


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
