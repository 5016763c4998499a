"""What every reader of a submitted file returns (Art. 20, 23): rows with the line they start
on, the file's description, the problems that refuse a file, the limits, and the iterator
that releases the file. The decisions are listed in ``pcip.records.readers``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from pcip.errors import PcipError
from pcip.kernel.messages import msg

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
_LONE_CR = re.compile(rb"\r(?!\n)")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_LEGACY_XLS = msg("records.legacy_xls")


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


def _open_binary(path: Path) -> io.BufferedReader:
    try:
        return path.open("rb")
    except OSError as exc:
        raise FileProblem(msg("records.file_unreadable", why=exc.strerror or exc)) from None


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
    """Header names must be present and unique: a row cannot be read against an ambiguous one.

    ``where`` and ``label`` give coded messages (``records.where_*``, ``records.column_*``)."""
    unnamed = [label(i) for i, name in enumerate(names) if not name]
    if unnamed:
        reason = msg("records.header_unnamed", columns=unnamed)
        raise FileProblem(msg("records.at", where=where, reason=reason), line=line)
    seen: set[str] = set()
    dupes: list[str] = []
    for name in names:
        if name in seen and name not in dupes:
            dupes.append(name)
        seen.add(name)
    if dupes:
        reason = msg("records.header_duplicates", names=dupes)
        raise FileProblem(msg("records.at", where=where, reason=reason), line=line)
    bad = [name for name in names if "\x00" in name]
    if bad:
        reason = msg("records.header_nul")
        raise FileProblem(msg("records.at", where=where, reason=reason), line=line)
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
