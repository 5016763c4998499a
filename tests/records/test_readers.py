"""Reading submitted files into rows (Art. 20 submissions, Art. 23 data quality).

Every problem must name a place in the file the providing unit can find, and no input may crash
the reader: each failure is either a malformed row or a FileProblem for the whole file.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tracemalloc
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pcip.errors import ValidationError
from pcip.records.readers import (
    MAX_RECORD_BYTES,
    FileFormat,
    FileInfo,
    FileProblem,
    Row,
    detect_format,
    open_rows,
    sha256_file,
)

CF_HEADER = ["CF_XDR_MC", "CF_XDR_SHXYM", "CF_WSH", "CF_NR_FK", "CF_JDRQ"]
CF_ROW = [
    "重庆市某某餐饮有限公司",
    "91500000MA5U7XXXXX",
    "渝市监罚〔2024〕12号",
    "0.5",
    "2024-05-01",
]


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def read_all(path: Path, fmt: FileFormat = FileFormat.CSV) -> tuple[FileInfo, list[Row]]:
    info, rows = open_rows(path, fmt)
    return info, list(rows)


def good(rows: list[Row]) -> list[tuple[int, dict[str, str]]]:
    return [(r.line, r.values) for r in rows if r.values is not None]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue()


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


# ---------------------------------------------------------------------------------------------
# CSV encodings


def test_utf8_csv_without_bom_art20(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", csv_text([CF_HEADER, CF_ROW]))
    info, rows = read_all(path)
    assert info == FileInfo(FileFormat.CSV, "utf-8", tuple(CF_HEADER))
    assert good(rows) == [(2, dict(zip(CF_HEADER, CF_ROW, strict=True)))]


def test_utf8_csv_with_bom_keeps_bom_out_of_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "\ufeff" + csv_text([CF_HEADER, CF_ROW]))
    info, rows = read_all(path)
    assert info.encoding == "utf-8-sig"
    assert info.columns[0] == "CF_XDR_MC"
    assert rows[0].values is not None and rows[0].values["CF_XDR_MC"] == CF_ROW[0]


def test_bom_surviving_decoding_is_not_part_of_a_column_name(tmp_path: Path) -> None:
    # A doubled BOM: the first is the encoding mark, the second decodes to U+FEFF.
    path = write(tmp_path, "a.csv", "\ufeff\ufeff" + csv_text([CF_HEADER, CF_ROW]))
    info, _ = read_all(path)
    assert info.columns == tuple(CF_HEADER)


def test_gbk_csv_with_chinese_cf_penalty_fields_is_read_as_gb18030(tmp_path: Path) -> None:
    # Government systems export GBK; the CF_* double-publicity layout uses field codes as columns.
    path = write(tmp_path, "cf.csv", csv_text([CF_HEADER, CF_ROW, CF_ROW]), encoding="gbk")
    info, rows = read_all(path)
    assert info.encoding == "gb18030"
    expected = dict(zip(CF_HEADER, CF_ROW, strict=True))
    assert good(rows) == [(2, expected), (3, expected)]


def test_gb18030_four_byte_characters_round_trip(tmp_path: Path) -> None:
    row = ["𠮷野家", "91500000MA5U7XXXXX", "€", "1", "2024-01-01"]  # 𠮷 needs 4 bytes in GB18030
    path = write(tmp_path, "a.csv", csv_text([CF_HEADER, row]), encoding="gb18030")
    info, rows = read_all(path)
    assert info.encoding == "gb18030"
    assert rows[0].values == dict(zip(CF_HEADER, row, strict=True))


def test_encoding_sample_cut_inside_a_multibyte_character_is_still_utf8(tmp_path: Path) -> None:
    # Pad so that byte 1 MiB falls in the middle of the 3-byte character 重.
    head = "CF_XDR_MC\n"
    filler = "a" * ((1 << 20) - len(head) - 1)
    text = head + filler + "重\n" + "重庆\n"
    data = text.encode()
    assert data[(1 << 20) - 1 : (1 << 20) + 2] == "重".encode()  # the sample ends mid-character
    path = write(tmp_path, "a.csv", data)
    info, rows = read_all(path)
    assert info.encoding == "utf-8"
    assert [r.values for r in rows] == [{"CF_XDR_MC": filler + "重"}, {"CF_XDR_MC": "重庆"}]


def test_mixed_encoding_file_is_a_file_problem_naming_the_line(tmp_path: Path) -> None:
    # Over 1 MiB of UTF-8 decides the encoding; a GBK line further down must not be garbled.
    row = ",".join([*CF_ROW, "违法事实" * 20])
    lines = [",".join([*CF_HEADER, "CF_SY"])] + [row] * 5001
    data = ("\n".join(lines) + "\n").encode() + row.encode("gbk") + b"\n"
    assert len(data) > 1 << 20
    path = write(tmp_path, "mixed.csv", data)
    info, rows = open_rows(path, FileFormat.CSV)
    assert info.encoding == "utf-8"
    with pytest.raises(FileProblem) as err:
        list(rows)
    assert err.value.line == 5003
    assert err.value.message.startswith("line 5003: bytes are not valid UTF-8")
    assert "mixes encodings" in err.value.message
    assert err.value.code == "file"


def test_bytes_invalid_in_gb18030_are_a_file_problem(tmp_path: Path) -> None:
    data = csv_text([CF_HEADER, CF_ROW]).encode("gbk") + b"x,\xff\xff,a,b,c\n"
    info, rows = open_rows(write(tmp_path, "a.csv", data), FileFormat.CSV)
    assert info.encoding == "gb18030"
    with pytest.raises(FileProblem, match=r"^line 3: bytes are neither valid UTF-8 nor GB18030"):
        list(rows)


def test_utf16_csv_is_a_file_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "\ufeff" + csv_text([CF_HEADER, CF_ROW]), encoding="utf-16")
    with pytest.raises(FileProblem, match="UTF-16"):
        open_rows(path, FileFormat.CSV)


# ---------------------------------------------------------------------------------------------
# CSV structure and line numbers


def test_quoted_multiline_field_makes_later_line_numbers_jump(tmp_path: Path) -> None:
    text = 'CF_XDR_MC,CF_SY\nA,"第一行\n第二行\r\n第三行"\nB,短\n'
    _, rows = read_all(write(tmp_path, "a.csv", text))
    assert good(rows) == [
        (2, {"CF_XDR_MC": "A", "CF_SY": "第一行\n第二行\r\n第三行"}),
        (5, {"CF_XDR_MC": "B", "CF_SY": "短"}),
    ]


def test_crlf_and_lone_cr_line_endings_count_as_lines(tmp_path: Path) -> None:
    _, rows = read_all(write(tmp_path, "a.csv", "a,b\r\n1,2\r3,4\n5,6"))
    assert good(rows) == [
        (2, {"a": "1", "b": "2"}),
        (3, {"a": "3", "b": "4"}),
        (4, {"a": "5", "b": "6"}),
    ]


def test_short_and_long_rows_are_malformed_rows_art23(tmp_path: Path) -> None:
    text = "a,b,c\n1,2,3\n1,2\n1,2,3,4\n4,5,6\n"
    _, rows = read_all(write(tmp_path, "a.csv", text))
    assert rows == [
        Row(2, {"a": "1", "b": "2", "c": "3"}, None),
        Row(3, None, "row has 2 fields, the header has 3"),
        Row(4, None, "row has 4 fields, the header has 3"),
        Row(5, {"a": "4", "b": "5", "c": "6"}, None),
    ]


def test_file_cut_inside_quotes_is_a_file_problem(tmp_path: Path) -> None:
    text = 'a,b\n1,2\n3,"the fact\nstarts here and the file en'
    _, rows = open_rows(write(tmp_path, "a.csv", text), FileFormat.CSV)
    assert next(rows) == Row(2, {"a": "1", "b": "2"}, None)
    with pytest.raises(FileProblem) as err:
        next(rows)
    assert err.value.line == 3
    assert err.value.message.startswith("line 3: unterminated quoted field")


def test_file_cut_mid_row_without_quotes_gives_a_malformed_last_row(tmp_path: Path) -> None:
    _, rows = read_all(write(tmp_path, "a.csv", "a,b,c\n1,2,3\n4,5"))
    assert rows[-1] == Row(3, None, "row has 2 fields, the header has 3")


def test_character_after_closing_quote_is_a_file_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'a,b\n1,2\n3,"x"y\n5,6\n')
    with pytest.raises(FileProblem, match=r"^line 3: a character follows a closing quote"):
        read_all(path)


def test_empty_file_is_a_file_problem(tmp_path: Path) -> None:
    for data in (b"", b"\n\n  \r\n", b"\xef\xbb\xbf"):
        with pytest.raises(FileProblem, match=r"^the file is empty$"):
            open_rows(write(tmp_path, "a.csv", data), FileFormat.CSV)


def test_header_only_file_has_zero_rows(tmp_path: Path) -> None:
    info, rows = read_all(write(tmp_path, "a.csv", ",".join(CF_HEADER) + "\r\n"))
    assert info.columns == tuple(CF_HEADER)
    assert rows == []


def test_duplicate_header_names_are_a_file_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "CF_XDR_MC, CF_WSH ,CF_WSH,CF_XDR_MC\n1,2,3,4\n")
    with pytest.raises(FileProblem) as err:
        open_rows(path, FileFormat.CSV)
    assert err.value.message == "line 1: duplicate column names in the header: CF_WSH, CF_XDR_MC"
    assert err.value.line == 1


def test_empty_header_names_are_a_file_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "\n\nCF_XDR_MC,, ,CF_WSH\n")
    with pytest.raises(FileProblem) as err:
        open_rows(path, FileFormat.CSV)
    assert err.value.message == "line 3: the header has no name for column 2, column 3"


def test_leading_blank_lines_and_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = "\n  \na,b\n\n1,2\n,\n , \n3,4\n"
    _, rows = read_all(write(tmp_path, "a.csv", text))
    assert good(rows) == [(5, {"a": "1", "b": "2"}), (8, {"a": "3", "b": "4"})]
    assert all(r.values is not None for r in rows)


def test_tab_separated_file_is_detected_from_the_header(tmp_path: Path) -> None:
    text = csv_text([CF_HEADER, ["A, B 公司", *CF_ROW[1:]]], delimiter="\t")
    info, rows = read_all(write(tmp_path, "a.tsv", text))
    assert info.columns == tuple(CF_HEADER)
    assert rows[0].values is not None and rows[0].values["CF_XDR_MC"] == "A, B 公司"


def test_header_with_commas_stays_comma_separated_even_with_tabs(tmp_path: Path) -> None:
    info, _ = read_all(write(tmp_path, "a.csv", "a\tx,b\n1,2\n"))
    assert info.columns == ("a\tx", "b")


def test_values_and_names_are_stripped_and_quoted_field_after_space_parsed(tmp_path: Path) -> None:
    text = ' CF_XDR_MC , CF_WSH\n  某公司  , "渝罚, 1号 "\n'
    _, rows = read_all(write(tmp_path, "a.csv", text))
    assert rows == [Row(2, {"CF_XDR_MC": "某公司", "CF_WSH": "渝罚, 1号"}, None)]


def test_empty_fields_are_present_as_empty_strings(tmp_path: Path) -> None:
    _, rows = read_all(write(tmp_path, "a.csv", "a,b,c\n1,,\n"))
    assert rows == [Row(2, {"a": "1", "b": "", "c": ""}, None)]


def test_nul_in_a_value_makes_the_row_malformed(tmp_path: Path) -> None:
    _, rows = read_all(write(tmp_path, "a.csv", b"a,b\n1,x\x00y\n3,4\n"))
    assert rows == [
        Row(2, None, "field b contains a NUL character (U+0000)"),
        Row(3, {"a": "3", "b": "4"}, None),
    ]


def test_unclosed_quote_swallowing_the_file_hits_the_field_limit(tmp_path: Path) -> None:
    line = "x" * 100 + "\n"
    text = 'a,b\n1,2\n3,"oops\n' + line * 12_000 + "4,5\n"
    _, rows = open_rows(write(tmp_path, "a.csv", text), FileFormat.CSV)
    assert next(rows).line == 2
    with pytest.raises(FileProblem) as err:
        next(rows)
    assert err.value.line == 3
    assert "a field is longer than" in err.value.message
    assert "closing quote" in err.value.message


def test_overlong_line_is_a_file_problem_not_a_memory_blowup(tmp_path: Path) -> None:
    data = b"a,b\n1,2\n" + b"y" * (MAX_RECORD_BYTES + 10) + b"\n"
    _, rows = open_rows(write(tmp_path, "a.csv", data), FileFormat.CSV)
    assert next(rows).line == 2
    with pytest.raises(FileProblem, match=r"^line 3: the row is longer than"):
        next(rows)


def _traced_peak(path: Path) -> tuple[int, int]:
    """(rows read, peak bytes allocated while reading them)."""
    tracemalloc.start()
    try:
        _, rows = open_rows(path, FileFormat.CSV)
        count = sum(1 for r in rows if r.values is not None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_reading_a_large_file_uses_flat_memory(tmp_path: Path) -> None:
    """Memory does not grow with the rows read: the peak for 50,000 rows (a 20 MB file) is
    within 80 bytes a row of the peak for 1,000.

    It read 200,000 rows (80 MB) against a fixed bound of 20 MB: under tracemalloc that took
    5 s of CPU. The reader's peak is a constant 4.2 MB (its buffers) from 5,000 to 200,000
    rows, so the fixed bound caught growth of 80 bytes a row and more; the difference of two
    peaks catches the same 80 bytes a row with a quarter of the rows, and does not depend on
    the size of the buffers. Holding the file (400 bytes a row) or its rows fails both bounds.
    """
    header = [f"F{i:02d}" for i in range(12)]
    row = ",".join(["重庆市某某有限公司-" + "x" * 5] * 12)  # about 400 bytes

    def csv_of(name: str, n: int) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(header) + "\n")
            for _ in range(n):
                f.write(row + "\n")
        return path

    small, large = 1_000, 50_000
    count, base = _traced_peak(csv_of("small.csv", small))
    assert count == small
    big = csv_of("big.csv", large)
    assert big.stat().st_size > 20_000_000
    count, peak = _traced_peak(big)
    assert count == large
    assert peak - base < 80 * (large - small), (base, peak)
    assert peak < 20 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Progress and closing


@pytest.mark.parametrize("fmt", [FileFormat.CSV, FileFormat.JSONL])
def test_progress_is_monotonic_and_ends_at_the_file_size(tmp_path: Path, fmt: FileFormat) -> None:
    if fmt is FileFormat.CSV:
        data = csv_text([CF_HEADER] + [CF_ROW] * 5000)
    else:
        data = "".join(
            json.dumps(dict(zip(CF_HEADER, CF_ROW, strict=True))) + "\n" for _ in range(5000)
        )
    path = write(tmp_path, f"a.{fmt}", data)
    size = path.stat().st_size
    seen: list[int] = []
    _, rows = open_rows(path, fmt, progress=seen.append)
    assert sum(1 for _ in rows) == 5000
    assert len(seen) > 3
    assert seen == sorted(seen)
    assert seen[-1] == size
    gaps = [b - a for a, b in zip([0, *seen], seen, strict=False)]
    assert max(gaps[:-1]) < 64 * 1024 + 1024  # about every 64 KiB


def test_xlsx_progress_is_reported_once_with_the_file_size(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, [CF_HEADER, CF_ROW, CF_ROW])
    seen: list[int] = []
    _, rows = open_rows(path, FileFormat.XLSX, progress=seen.append)
    list(rows)
    assert seen == [path.stat().st_size]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
@pytest.mark.parametrize("fmt", list(FileFormat))
def test_closing_the_iterator_early_releases_the_file(tmp_path: Path, fmt: FileFormat) -> None:
    if fmt is FileFormat.XLSX:
        path = make_xlsx(tmp_path, [CF_HEADER, CF_ROW, CF_ROW])
    elif fmt is FileFormat.CSV:
        path = write(tmp_path, "a.csv", csv_text([CF_HEADER, CF_ROW, CF_ROW]))
    else:
        path = write(tmp_path, "a.jsonl", '{"a": 1}\n{"a": 2}\n')
    before = open_fds()
    _, rows = open_rows(path, fmt)
    with rows as it:
        assert next(it).line > 0
    assert open_fds() == before
    _, unstarted = open_rows(path, fmt)
    unstarted.close()
    assert open_fds() == before


# ---------------------------------------------------------------------------------------------
# JSONL


def jsonl(tmp_path: Path, data: bytes | str) -> list[Row]:
    info, rows = read_all(write(tmp_path, "a.jsonl", data), FileFormat.JSONL)
    assert info == FileInfo(FileFormat.JSONL, None, ())
    return rows


def test_jsonl_scalars_become_strings_and_null_is_omitted(tmp_path: Path) -> None:
    line = '{"CF_XDR_MC": " 某公司 ", "CF_NR_FK": 1.50, "N": 12, "B": true, "F": false, "Z": null}'
    values = {"CF_XDR_MC": "某公司", "CF_NR_FK": "1.50", "N": "12", "B": "true", "F": "false"}
    assert jsonl(tmp_path, line) == [Row(1, values, None)]


def test_jsonl_bom_crlf_and_blank_lines(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"a": "1"}\r\n\r\n   \n{"a": "2"}'
    assert jsonl(tmp_path, data) == [Row(1, {"a": "1"}, None), Row(4, {"a": "2"}, None)]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"a": 1, "b" 2}', "invalid JSON: Expecting ':' delimiter at column 14"),
        ('{"a": 1 "b": 2}', "invalid JSON: Expecting ',' delimiter at column 9"),
        ("[1, 2]", "not a JSON object (found an array)"),
        ('"text"', "not a JSON object (found a string)"),
        ("42", "not a JSON object (found a number)"),
        ("null", "not a JSON object (found null)"),
        ('{"a": {"b": 1}}', "field a is not a scalar (found an object)"),
        ('{"a": [1]}', "field a is not a scalar (found an array)"),
        ('{"a": 1, "a": 2}', "field a appears more than once"),
        ('{"a": 1, " a ": 2}', "field a appears more than once"),
        ('{" ": 1}', "a field has an empty name"),
        ('{"a": NaN}', "invalid JSON: NaN is not valid JSON"),
        ('{"a": "\\ud800"}', "field a contains an unpaired surrogate (an invalid \\u escape)"),
        ('{"a": "x\\u0000"}', "field a contains a NUL character (U+0000)"),
        ("[" * 100_000, "invalid JSON: nested too deeply"),
    ],
)
def test_jsonl_malformed_lines_are_malformed_rows(tmp_path: Path, line: str, problem: str) -> None:
    rows = jsonl(tmp_path, line + '\n{"ok": "yes"}\n')
    assert rows == [Row(1, None, problem), Row(2, {"ok": "yes"}, None)]


def test_jsonl_invalid_utf8_is_a_malformed_row_not_a_crash(tmp_path: Path) -> None:
    data = b'{"a": "\xd6\xd0"}\n{"a": "ok"}\n'  # GBK bytes in a JSONL file
    assert jsonl(tmp_path, data) == [
        Row(1, None, "bytes are not valid UTF-8 (byte 8 of the line)"),
        Row(2, {"a": "ok"}, None),
    ]


def test_jsonl_overlong_line_is_skipped_as_a_malformed_row(tmp_path: Path) -> None:
    data = b'{"a": "' + b"x" * (MAX_RECORD_BYTES + 100) + b'"}\n{"a": "next"}\n'
    rows = jsonl(tmp_path, data)
    assert rows[0].values is None and rows[0].line == 1
    assert rows[1] == Row(2, {"a": "next"}, None)


# ---------------------------------------------------------------------------------------------
# XLSX


def make_xlsx(tmp_path: Path, rows: Sequence[Sequence[object]], name: str = "a.xlsx") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "行政处罚"
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_xlsx_dates_numbers_and_sheet_row_numbers(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path,
        [
            [],
            [" CF_XDR_MC ", "CF_JDRQ", "CF_NR_FK", "CF_NR_WFFF", None],
            ["重庆某公司", datetime(2024, 5, 1), 12.0, 0.1 + 0.2],
            ["某店", datetime(2024, 5, 1, 13, 5), 3, 1.25, None],
            [None, None],
            ["某人", date(2023, 12, 31), None, True],
        ],
    )
    info, rows = read_all(path, FileFormat.XLSX)
    assert info == FileInfo(
        FileFormat.XLSX, None, ("CF_XDR_MC", "CF_JDRQ", "CF_NR_FK", "CF_NR_WFFF")
    )
    assert [(r.line, r.values) for r in rows] == [
        (
            3,
            {
                "CF_XDR_MC": "重庆某公司",
                "CF_JDRQ": "2024-05-01",
                "CF_NR_FK": "12",
                "CF_NR_WFFF": "0.3",
            },
        ),
        (
            4,
            {
                "CF_XDR_MC": "某店",
                "CF_JDRQ": "2024-05-01T13:05:00",
                "CF_NR_FK": "3",
                "CF_NR_WFFF": "1.25",
            },
        ),
        (6, {"CF_XDR_MC": "某人", "CF_JDRQ": "2023-12-31", "CF_NR_WFFF": "true"}),
    ]


def test_xlsx_value_beyond_the_header_is_a_malformed_row(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, [["a", "b"], ["1", "2", None, "lost?"], ["3", "4"]])
    _, rows = read_all(path, FileFormat.XLSX)
    assert rows == [
        Row(2, None, "cell D2 has a value but the header ends at column B"),
        Row(3, {"a": "3", "b": "4"}, None),
    ]


def test_xlsx_without_extension_is_sniffed_and_read(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, [CF_HEADER, CF_ROW], name="upload")
    assert detect_format(path, None) is FileFormat.XLSX
    _, rows = read_all(path, FileFormat.XLSX)
    assert rows[0].values == dict(zip(CF_HEADER, CF_ROW, strict=True))


def test_corrupt_xlsx_is_a_file_problem(tmp_path: Path) -> None:
    for data in (b"not a zip at all", b"PK\x03\x04" + b"\x00" * 100):
        with pytest.raises(FileProblem, match=r"^not a readable XLSX file: "):
            open_rows(write(tmp_path, "a.xlsx", data), FileFormat.XLSX)
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as z:  # a real zip that is not a workbook
        z.writestr("hello.txt", "hi")
    with pytest.raises(FileProblem, match=r"^not a readable XLSX file: "):
        open_rows(tmp_path / "z.xlsx", FileFormat.XLSX)


def test_xlsx_with_empty_sheet_is_a_file_problem(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, [])
    with pytest.raises(FileProblem, match=r"^sheet '行政处罚' is empty"):
        open_rows(path, FileFormat.XLSX)


def test_xlsx_duplicate_and_unnamed_header_columns_are_file_problems(tmp_path: Path) -> None:
    with pytest.raises(FileProblem) as err:
        open_rows(make_xlsx(tmp_path, [[], ["a", "b", "a"]]), FileFormat.XLSX)
    assert err.value.message == "sheet '行政处罚' row 2: duplicate column names in the header: a"
    assert err.value.line == 2
    with pytest.raises(FileProblem, match=r"no name for column B$"):
        open_rows(make_xlsx(tmp_path, [["a", None, "c"]]), FileFormat.XLSX)


# ---------------------------------------------------------------------------------------------
# Format detection and hashing


def test_declared_format_wins_and_is_validated(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "a\n")
    assert detect_format(path, "JSONL") is FileFormat.JSONL
    assert detect_format(path, ".xlsx") is FileFormat.XLSX
    assert detect_format(path, "ndjson") is FileFormat.JSONL
    assert detect_format(path, "") is FileFormat.CSV  # nothing declared
    with pytest.raises(ValidationError) as err:
        detect_format(path, "pdf")
    assert err.value.field == "format"
    with pytest.raises(ValidationError, match=r"\.xlsx or CSV"):
        detect_format(path, "xls")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.csv", FileFormat.CSV),
        ("a.TXT", FileFormat.CSV),
        ("a.jsonl", FileFormat.JSONL),
        ("a.ndjson", FileFormat.JSONL),
        ("a.XLSX", FileFormat.XLSX),
    ],
)
def test_format_by_extension(tmp_path: Path, name: str, fmt: FileFormat) -> None:
    assert detect_format(write(tmp_path, name, b"{}"), None) is fmt


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"PK\x03\x04rest", FileFormat.XLSX),
        (b'\n  {"a": 1}\n', FileFormat.JSONL),
        (b'\xef\xbb\xbf{"a": 1}\n', FileFormat.JSONL),
        (b"a,b\n1,2\n", FileFormat.CSV),
        (b"", FileFormat.CSV),
    ],
)
def test_format_by_sniffing(tmp_path: Path, data: bytes, fmt: FileFormat) -> None:
    assert detect_format(write(tmp_path, "upload.dat", data), None) is fmt


def test_legacy_xls_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match=r"\.xls"):
        detect_format(write(tmp_path, "a.xls", b"x"), None)
    with pytest.raises(FileProblem, match=r"\.xls"):
        detect_format(write(tmp_path, "upload", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), None)


def test_missing_file_is_a_file_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match=r"^cannot read the file"):
        open_rows(tmp_path / "nope.csv", FileFormat.CSV)
    with pytest.raises(FileProblem, match=r"^cannot read the file"):
        detect_format(tmp_path / "nope", None)


def test_open_rows_rejects_an_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        open_rows(write(tmp_path, "a.csv", "a\n"), "pdf")  # type: ignore[arg-type]
    _, rows = open_rows(write(tmp_path, "a.csv", "a\n1\n"), "csv")  # type: ignore[arg-type]
    assert list(rows) == [Row(2, {"a": "1"}, None)]


def test_sha256_file_streams_and_matches_hashlib(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = write(tmp_path, "a.bin", data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# Properties: nothing crashes, nothing is lost, nothing is invented


# tmp_path is shared by the examples of one test; every example overwrites its files first.
FIXTURE_OK = [HealthCheck.function_scoped_fixture]


def drain(path: Path, fmt: FileFormat) -> None:
    try:
        _, rows = open_rows(path, fmt)
        for row in rows:
            assert isinstance(row, Row)
            assert (row.values is None) != (row.problem is None)
            assert row.line >= 1
    except FileProblem:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path: Path, data: bytes) -> None:
    for fmt in FileFormat:
        drain(write(tmp_path, f"fuzz.{fmt}", data), fmt)
    drain(write(tmp_path, "fuzz2.xlsx", b"PK\x03\x04" + data), FileFormat.XLSX)


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURE_OK)
@given(
    lines=st.lists(
        st.one_of(
            st.text(alphabet='{}[]":,\\ 0123456789aenlrtu\x00\r\t中', max_size=40),
            st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
        ),
        max_size=10,
    )
)
def test_json_like_lines_never_crash_the_reader(tmp_path: Path, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    drain(write(tmp_path, "fuzz.jsonl", data), FileFormat.JSONL)
    drain(write(tmp_path, "fuzz.csv", data), FileFormat.CSV)


_BREAK = re.compile(r"\r\n|\r|\n")
_FIELD = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12),
    st.text(alphabet=' ,"\r\n\t重庆市罚款公司aZ0', max_size=12),
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    name = st.from_regex(r"[A-Z][A-Z0-9_]{0,9}", fullmatch=True)
    header = draw(st.lists(name, min_size=1, max_size=5, unique=True))
    body = draw(st.lists(st.lists(_FIELD, min_size=len(header), max_size=len(header)), max_size=8))
    return header, body


def expected_rows(header: list[str], body: list[list[str]]) -> list[Row]:
    """What the reader must return: every non-blank row, stripped, at its first physical line."""
    line = 1 + len(_BREAK.findall(csv_text([header])))
    out: list[Row] = []
    for record in body:
        values = {name: value.strip() for name, value in zip(header, record, strict=True)}
        if any(values.values()):
            out.append(Row(line, values, None))
        line += len(_BREAK.findall(csv_text([record])))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURE_OK)
@given(table=tables(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_valid_csv_round_trips_exactly_with_line_numbers(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], encoding: str
) -> None:
    header, body = table
    text = csv_text([header, *body])
    data = text.encode(encoding)
    if encoding == "gb18030":
        # Inherent ambiguity of detection: GB18030 bytes that happen to be valid UTF-8 but mean
        # something else cannot be told apart from UTF-8.
        with contextlib.suppress(UnicodeDecodeError):
            assume(data.decode("utf-8") == text)
    path = write(tmp_path, "t.csv", data)
    info, rows = open_rows(path, FileFormat.CSV)
    assert info.columns == tuple(header)
    assert list(rows) == expected_rows(header, body)


def test_a_run_of_lone_carriage_returns_is_read_line_by_line(tmp_path: Path) -> None:
    # Each lone \r ends a (blank) line; a long run of them must not be split all at once.
    data = b"a,b\n" + b"\r" * 100_000 + b"1,2\n"
    tracemalloc.start()
    try:
        _, rows = read_all(write(tmp_path, "a.csv", data))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == [Row(100_002, {"a": "1", "b": "2"}, None)]
    assert peak < 2 * 1024 * 1024  # splitting all at once would take ~4 MB
