"""Finding text of the other language on a page (issue 19.3).

A page speaks one language. :func:`foreign_text` reads a rendered page as a visitor sees it
(text nodes and the attributes a visitor reads or hears: ``title``, ``alt``, ``placeholder``,
``aria-label``, the ``value`` of a button) and returns what is in the other language:

* on a **Chinese** page, runs of Latin words. Allowed, because they are not English: tokens
  with a digit (USCCs, identifiers, numbers, dates, versions, file names such as
  ``receipt.txt``), single letters (a check character "X"), the file formats and names in
  :data:`ALLOWED_LATIN` (PDF, CSV, API, USCC...), and whatever is marked as data;
* on an **English** page, CJK characters outside data.

**Data** is what the platform shows as it was given: an organisation's name, a record's fields,
a unit's name, a document number, what a subject typed, the name of the other language on the
switch. Templates mark it with ``translate="no"`` or with a ``lang`` attribute naming the other
language (``<option lang="zh-Hans">`` where an option holds a unit's Chinese name on an English
page: an option cannot hold markup) on the element that holds it; the checker skips everything
inside such an element, its attributes too (a ``lang`` naming the page's own language marks
nothing), and inside ``<script>``,
``<style>``, ``<code>`` (codes shown as codes on purpose), ``<pre>`` (a file as sent) and
``<title>`` (it repeats the page's heading, where a name is marked; a title cannot hold markup).

On a page of **either** language, the platform's internal codes are foreign too (issue 19.3):
an actor as the log keeps it (``subject:1``, ``operator:account:1``), a code with an
underscore (``label_removed``, ``admin_penalty``) and raw JSON (``{"207": true}``). A code on
an English page is not English, and a digit does not make ``subject:1`` data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Latin tokens a Chinese page may carry: names of formats, standards and protocols that
#: Chinese text writes in Latin letters, and the platform's abbreviations readers know.
ALLOWED_LATIN = frozenset(
    {
        "PDF",
        "CSV",
        "JSON",
        "XML",
        "API",
        "USCC",
        "ID",
        "URL",
        "HTTP",
        "HTTPS",
        "PNG",
        "JPEG",
        "JPG",
        "TXT",
        "ZIP",
        "KB",
        "MB",
        "GB",
        "NATS",
        "SHA",
        "GB/T",
        "Ed25519",
        "htmx",
        "English",
        "IP",
        "OK",
        "QR",
        "Email",
        "HMAC",
        "ISO",
        "JSONL",
        "XLSX",
        "YAML",
        "UTF-8",
        "GB18030",
        "YYYY-MM-DD",
    }
)
_SKIP_TAGS = {"script", "style", "code", "pre", "svg", "template", "title"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_READ_ATTRS = ("title", "alt", "placeholder", "aria-label")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'./:\-]*[A-Za-z0-9_]|[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")


@dataclass
class _Reader(HTMLParser):
    page_lang: str = "zh"
    texts: list[str] = field(default_factory=list)
    stack: list[tuple[str, bool]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        lang = (a.get("lang") or "").split("-")[0].lower()
        skip = (
            tag in _SKIP_TAGS
            or a.get("translate") == "no"
            or (tag != "html" and bool(lang) and lang != self.page_lang)
            or (tag == "input" and a.get("type") == "hidden")
        )
        if not skip and not self._skipping():
            for name in _READ_ATTRS:
                if a.get(name):
                    self.texts.append(str(a[name]))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.texts.append(str(a["value"]))
        if tag not in _VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.texts.append(data)


_FILE = re.compile(r"^[\w.-]+\.[A-Za-z0-9]{1,5}$")  # a file name: receipt.txt
#: An internal code: letters joined to more by ``_`` or ``:`` (``subject:1``, ``label_removed``).
_CODE = re.compile(r"^[A-Za-z]+(?:[_:][A-Za-z0-9]+)+$")
#: Raw JSON: an object or a list of strings or numbers as ``json.dumps`` writes it.
#: A year in brackets before "No." is a document number as English writes 〔2015〕 (法释〔2015〕
#: 17号: "Fa Shi [2015] No. 17"), not a list.
_JSON = re.compile(r"\{\s*\"|\[\s*\"|\[\d+(?:,\s*\d+)*\](?!\s*No\.)|:\s*(?:true|false|null)\b")


def _codes(text: str) -> list[str]:
    """The internal codes and raw JSON in ``text`` (foreign on a page of either language)."""
    found = [m.group(0) for m in _JSON.finditer(text)]
    for token in text.split():
        bare = token.strip("'\".,;:()（）。，；：")
        # FROM:TO in capitals is a format a help text spells out, not a code.
        placeholder = bare.isupper() and "_" not in bare
        if _CODE.match(bare) and not _FILE.match(bare) and not placeholder:
            found.append(bare)
    return found


def _allowed(word: str) -> bool:
    bare = word.strip("'.:/-")
    return (
        len(bare) <= 1
        or any(c.isdigit() for c in bare)
        or "/" in bare  # a path or a media type: docs/web.md, text/plain
        or bool(_FILE.match(bare))
        or bare in ALLOWED_LATIN
        or (bare.upper() in ALLOWED_LATIN and bare.isupper())
    )


def foreign_text(html: str, locale: str) -> list[str]:
    """The pieces of ``html`` in the other language than ``locale`` (empty when none)."""
    page_lang = "zh" if locale.startswith("zh") else "en"
    reader = _Reader(page_lang=page_lang)
    reader.feed(html)
    found: list[str] = []
    for text in reader.texts:
        codes = _codes(text)
        if codes:
            found.append(" ".join(codes) + "  ⟨" + " ".join(text.split())[:120] + "⟩")
            continue
        if page_lang == "en":
            found += [m.group(0) for m in _CJK.finditer(text) if m.group(0).strip("\u3000")]
        else:
            words = [w for w in _WORD.findall(text) if not _allowed(w)]
            if words:
                found.append(" ".join(words) + "  ⟨" + " ".join(text.split())[:120] + "⟩")
    return found
