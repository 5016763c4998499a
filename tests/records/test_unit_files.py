"""Issue 14 point 11: providing units' real files go in (Art. 20, 23).

Version-1 column names are read as the current fields with a warning; every unknown column is
named in a warning (also when rows are rejected); document-type codes 01-05 and licence
categories 01-06 are read as their words; 2099/12/31 is shown as long-term; field lengths of
the layout are enforced with an error naming the field and the limit. Each in GB18030 CSV,
UTF-8 CSV with and without BOM, and XLSX.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from sqlalchemy import select

from pcip.disclosure.service import disclose, held_records
from pcip.inquiry.present import own_record_out
from pcip.kernel.enums import InquiryMode
from pcip.kernel.platform import Platform
from pcip.records.ingest import IngestSummary, ingest_file
from pcip.records.models import CreditRecord, RecordVersion, RejectedRow
from pcip.subjects.models import Subject
from tests.helpers import citizen_id, uscc
from tests.records.builders import ACTOR
from tests.web.support import browser

FORMS = ["gb18030", "utf-8", "utf-8-sig", "xlsx"]
AUTHORITY = "重庆市渝中区市场监督管理局"

CF_V1 = [
    "CF_WSH",
    "CF_CFMC",
    "CF_CFLB1",
    "CF_CFLB2",
    "CF_SY",
    "CF_YJ",
    "CF_XDR_MC",
    "CF_XDR_SHXYM",
    "CF_XDR_ZDM",
    "CF_XDR_GSDJ",
    "CF_XDR_SWDJ",
    "CF_XDR_SFZ",
    "CF_FR",
    "CF_JG",
    "CF_JDRQ",
    "CF_XZJG",
    "CF_ZT",
    "DFBM",
    "SJC",
    "BZ",
]
ORG = uscc(8101)
REP = citizen_id(81, born=date(1975, 6, 1))
PERSON = citizen_id(82, born=date(1988, 2, 3))
LIN = citizen_id(84, born=date(1970, 1, 1))


def cf_v1_rows() -> list[list[str]]:
    common = {
        "CF_CFLB1": "罚款",
        "CF_SY": "未按规定公示年度报告",
        "CF_YJ": "《企业信息公示暂行条例》第十八条",
        "CF_JG": "罚款人民币5000元",
        "CF_JDRQ": "2026/10/15",
        "CF_XZJG": AUTHORITY,
        "CF_ZT": "0",
        "DFBM": "500103",
        "SJC": "2026/10/16",
        "BZ": "",
    }
    org = {
        **common,
        "CF_WSH": "渝中市监罚〔2026〕101号",
        "CF_CFMC": "未按规定公示年度报告案",
        "CF_CFLB2": "没收违法所得",
        "CF_XDR_MC": "重庆旧版格式商贸有限公司",
        "CF_XDR_SHXYM": ORG,
        "CF_XDR_ZDM": "",
        "CF_XDR_GSDJ": "500103000012345",
        "CF_XDR_SWDJ": "",
        "CF_XDR_SFZ": REP,  # unit systems put the legal representative's number here
        "CF_FR": "李四",
    }
    person = {
        **common,
        "CF_WSH": "渝中市监罚〔2026〕102号",
        "CF_CFMC": "无照经营案",
        "CF_CFLB2": "",
        "CF_XDR_MC": "王五",
        "CF_XDR_SHXYM": "",
        "CF_XDR_ZDM": "",
        "CF_XDR_GSDJ": "",
        "CF_XDR_SWDJ": "",
        "CF_XDR_SFZ": PERSON,
        "CF_FR": "",
    }
    return [CF_V1, [org[c] for c in CF_V1], [person[c] for c in CF_V1]]


def write(tmp_path: Path, rows: list[list[str]], form: str, name: str) -> Path:
    if form == "xlsx":
        path = tmp_path / f"{name}.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        for row in rows:
            ws.append(row)
        wb.save(path)
        return path
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding=form, newline="") as fh:
        csv.writer(fh).writerows(rows)
    if form == "utf-8-sig":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    return path


def run(platform: Platform, path: Path, unit: str, item: str) -> IngestSummary:
    return ingest_file(platform, ACTOR, path, provider_uscc=unit, item_code=item)


def payloads(platform: Platform, item: str) -> dict[str, dict[str, object]]:
    with platform.transaction() as s:
        rows = s.execute(
            select(CreditRecord.natural_key, RecordVersion.payload)
            .join(RecordVersion, RecordVersion.record_id == CreditRecord.id)
            .where(CreditRecord.item_code == item)
        ).all()
    return {str(p.get("CF_WSH") or p.get("XK_WSH")): dict(p) for _, p in rows}


@pytest.mark.parametrize("form", FORMS)
def test_issue14_11_version1_penalty_file_is_read_as_the_current_layout(
    platform: Platform, unit: str, tmp_path: Path, form: str
) -> None:
    summary = run(platform, write(tmp_path, cf_v1_rows(), form, "v1"), unit, "admin_penalty")
    assert (summary.accepted, summary.rejected) == (2, 0), summary.as_json()
    warnings = "\n".join(summary.warnings)
    for old, new in (
        ("CF_CFLB1", "CF_CFLB"),
        ("CF_CFLB2", "CF_CFLB"),
        ("CF_XDR_ZDM", "CF_XDR_ZZJG"),
        ("CF_XDR_GSDJ", "CF_XDR_GSZC"),
        ("CF_XDR_SFZ", "CF_XDR_ZJHM"),
        ("CF_FR", "CF_FRDB"),
        ("CF_JG", "CF_NR"),
        ("CF_XZJG", "CF_CFJG"),
    ):
        assert f"column {old} is a version-1 name: read as {new}" in warnings, old
    for meta in ("DFBM", "SJC"):
        assert f"column {meta} (" in warnings and "not stored" in warnings
    for unknown in ("CF_CFMC", "CF_ZT"):
        assert f"column {unknown} is not a field of item admin_penalty" in warnings
    got = payloads(platform, "admin_penalty")
    org = got["渝中市监罚〔2026〕101号"]
    assert org["CF_CFLB"] == "罚款；没收违法所得"
    assert (org["CF_FRDB"], org["CF_CFJG"], org["CF_NR"]) == ("李四", AUTHORITY, "罚款人民币5000元")
    assert (org["CF_XDR_LB"], org["CF_XDR_GSZC"]) == ("法人及非法人组织", "500103000012345")
    assert org["CF_FR_ZJLX"] == "身份证" and "CF_XDR_ZJHM" not in org  # the legal rep's number
    assert org["CF_WFXW"] == org["CF_SY"] == "未按规定公示年度报告"
    person = got["渝中市监罚〔2026〕102号"]
    assert (person["CF_XDR_LB"], person["CF_XDR_ZJLX"]) == ("自然人", "身份证")
    with platform.transaction() as s:
        assert s.scalar(select(Subject.kind).where(Subject.uscc == ORG)) == "legal_person"


@pytest.mark.parametrize("form", FORMS)
def test_issue14_11_unknown_columns_are_named_even_when_every_row_is_rejected(
    platform: Platform, unit: str, tmp_path: Path, form: str
) -> None:
    rows = [["CF_XDR_MC", "CF_XYZ_UNKNOWN", "处罚事由"], ["某公司", "x", "y"]]
    summary = run(platform, write(tmp_path, rows, form, "bad"), unit, "admin_penalty")
    assert summary.rejected == 1 and summary.accepted == 0
    for name in ("CF_XYZ_UNKNOWN", "处罚事由"):
        assert any(f"column {name} is not a field" in w for w in summary.warnings), name


LICENCE_V1 = [
    "XK_WSH",
    "XK_XMMC",
    "XK_SPLB",
    "XK_NR",
    "XK_XDR",
    "XK_XDR_SHXYM",
    "XK_XDR_ZDM",
    "XK_XDR_GSDJ",
    "XK_XDR_SWDJ",
    "XK_XDR_SFZ",
    "XK_FR",
    "XK_JDRQ",
    "XK_JZQ",
    "XK_XZJG",
    "XK_ZT",
    "DFBM",
    "SJC",
    "BZ",
]


@pytest.mark.parametrize("form", FORMS)
def test_issue14_11_version1_licence_codes_read_as_words_and_2099_shown_as_long_term(
    platform: Platform, unit: str, tmp_path: Path, form: str
) -> None:
    org = uscc(8201)
    values = {
        "XK_WSH": "渝中食药许〔2026〕7号",
        "XK_XMMC": "食品经营许可证",
        "XK_SPLB": "01",
        "XK_NR": "预包装食品销售",
        "XK_XDR": "重庆长期许可餐饮有限公司",
        "XK_XDR_SHXYM": org,
        "XK_XDR_ZDM": "",
        "XK_XDR_GSDJ": "",
        "XK_XDR_SWDJ": "",
        "XK_XDR_SFZ": "",
        "XK_FR": "赵六",
        "XK_JDRQ": "2026/10/15",
        "XK_JZQ": "2099/12/31",
        "XK_XZJG": AUTHORITY,
        "XK_ZT": "1",
        "DFBM": "500103",
        "SJC": "2026/10/16",
        "BZ": "",
    }
    rows = [LICENCE_V1, [values[c] for c in LICENCE_V1]]
    summary = run(platform, write(tmp_path, rows, form, "xk"), unit, "admin_licence")
    assert summary.accepted == 1, summary.as_json()
    assert any("column XK_SPLB is a version-1 name: read as XK_XKLB" in w for w in summary.warnings)
    assert any("column DFBM (" in w for w in summary.warnings)
    (stored,) = payloads(platform, "admin_licence").values()
    assert (stored["XK_XKLB"], stored["XK_YXQZI"]) == ("普通", "2099-12-31")
    assert (stored["XK_XKWS"], stored["XK_YXQZ"]) == ("食品经营许可证", "2026-10-15")
    page = browser(platform).get(f"/organisations/{org}").text
    assert "长期" in page and "2099-12-31" not in page
    assert "普通" in page


@pytest.mark.parametrize(
    ("code", "word"),
    [
        ("01", "普通"),
        ("02", "特许"),
        ("03", "认可"),
        ("04", "核准"),
        ("05", "登记"),
        ("06", "其他"),
    ],
)
def test_issue14_11_licence_category_codes(
    platform: Platform, unit: str, tmp_path: Path, code: str, word: str
) -> None:
    header = ["XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XKWS", "XK_WSH", "XK_XKLB"]
    header += ["XK_NR", "XK_JDRQ", "XK_YXQZ", "XK_YXQZI", "XK_XKJG"]
    row = ["重庆许可类别测试有限公司", "法人及非法人组织", uscc(8300), "许可决定书", f"许{code}号"]
    row += [code, "内容", "2026-10-01", "2026-10-01", "2031-09-30", AUTHORITY]
    summary = run(platform, write(tmp_path, [header, row], "utf-8", "lb"), unit, "admin_licence")
    assert summary.accepted == 1, summary.as_json()
    (stored,) = payloads(platform, "admin_licence").values()
    assert stored["XK_XKLB"] == word


PERSON_HEADER = ["CF_XDR_MC", "CF_XDR_LB", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "birth_date", "CF_WSH"]
PERSON_HEADER += ["CF_WFXW", "CF_SY", "CF_YJ", "CF_CFLB", "CF_NR", "CF_JDRQ", "CF_CFJG", "severity"]


@pytest.mark.parametrize("form", FORMS)
def test_issue14_11_document_type_codes_and_art3_birth_dates_and_severity_codes(
    platform: Platform, unit: str, tmp_path: Path, form: str
) -> None:
    """Codes 01-05 are read and shown as their words; a person identified by another document
    carries the birth date the unit sends, and without one is treated as possibly a minor;
    severity codes 1/2/3 are read as 轻微/一般/严重."""
    tail = ["无照经营", "无照经营", "《无证无照经营查处办法》", "罚款", "罚款2000元", "2026-10-15"]
    tail += [AUTHORITY]
    rows = [
        PERSON_HEADER,
        ["陈小明", "自然人", "03", "H10000001", "2009-05-01", "渝罚〔2026〕201号", *tail, "3"],
        ["陈大明", "自然人", "03", "H10000002", "", "渝罚〔2026〕202号", *tail, "2"],
        ["陈中明", "自然人", "04", "T10000003", "1990-01-01", "渝罚〔2026〕203号", *tail, "严重"],
        ["林一", "自然人", "01", LIN, "", "渝罚〔2026〕204号", *tail, "1"],
    ]
    summary = run(platform, write(tmp_path, rows, form, "docs"), unit, "admin_penalty")
    assert (summary.accepted, summary.rejected) == (4, 0), summary.as_json()
    got = payloads(platform, "admin_penalty")
    assert got["渝罚〔2026〕201号"]["CF_XDR_ZJLX"] == "港澳居民来往内地通行证"
    assert got["渝罚〔2026〕203号"]["CF_XDR_ZJLX"] == "台湾居民来往大陆通行证"
    assert got["渝罚〔2026〕204号"]["CF_XDR_ZJLX"] == "身份证"
    assert got["渝罚〔2026〕201号"]["severity"] == "严重"
    assert got["渝罚〔2026〕201号"]["birth_date"] == "****-**-**"  # kept with the person
    with platform.transaction() as s:
        versions = {str(v.payload["CF_WSH"]): v.severity for v in s.scalars(select(RecordVersion))}
        assert versions == {
            "渝罚〔2026〕201号": "serious",
            "渝罚〔2026〕202号": "general",
            "渝罚〔2026〕203号": "serious",
            "渝罚〔2026〕204号": "minor",
        }
        people = {p.name: p for p in s.scalars(select(Subject).where(Subject.kind == "person"))}
        assert people["陈小明"].birth_date == date(2009, 5, 1)
        assert people["陈大明"].birth_date is None
        today = date(2026, 11, 26)
        public = {
            name: disclose(held_records(s, p), InquiryMode.PUBLIC_DISCLOSURE, today)
            for name, p in people.items()
        }
        assert public["陈小明"] == []  # 17 on the day of the conduct (Art. 3)
        assert public["陈大明"] == []  # birth date unknown: possibly a minor
        assert len(public["陈中明"]) == 1  # an adult, serious: public for 3 years
        assert public["林一"] == []  # minor severity: not published
        authority = disclose(
            held_records(s, people["陈大明"]), InquiryMode.AUTHORITY, today, "supervision"
        )
        assert len(authority) == 1
        # The record says why it is not public: the birth date is not known.
        mine = own_record_out(held_records(s, people["陈大明"])[0], today)
        assert mine is not None
        reasons = [n.code for n in mine.disclosure["public_disclosure"].reasons]
        assert reasons[0] == "birth_date_unknown"


@pytest.mark.parametrize("form", FORMS)
def test_issue14_11_field_lengths_are_enforced_naming_the_field_and_the_limit(
    platform: Platform, unit: str, tmp_path: Path, form: str
) -> None:
    header = CF_V1
    values = dict(zip(CF_V1, cf_v1_rows()[1], strict=True))
    values["CF_XDR_MC"] = "重" * 201
    values["CF_FR"] = "李" * 51
    summary = run(
        platform,
        write(tmp_path, [header, [values[c] for c in header]], form, "l"),
        unit,
        "admin_penalty",
    )
    assert summary.rejected == 1
    with platform.transaction() as s:
        (rejected,) = s.scalars(select(RejectedRow)).all()
        errors = {e["field"]: e["message"] for e in rejected.errors}
    assert "is 201 characters long, at most 200" in errors["CF_XDR_MC"]
    assert "is 51 characters long, at most 50" in errors["CF_FRDB"]
    assert "(read from the version-1 column CF_FR)" in errors["CF_FRDB"]
