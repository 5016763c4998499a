"""The words for the codes the services return (modes, reasons, states...), in the visitor's
language, read from the one vocabulary (``pcip.kernel.vocabulary``).

Display only: which reason applies, which state a case is in, is decided by the services; this
module only names those codes in the visitor's language. It keeps no table of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from pcip.catalog.schemas import CHOICE_KINDS, SCOPE_CATEGORIES, FieldSpec, FieldType
from pcip.catalog.service import item_spec, items_in_force
from pcip.kernel import messages, vocabulary
from pcip.web.i18n import _, current_locale


def word(kind: str, code: Any, form: vocabulary.Form | None = None) -> str:
    """The code's words in the visitor's language (the code itself if it has none)."""
    return vocabulary.word(kind, code, current_locale(), form)


def staff_word(kind: str, code: Any, form: vocabulary.Form | None = None) -> str:
    """The console's wording of the code (its ``staff`` form where it has one)."""
    return vocabulary.word(kind, code, current_locale(), form or "staff")


def has_word(kind: str, code: Any, form: vocabulary.Form | None = None) -> bool:
    return vocabulary.has(kind, code, form)


class Words(Mapping[str, str]):
    """A kind of the vocabulary read like a table (``STATES[code]`` in a template): the code's
    words in the visitor's language, in the form ``form`` where it has one. Doors hold these
    instead of tables of their own (``tests/test_vocabulary.py``)."""

    def __init__(self, kind: str, form: vocabulary.Form | None = None) -> None:
        self.kind = kind
        self.form = form

    def __getitem__(self, code: str) -> str:
        if not vocabulary.has(self.kind, code):
            raise KeyError(code)
        return vocabulary.word(self.kind, code, current_locale(), self.form)

    def __iter__(self) -> Iterator[str]:
        return iter(vocabulary.codes(self.kind))

    def __len__(self) -> int:
        return len(vocabulary.codes(self.kind))


def item_name(zh: str, en: str) -> str:
    return zh if current_locale().startswith("zh") else en


def category(n: int) -> str:
    """An Art. 18 scope category's name."""
    return word("scope_category", n)


#: Licence and listing end dates of 2099-12-31 (or later) mean "long-term"
#: (docs/facts.md#double-publicity).
LONG_TERM = "2099-12-31"


class FieldLabels:
    """Field names of the catalog items in force, in the visitor's language."""

    def __init__(self, session: Session) -> None:
        self._labels: dict[str, dict[str, tuple[str, str]]] = {}
        self._dates: dict[str, frozenset[str]] = {}
        self._specs: dict[str, dict[str, FieldSpec]] = {}
        for code, item in items_in_force(session).items():
            spec = item_spec(item)
            self._labels[code] = {f.name: (f.label("zh_CN"), f.label("en")) for f in spec.fields}
            self._dates[code] = frozenset(f.name for f in spec.fields if f.type is FieldType.DATE)
            self._specs[code] = {f.name: f for f in spec.fields if f.name in CHOICE_KINDS}

    def value(self, item_code: str, name: str, value: object) -> str:
        """A field's value as shown: a date of 2099-12-31 or later reads "long-term"; a value
        the vocabulary words (a severity) in the visitor's language; else as stored."""
        text = "" if value is None else str(value)
        if name in self._dates.get(item_code, ()) and text >= LONG_TERM and len(text) == 10:
            return _("Long-term")
        spec = self._specs.get(item_code, {}).get(name)
        return spec.value_words(text, current_locale()) if spec is not None else text

    def __call__(self, item_code: str, name: str) -> str:
        pair = self._labels.get(item_code, {}).get(name)
        if pair is None:
            return name
        return pair[0] if current_locale().startswith("zh") else pair[1]


def inquirer(display: str) -> Markup:
    """Who inquired, as a subject's history names them (Art. 39): "you" and "the public" in
    the visitor's language; an organisation by its name, marked as data (``translate="no"``)."""
    if vocabulary.has("inquirer", display):
        return Markup(escape(word("inquirer", display)))
    return Markup('<span translate="no">%s</span>') % display


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def data_lang(text: object) -> str:
    """The language tag of data quoted as it was given (a unit's name, a document number):
    ``zh-Hans`` where it holds Chinese characters, else empty (it reads in any language).

    A template marks the element holding such data with it (``<option lang="zh-Hans">``; the
    ``data`` filter does it for a ``<span>``), so
    readers, screen readers and the one-language check (issue 19.3) know the Chinese is a name
    quoted on an English page, not words left untranslated. Only for data: never for the
    page's own words."""
    return "zh-Hans" if _CJK.search(str(text or "")) else ""


def cite(text: str | None) -> str:
    """An article reference in the visitor's language (第四十条第二款 on a Chinese page)."""
    return messages.cite(text or "", current_locale())


_ZH_THEN_EN = (
    re.compile(r"^(?P<zh>.*?[。；])\s+(?P<en>[A-Z].*)$", re.DOTALL),  # "中文。 English."
    re.compile(r"^(?P<zh>.*?)\s+\((?P<en>[a-z].*)\)$", re.DOTALL),  # "中文 (english; cite)"
)


def own_language(text: str | None) -> str:
    """One language of a data text that gives both (a list type's standard, conditions,
    procedure and remedies are written "中文。 English (citation)."): the visitor's; a text in
    one language as it is."""
    text = text or ""
    for pattern in _ZH_THEN_EN:
        found = pattern.match(text)
        if found:
            if current_locale().startswith("zh"):
                return found["zh"]
            en = found["en"]
            return en[:1].upper() + en[1:]
    return text


def template_helpers() -> dict[str, Any]:
    """Globals for templates: ``word("mode", code)``, ``staff_word("state", code)``..."""
    return {
        "word": word,
        "inquirer": inquirer,
        "cite": cite,
        "data_lang": data_lang,
        "own_language": own_language,
        "staff_word": staff_word,
        "has_word": has_word,
        "item_name": item_name,
        "category": category,
        "SCOPE_CATEGORIES": sorted(SCOPE_CATEGORIES),
    }


def as_data(value: Any) -> Markup:
    """A value shown as the data gives it (a name, what someone typed, a document number),
    marked so that a reader, a translation tool or ``tests/web/one_language.py`` leaves its
    language alone: ``{{ _("Signed in as %(name)s", name=who|data) }}``. Chinese data also
    names its language (``lang="zh-Hans"``, ``pcip.web.labels.data_lang``), for screen
    readers on an English page."""
    text = "" if value is None else value
    tag = data_lang(text)
    if tag:
        return Markup('<span lang="%s" translate="no">%s</span>') % (tag, text)
    return Markup('<span translate="no">%s</span>') % (text,)
