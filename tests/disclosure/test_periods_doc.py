"""Issue 14 (done-when): docs/disclosure.md has one table of the periods of every negative
item for every kind of subject, and it is the one the catalog data (which the rules apply)
renders."""

from __future__ import annotations

from pathlib import Path

from pcip.catalog.seed_data import SEED_CATALOGS
from pcip.disclosure.periods import BEGIN, END, rows, seeded_markdown
from pcip.kernel.enums import Polarity

DOC = Path(__file__).resolve().parents[2] / "docs" / "disclosure.md"
ITEMS = [i for c in SEED_CATALOGS for i in c.items]


def test_issue14_disclosure_doc_table_is_the_one_rendered_from_the_catalog() -> None:
    text = DOC.read_text("utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END) + 1
    assert text[start:end] == seeded_markdown(), (
        "docs/disclosure.md is out of date: paste `python -m pcip.disclosure.periods`"
    )
    # ONE table: no other table rows in the document.
    rest = text[:start] + text[end:]
    assert not [line for line in rest.splitlines() if line.startswith("|")]


def test_issue14_every_negative_item_has_a_row_per_kind_of_subject_with_a_citation() -> None:
    got = {(r.item.split("`")[1], r.kind) for r in rows(ITEMS)}
    negative = [i for i in ITEMS if i.polarity is Polarity.NEGATIVE]
    assert len(got) == sum(len(i.subject_kinds) for i in negative)
    assert {i.code for i in negative} >= {
        "admin_penalty",
        "abnormal_operation_list",
        "tax_arrears",
        "social_insurance_arrears",
        "court_judgment_defaulter",
        "false_materials",
        "pledge_breach",
        "cq_government_pledge_breach",
    }
    for r in rows(ITEMS):
        assert len(r.citation) > 20 and r.period and r.starts and r.authorities, r
