"""A report as HTML and as PDF (Art. 29): one template, drawn by WeasyPrint in a CJK font.

The PDF embeds the report number, the key fingerprint and a QR code of the verification
address (``/verify?number=...``). The font is Noto Sans CJK from Debian's ``fonts-noto-cjk``
(``make browser``): without a CJK font WeasyPrint silently draws empty boxes, so
``tests/reports`` reads the text back with ``pdftotext``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("zh", "en")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

#: The report's own words, in both languages (the document is printed in one of them).
WORDS: dict[str, dict[str, str]] = {
    "title": {"zh": "公共信用信息报告", "en": "Public Credit Information Report"},
    "number": {"zh": "报告编号", "en": "Report number"},
    "issued_at": {"zh": "出具时间", "en": "Issued at"},
    "period": {"zh": "信息期间", "en": "Period covered"},
    "requester": {"zh": "查询人", "en": "Requested by"},
    "mode": {"zh": "查询方式", "en": "Inquiry mode"},
    "self": {"zh": "本人查询", "en": "the subject's own inquiry"},
    "authorized": {"zh": "授权查询", "en": "authorized inquiry"},
    "fee": {"zh": "收费", "en": "Fee"},
    "free": {"zh": "免费 (0 元)", "en": "free (CNY 0)"},
    "subject": {"zh": "信用主体", "en": "Credit subject"},
    "identifier": {"zh": "统一社会信用代码 / 证件号码", "en": "USCC / identifier"},
    "empty": {"zh": "报告期内无相关信息", "en": "No relevant information in the period"},
    "source": {"zh": "信息来源", "en": "Source unit"},
    "basis": {"zh": "依据文书", "en": "Basis document"},
    "dates": {"zh": "日期", "en": "Dates"},
    "status": {"zh": "状态", "en": "Status"},
    "active": {"zh": "有效", "en": "in effect"},
    "recorded": {"zh": "归集", "en": "recorded"},
    "decided": {"zh": "决定", "en": "decided"},
    "verify": {"zh": "扫码或访问以下地址核验本报告真伪", "en": "Scan or visit to verify"},
    "key": {"zh": "签名公钥指纹", "en": "Signing key fingerprint"},
    "regulation": {"zh": "依据", "en": "Under"},
    "regulation_text": {
        "zh": "《重庆市社会信用条例》（2021年，自2021年7月1日起施行）",
        "en": "Chongqing Social Credit Regulations (2021), effective 2021-07-01",
    },
    "web": {"zh": "网站", "en": "web"},
    "api": {"zh": "系统接口", "en": "API"},
    "mobile": {"zh": "移动端", "en": "mobile"},
    "desk": {"zh": "窗口", "en": "service desk"},
    "the_subject": {"zh": "本人", "en": "the subject"},
    "objection": {
        "zh": "对任何记录有异议的，可在线提出异议：平台 %(label)s 个工作日内标注，"
        "%(decide)s 个工作日内作出处理决定（%(article)s）。",
        "en": "You may object to any record online: the platform labels it within %(label)s "
        "working day(s) and decides within %(decide)s working days (%(article)s).",
    },
    "provided_until": {
        "zh": "%(item)s：提供至 %(day)s（第四十三条）",
        "en": "%(item)s: provided until %(day)s (Art. 43)",
    },
    "no_end": {"zh": "%(item)s：未设提供期限", "en": "%(item)s: no provision end set"},
    "restoration_from": {
        "zh": "%(item)s：自 %(day)s 起可申请信用修复，免费（第四十五条）",
        "en": "%(item)s: credit restoration may be requested from %(day)s, free of charge "
        "(Art. 45)",
    },
    "restoration_now": {
        "zh": "%(item)s：现在即可申请信用修复，免费（第四十五条）",
        "en": "%(item)s: credit restoration may be requested now, free of charge (Art. 45)",
    },
    "restoration_none": {
        "zh": "信用修复（第四十五条）：本报告中没有可申请修复的失信信息。",
        "en": "Credit restoration (Art. 45): no information in this report can be restored.",
    },
    "restoration_not_yet": {
        "zh": "信用修复（第四十五条）：本平台尚未开通在线申请。",
        "en": "Credit restoration (Art. 45): not yet available on this platform.",
    },
    "listed_on": {"zh": "列入日期", "en": "Listed on"},
    "listed_until": {"zh": "列入期限", "en": "Listed until"},
    "authority": {"zh": "认定部门", "en": "Deciding authority"},
    "count": {"zh": "条数", "en": "Count"},
    "labels": {"zh": "标注", "en": "Labels"},
}


def verify_url(base: str, number: str) -> str:
    return f"{base.rstrip('/')}/verify?number={quote(number)}"


def qr_svg(url: str) -> str:
    """A data URI of the QR code (SVG) of ``url``."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def html(content: dict[str, Any], *, base_url: str, lang: str = "zh") -> str:
    """The report page (also the PDF's source)."""
    lang = lang if lang in LANGUAGES else "zh"
    url = verify_url(base_url, str(content["number"]))

    def t(key: str, **kw: object) -> str:
        text = WORDS[key][lang]
        return text % kw if kw else text

    return _env.get_template("report.html").render(
        c=content, lang=lang, t=t, verify_url=url, qr=qr_svg(url)
    )


#: Idle WeasyPrint font configurations (fontconfig's configuration and pango's font map, with
#: the fonts it has loaded). Made once and reused: WeasyPrint otherwise makes one per document
#: and loads the fonts again. One document at a time uses one (pango's objects are not to be
#: shared by threads at once); a server rendering in several threads makes as many as it renders
#: at the same time.
_font_configs: list[Any] = []
_font_configs_lock = threading.Lock()


def pdf(content: dict[str, Any], *, base_url: str, lang: str = "zh") -> bytes:
    from weasyprint import HTML  # imported on use: it loads pango (a second to start)
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    source = html(content, base_url=base_url, lang=lang)
    with _font_configs_lock:
        config = _font_configs.pop() if _font_configs else None
    if config is None:
        config = FontConfiguration()
    data = bytes(HTML(string=source).write_pdf(font_config=config))
    with _font_configs_lock:  # reused only after a document drawn to its end
        _font_configs.append(config)
    return data
