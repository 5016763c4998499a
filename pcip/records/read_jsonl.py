"""Reading a JSONL file (Art. 20): one object of scalar values per line, numbers kept as
written, duplicate keys and non-finite numbers refused (see ``pcip.records.readers``).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Generator
from pathlib import Path
from typing import IO, Any

from pcip.records.rows import (
    MAX_RECORD_BYTES,
    PROGRESS_STEP,
    FileFormat,
    FileInfo,
    ProgressFn,
    Row,
    RowIterator,
    _clean_name,
    _open_binary,
    _Progress,
)


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
