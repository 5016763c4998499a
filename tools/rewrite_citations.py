"""Point the citations of the old, out-of-tree spec files at the documents in ``docs/``.

The code once cited ``DESIGN.md``, ``FACTS.md`` and ``REGULATION.md``, which were never in the
repository. Their content is now in ``docs/design.md``, ``docs/facts.md``,
``docs/decisions.md`` and ``docs/regulation.md``; this script rewrites every citation to the
document and anchor that holds it (issue 15.9). It is idempotent: run it again after merging
a branch that still carries old citations.

    python tools/rewrite_citations.py           # rewrite in place, print what changed
    python tools/rewrite_citations.py --check   # exit 1 if anything is left to rewrite

``tests/test_docs_citations.py`` checks that nothing is left and that every cited document and
anchor exists.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Where citations live: the code, the tests, the benchmarks, the documents.
SCOPES = ("pcip", "tests", "bench", "docs", "README.md")
SUFFIXES = {".py", ".md", ".html", ".po", ".cfg", ".toml", ".txt", ".json", ".yaml", ".yml", ""}

FACTS = {
    "1": "identifiers",
    "2": "double-publicity",
    "3": "publicity-periods",
    "4": "working-days",
    "5": "national-systems",
}
DESIGN = {"1": "actors", "2": "principles", "3": "words", "4": "layout", "5": "dependencies"}

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _facts(m: re.Match[str]) -> str:
    first, last = m.group("n"), m.group("m")
    if last:
        return "docs/facts.md#" + ", #".join(
            FACTS[str(n)] for n in range(int(first), int(last) + 1)
        )
    return f"docs/facts.md#{FACTS[first]}"


def _design_principles(m: re.Match[str]) -> str:
    first, last = m.group("n"), m.group("m")
    if last:
        return "docs/design.md#" + ", #".join(
            f"principle-{n}" for n in range(int(first), int(last) + 1)
        )
    return f"docs/design.md#principle-{first}"


def _decisions(m: re.Match[str]) -> str:
    numbers = re.findall(r"D-(\d+)", m.group("ds"))
    return "docs/decisions.md#" + ", #".join(f"d-{n}" for n in numbers)


RULES: list[Rule] = [
    # FACTS.md: "FACTS.md section 3", "FACTS.md sections 2-3", "FACTS.md 4", "FACTS.md traps"
    (
        re.compile(r"FACTS\.md (?:sections? )?(?P<n>[1-5])(?:-(?P<m>[1-5]))?(?![\d.])"),
        _facts,
    ),
    (re.compile(r"\bsee FACTS\.md traps"), lambda m: "see docs/facts.md#identifiers, the traps"),
    (re.compile(r"(?<![\w/])FACTS\.md"), lambda m: "docs/facts.md"),
    # DESIGN.md: "DESIGN.md 2.2", "DESIGN.md 2.2-2.3", "DESIGN.md section 1"
    (
        re.compile(r"DESIGN\.md 2\.(?P<n>[1-8])(?:-2\.(?P<m>[1-8]))?(?!\d)"),
        _design_principles,
    ),
    (
        re.compile(r"DESIGN\.md section (?P<n>[1-5])(?![\d.])"),
        lambda m: f"docs/design.md#{DESIGN[m.group('n')]}",
    ),
    (re.compile(r"(?<![\w/])DESIGN\.md"), lambda m: "docs/design.md"),
    # REGULATION.md: decisions, state machines, article rows
    (
        re.compile(r"REGULATION\.md (?P<ds>D-\d+(?:, D-\d+)*)"),
        _decisions,
    ),
    (
        re.compile(r"REGULATION\.md section 3"),
        lambda m: "docs/decisions.md#state-machines",
    ),
    (
        re.compile(r"REGULATION\.md section 2"),
        lambda m: "docs/decisions.md#open-text",
    ),
    (
        re.compile(r"REGULATION\.md Art\. (?P<a>\d+)"),
        lambda m: f"docs/regulation.md#art-{m.group('a')}",
    ),
    # The Art. 43 acceptance test quoted in tests/disclosure/test_rules.py.
    (
        re.compile(r"REGULATION\.md: conduct ended"),
        lambda m: "docs/regulation.md#art-43: conduct ended",
    ),
    (re.compile(r"(?<![\w/])REGULATION\.md"), lambda m: "docs/decisions.md"),
    # README: the specs are in the repository now.
    (
        re.compile(r"`\.\./shared/` holds the text, the article-by-article requirements\n"),
        lambda m: "[docs/regulation.md](docs/regulation.md) states each article's requirements,\n",
    ),
    (
        re.compile(r"and the decisions taken where it is ambiguous\."),
        lambda m: (
            "[docs/decisions.md](docs/decisions.md) the decisions taken where it is ambiguous, "
            "and\n[docs/facts.md](docs/facts.md) the national standards and numbers it relies on."
        ),
    ),
]


def _markdown_links(text: str) -> str:
    """Inside ``docs/``, a citation is a relative link: ``[facts.md#x](facts.md#x)``."""

    def link(m: re.Match[str]) -> str:
        target = m.group(1)
        return f"[{target}]({target})"

    cited = r"(?<!\]\()(?<![`\[/\w])docs/((?:design|facts|decisions|regulation)\.md(?:#[\w-]+)?)"
    return re.sub(cited, link, text)


def rewrite(text: str, *, in_docs: bool = False, python: bool = False) -> str:
    new = text
    for pattern, replace in RULES:
        new = pattern.sub(replace, new)
    if in_docs:
        new = _markdown_links(new)
    if python and new != text:
        new = reflow(text, new)
    return new


LIMIT = 100
_DIVIDER = re.compile(r"^(\s*# -+ .*? )-{3,}$")
_LITERAL = re.compile(r'^(\s*)(\w+=)?"([^"\\]*)"(,?\)?,?)$')
_COMMENT = re.compile(r"^(\s*#:? )\S")


def _width(line: str) -> int:
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in line)


