"""Issue 23: docs/security.md renders the permission table written in tests/permission_table.py
(the one the matrix tests check), so the document never drifts from what is tested."""

from __future__ import annotations

from pathlib import Path

from tests.permission_table import markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
START, END = "<!-- permission-table:start -->\n", "<!-- permission-table:end -->"


def test_issue23_the_security_doc_renders_the_permission_table() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text, "docs/security.md lost its table markers"
    shown = text.split(START, 1)[1].split(END, 1)[0]
    assert shown == markdown(), (
        "docs/security.md's permission table differs from tests/permission_table.py; "
        "paste the output of `python -m tests.permission_table` between the markers"
    )
