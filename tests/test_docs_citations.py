"""The repository explains itself (issue 15.9): every document the code, the tests and the docs
cite is in ``docs/``, with the anchor cited; every decision (D-n) and state machine (SM-n) the
code names is in ``docs/decisions.md``; nothing cites the spec files that lived outside the
repository."""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SOURCES = ("pcip", "tests", "bench", "docs", "README.md", "Makefile")
SUFFIXES = {".py", ".md", ".html", ".po", ".toml", ".cfg", ""}
#: The names of the spec files that were never in the repository (spelt so that this file
#: does not cite them itself).
GONE = re.compile(r"(?<![\w/])(?:" + "|".join(("DESIGN", "FACTS", "REGULATION")) + r")\.md")
#: ``docs/facts.md``, ``docs/facts.md#working-days``, ``docs/decisions.md#d-1, #d-3``.
CITED = re.compile(r"\bdocs/([\w-]+\.md)(#[\w-]+(?:,\s*#[\w-]+)*)?")
#: A relative Markdown link between documents: ``[x](facts.md#publicity-periods)``.
LINKED = re.compile(r"\]\(([\w-]+\.md)(#[\w-]+)?\)")


def _files() -> list[Path]:
    out: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
            ]
    return out


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@cache
def anchors(name: str) -> frozenset[str]:
    text = _text(DOCS / name)
    ids = set(re.findall(r'<a id="([\w-]+)"></a>', text))
    ids |= {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}
    return frozenset(ids)


def _citations() -> list[tuple[str, str, str]]:
    """(where, document, anchor or "") for every citation of a document in docs/."""
    out = []
    for path in _files():
        where = str(path.relative_to(ROOT))
        text = _text(path)
        for m in CITED.finditer(text):
            tags = re.findall(r"#([\w-]+)", m.group(2) or "")
            out += [(where, m.group(1), t) for t in tags] or [(where, m.group(1), "")]
        if path.parent == DOCS:
            out += [(where, m.group(1), (m.group(2) or "#")[1:]) for m in LINKED.finditer(text)]
    return out


def test_nothing_cites_the_spec_files_that_are_not_in_the_repository() -> None:
    stale = [
        f"{p.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for p in _files()
        for text in (_text(p),)
        for m in GONE.finditer(text)
    ]
    assert not stale, "run `python tools/rewrite_citations.py`:\n" + "\n".join(stale)


def test_every_cited_document_and_anchor_exists() -> None:
    found = _citations()
    assert len(found) > 60  # the design, facts, decisions and regulation citations at least
    missing = [
        f"{where}: docs/{doc}" + (f"#{tag}" if tag else "")
        for where, doc, tag in found
        if not (DOCS / doc).is_file() or (tag and tag not in anchors(doc))
    ]
    assert not missing, "\n".join(missing)


def test_every_decision_and_state_machine_the_code_names_is_documented() -> None:
    named: dict[str, str] = {}
    for path in _files():
        if path.parent == DOCS and path.name == "decisions.md":
            continue
        for m in re.finditer(r"\b(D|SM)-(\d+)\b", _text(path)):
            named.setdefault(f"{m.group(1).lower()}-{m.group(2)}", str(path.relative_to(ROOT)))
    assert {"d-1", "d-2", "d-6", "sm-1"} <= set(named)
    missing = sorted(
        f"{a} ({where})" for a, where in named.items() if a not in anchors("decisions.md")
    )
    assert not missing, "add to docs/decisions.md: " + ", ".join(missing)


def test_art1_every_article_of_the_regulations_has_its_anchor() -> None:
    """Art. 1-57: a citation ``Art. n`` resolves to the anchor ``art-<n>`` of regulation.md."""
    assert {f"art-{n}" for n in range(1, 58)} <= anchors("regulation.md")


def test_the_citation_rewrite_has_nothing_left_to_do() -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import rewrite_citations
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert rewrite_citations.main(["--check"]) == 0
    # It is idempotent and keeps lines within the limit it reflows to.
    facts, regulation, design = (f"{name}.md" for name in ("FACTS", "REGULATION", "DESIGN"))
    sample = f'    """Deadlines ({facts} 4; {regulation} D-1, D-3; {design} 2.2-2.3)."""\n'
    once = rewrite_citations.rewrite(sample, python=True)
    assert rewrite_citations.rewrite(once, python=True) == once
    assert "docs/facts.md#working-days" in once and "docs/decisions.md#d-1, #d-3" in once
    assert all(len(line) <= 100 for line in once.splitlines())