def _split(line: str, indent: str) -> tuple[str, str] | None:
    """Split at the last space that keeps the head within the limit (not inside the indent)."""
    cut = len(line)
    while True:
        cut = line.rfind(" ", len(indent) + 1, cut)
        if cut <= len(indent):
            return None
        if _width(line[:cut]) <= LIMIT:
            return line[:cut], line[cut + 1 :]


def _kinds(text: str) -> dict[int, tuple[str, int]]:
    """Row (0-based) -> ("comment" | "inline" | "string", column where the text starts)."""
    out: dict[int, tuple[str, int]] = {}
    code_rows: set[int] = set()
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    for tok in tokens:
        one_line_docstring = (
            tok.type == tokenize.STRING
            and tok.string.startswith('"""')
            and tok.line[: tok.start[1]].strip() == ""
        )
        if tok.type == tokenize.STRING and (tok.end[0] > tok.start[0] or one_line_docstring):
            for row in range(tok.start[0], tok.end[0] + 1):
                out[row - 1] = ("string", tok.start[1])
        elif tok.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            code_rows.update(range(tok.start[0], tok.end[0] + 1))
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            row = tok.start[0]
            out[row - 1] = ("inline" if row in code_rows else "comment", tok.start[1])
    return out


def _pass(lines: list[str], before: set[str]) -> bool:
    """One pass from the bottom up; True if a line was changed."""
    kinds = _kinds("\n".join(lines) + "\n")
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if _width(line) <= LIMIT or line in before:
            continue
        literal = _LITERAL.match(line)
        if i not in kinds and literal:
            # A one-line string inside brackets: two adjacent literals on two lines.
            indent, key, body, end = literal.groups()
            parts = _split(f'{indent}{key or ""}"{body}', indent + (key or "") + '"')
            if parts is not None:
                head, tail = parts
                lines[i : i + 1] = [head + ' "', f'{indent}"{tail}"{end}']
                return True
        if i not in kinds:
            continue
        kind, col = kinds[i]
        if kind == "inline":
            code, comment = line[:col].rstrip(), line[col:]
            indent = line[: len(line) - len(line.lstrip())]
            lines[i : i + 1] = [indent + comment, code]
            return True
        divider = _DIVIDER.match(line) if kind == "comment" else None
        if divider:
            lines[i] = divider.group(1) + "-" * max(3, LIMIT - _width(divider.group(1)))
            return True
        lead = line[: len(line) - len(line.lstrip())]
        if kind == "comment":
            marked = _COMMENT.match(line)
            prefix = marked.group(1) if marked else lead + "# "
        else:
            prefix = " " * col if line[:col].strip() == "" else lead
        parts = _split(line, prefix)
        if parts is None:
            continue
        head, tail = parts
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if kind == "string":
            # The next line of the paragraph, at its own indent (a bullet's continuation).
            nxt_lead = nxt[: len(nxt) - len(nxt.lstrip())] if nxt else ""
            joinable = (
                nxt is not None
                and kinds.get(i + 1, ("", 0))[0] == "string"
                and nxt.strip() != ""
                and len(nxt_lead) >= len(lead)
                and not nxt.lstrip().startswith(('"""', "*", "-", "|", ":", ">>>"))
                and not tail.rstrip().endswith('"""')
            )
            prefix = nxt_lead if joinable else lead
            if not joinable and line.lstrip().startswith(("* ", "- ")):
                prefix = lead + "  "
        else:
            joinable = (
                nxt is not None
                and kinds.get(i + 1, ("", 0))[0] == kind
                and nxt.startswith(prefix)
                and nxt[len(prefix) :].strip() != ""
                and not nxt[len(prefix) :].startswith((" ", "*", "-", "|", ":"))
                and not _DIVIDER.match(nxt)
            )
        lines[i] = head
        if joinable and nxt is not None:
            lines[i + 1] = (
                prefix + tail + " " + nxt.lstrip()[len(prefix.lstrip()) :]
                if kind != "string"
                else prefix + tail + " " + nxt.lstrip()
            )
        else:
            lines.insert(i + 1, prefix + tail)
        return True
    return False


def reflow(old: str, new: str) -> str:
    """Keep Python lines within the limit where a longer citation made them too long.

    A comment or docstring line that grew past the limit carries its last words into the next
    line of the same comment or paragraph (or into a new line); an inline comment moves above
    its code; a section divider loses dashes. Lines the rewrite did not touch stay as they were.
    """
    before = set(old.splitlines())
    lines = new.splitlines()
    for _ in range(200):
        if not _pass(lines, before):
            break
    return "\n".join(lines) + ("\n" if new.endswith("\n") else "")


def files() -> list[Path]:
    out: list[Path] = []
    for scope in SCOPES:
        path = ROOT / scope
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in SUFFIXES
                and "__pycache__" not in p.parts
                and p.name != Path(__file__).name
            ]
    return out


def main(argv: list[str]) -> int:
    check = "--check" in argv
    changed = []
    for path in files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text, in_docs=path.parent == ROOT / "docs", python=path.suffix == ".py")
        if new != text:
            changed.append(path.relative_to(ROOT))
            if not check:
                path.write_text(new, encoding="utf-8")
    for p in changed:
        print(("to rewrite: " if check else "rewrote: ") + str(p))
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
