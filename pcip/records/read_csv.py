"""Reading a CSV file (Art. 20): its encoding, its dialect, and its records line by line,
each with the physical line it starts on (see ``pcip.records.readers`` for the decisions).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO

from pcip.kernel.messages import Message, msg
from pcip.records.rows import (
    _LONE_CR,
    MAX_FIELD_CHARS,
    MAX_RECORD_BYTES,
    SAMPLE_BYTES,
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
    _plural,
    _Progress,
)

# The csv field limit is process-wide; only ever raise it, so other users are not broken. Memory
# stays bounded by MAX_RECORD_BYTES whatever the limit is.
if csv.field_size_limit() < MAX_FIELD_CHARS:
    csv.field_size_limit(MAX_FIELD_CHARS)


def _detect_encoding(sample: bytes, complete: bool) -> str:
    """'utf-8-sig', 'utf-8' or 'gb18030', judged on the first SAMPLE_BYTES of the file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(msg("records.file_utf16"))
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
            reason = msg("records.file_row_too_long", mib=MAX_RECORD_BYTES >> 20)
            raise FileProblem(_at(self.record_start, reason), line=self.record_start)
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
                reason = msg("records.file_bad_utf8")
            else:
                reason = msg("records.file_bad_gb18030")
            raise FileProblem(_at(line, reason), line=line) from None

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


def _at(line: int, reason: Message) -> Message:
    return msg("records.at", where=msg("records.where_line", line=line), reason=reason)


def _csv_error(exc: csv.Error, lines: _CsvLines) -> FileProblem:
    # The csv module's errors are English text: the known ones are worded here.
    text = str(exc)
    start = lines.record_start
    if "unexpected end of data" in text:
        return FileProblem(_at(start, msg("records.file_unterminated_quote")), line=start)
    if "field limit" in text:
        reason = msg("records.file_field_too_long", limit=f"{csv.field_size_limit():,}")
        return FileProblem(_at(start, reason), line=start)
    at = max(lines.line, start)
    if "expected after" in text:
        return FileProblem(_at(at, msg("records.file_after_quote")), line=at)
    return FileProblem(_at(at, msg("records.file_csv_error", text=text)), line=at)


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
            raise FileProblem(msg("records.file_empty"))
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
            where = msg("records.where_line", line=start)
            return _check_names(names, where, start, _column_number)
    raise FileProblem(msg("records.file_empty"))


def _column_number(i: int) -> str:
    return msg("records.column_number", n=i + 1)


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
