"""Issue 19.3: an English page shows the seeded catalogs' field labels in English, and the
values the vocabulary words (severity, kind of breach) in the page's language.

The seeded versions are not edited (``test_seed_file``: a published version never changes,
Art. 17): some of their English labels quote the Chinese terms beside their English
("severity (轻微 minor / ...)", "in units of 10,000 RMB (万元)"), and ``FieldSpec.label`` reads
them without those glosses."""

from __future__ import annotations

import re

from pcip.catalog.schemas import CHOICE_KINDS, FieldSpec, without_glosses
from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.kernel import vocabulary

CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")


def _fields() -> list[tuple[str, FieldSpec]]:
    return [(i.code, f) for c in SEED_CATALOGS for i in c.items for f in i.fields]


def test_issue19_3_every_seeded_english_label_reads_in_english() -> None:
    wrong = [(code, f.name, f.label("en")) for code, f in _fields() if CJK.search(f.label("en"))]
    assert not wrong
    assert all(f.label("zh_CN") == f.label_zh for _, f in _fields())


def test_issue19_3_only_the_glosses_are_left_out() -> None:
    severity = next(f for code, f in _fields() if code == "admin_penalty" and f.name == "severity")
    assert severity.label("en") == (
        "severity (minor / general / serious; codes 1/2/3; empty: the item's default)"
    )
    fine = next(f for code, f in _fields() if f.name == "CF_NR_FK")
    assert fine.label("en") == "fine amount, in units of 10,000 RMB"
    # Chinese that is not a gloss stays, for the one-language walk to find.
    assert without_glosses("the unit 渝中区") == "the unit 渝中区"
    assert without_glosses("no gloss here (e.g. 2099-12-31)") == "no gloss here (e.g. 2099-12-31)"


def test_issue19_3_every_choice_of_a_worded_field_has_words_in_both_languages() -> None:
    worded = [(code, f) for code, f in _fields() if f.name in CHOICE_KINDS and f.choices]
    assert {f.name for _, f in worded} == set(CHOICE_KINDS)
    for code, f in worded:
        for choice in f.choices or ():
            assert f.worded(choice), (code, f.name, choice)
            assert f.value_words(choice, "zh_CN") == choice
            assert not CJK.search(f.value_words(choice, "en")), (code, f.name, choice)
    severity = next(f for _, f in worded if f.name == "severity")
    assert severity.value_words("严重", "en") == "serious"
    assert severity.value_words("不明", "en") == "不明"  # unknown: data, as stored
    assert vocabulary.word("breach_type", "违约毁约", "en") == "breach or repudiation of a contract"
