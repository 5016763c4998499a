"""Issue 19.3: a refusal a person reads is a coded message, never an English string.

The scan reads ``pcip``'s source (AST): an error of the :class:`pcip.errors.PcipError` family
raised (or built) with a string literal, an f-string, a concatenation or a ``.format()`` as its
message fails the test, unless the file is on one of the commented lists below. So a new plain
string cannot creep back: it is either worded in both languages in ``pcip.kernel.messages``, or
it is added here with the reason nobody reads it on a page or from the API.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pcip

ROOT = Path(pcip.__file__).parent

#: Error classes whose messages are read by the operator who runs the platform, in English like
#: the logs: a setting, key file or database URL is wrong (pcip.errors.ConfigError).
OPERATOR_CLASSES = {"ConfigError"}

#: Files whose plain-string errors no person reads on a page or from the API, and how many.
NOT_READ: dict[str, int] = {
    # The packaged data files (statutory holidays, inquiry-log retention) are checked when the
    # platform loads them: a broken one stops the start, for the operator.
    "pcip/calendar/holidays.py": 1,
    "pcip/inquiry/retention.py": 1,
    # The catalog's seed files are checked by `pcip init` (operator).
    "pcip/catalog/seed_data.py": 4,
    # The development identity provider's token lifetime: a programming guard (no form sets it).
    "pcip/auth/dev_idp.py": 1,
    # The demo generator's own rows failing its checks: a developer's error.
    "pcip/demo/scenario.py": 1,
    "pcip/demo/world.py": 1,
    # The audit chain's checkpoint (`pcip audit checkpoint`) and key rotation (`pcip keys
    # rotate`): operator commands.
    "pcip/kernel/audit/checkpoints.py": 1,
    "pcip/ops/rotation.py": 1,
    # The chain check before a checkpoint is signed (verify_since), run only by those operator
    # commands and by backups, bootstrap and key rotation: no page or API route calls it.
    "pcip/kernel/audit/service.py": 6,
    # The restoration and complaint time limits are packaged data files, checked when the
    # module loads: a broken one stops the start, for the operator.
    "pcip/objections/deadlines.py": 1,
}

#: Files converted on parallel branches (the lead removes these entries when merging).
OTHER_BRANCHES: dict[str, int] = {}

#: Not converted yet (issue 19.3 remains open for them): the count may only fall. When a file's
#: errors are coded, lower its count here or drop the line (the test says which).
NOT_YET: dict[str, int] = {}


def _is_cli(rel: str) -> bool:
    """A command's output is read on a terminal, in English (``pcip.kernel.messages``)."""
    return rel == "pcip/cli.py" or rel.endswith("/cli.py")


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """``PcipError`` and every class that derives from it, by name, across ``trees``."""
    found = {"PcipError"}
    grew = True
    while grew:
        grew = False
        for tree in trees.values():
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in found
                    and any(_name(b) in found for b in node.bases)
                ):
                    found.add(node.name)
                    grew = True
    return found


def _plain(node: ast.expr) -> bool:
    """A message written as English text: a literal, an f-string, text glued or formatted."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain(node.left) or _plain(node.right)
    if isinstance(node, ast.IfExp):
        return _plain(node.body) or _plain(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _plain(node.func.value)
    return False


def plain_errors(tree: ast.Module, classes: set[str]) -> list[tuple[int, str]]:
    """(line, class) of each error of ``classes`` built with a plain-text message."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in classes:
            continue
        cls = str(_name(node.func))
        if cls in OPERATOR_CLASSES:
            continue
        given = node.args[:1] + [k.value for k in node.keywords if k.arg == "message"]
        if any(_plain(a) for a in given):
            out.append((node.lineno, cls))
    return out


def _scan() -> dict[str, list[int]]:
    trees = {
        p.relative_to(ROOT.parent).as_posix(): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(ROOT.rglob("*.py"))
    }
    classes = error_classes(trees)
    found: dict[str, list[int]] = {}
    for rel, tree in trees.items():
        if _is_cli(rel):
            continue
        lines = [line for line, _cls in plain_errors(tree, classes)]
        if lines:
            found[rel] = lines
    return found


def test_issue19_3_the_scan_finds_a_plain_string_error() -> None:
    """The scanner itself: each way of writing English text is caught; a message is not."""
    source = """
class Refused(ValidationError): ...
raise ValidationError("plain")
raise NotFound(f"no thing {x}", field="x")
raise Refused("a " + b)
raise Conflict(message="{} {}".format(a, b))
raise ValidationError(msg("common.no_subject", id=1))
raise ConfigError("an operator reads this")
raise ValidationError(reason)
"""
    tree = ast.parse(source)
    classes = error_classes({"errors": ast.parse(Path(ROOT / "errors.py").read_text()), "t": tree})
    assert {"Refused", "ValidationError", "NotFound", "Conflict"} <= classes
    assert [line for line, _ in plain_errors(tree, classes)] == [3, 4, 5, 6]


def test_issue19_3_no_error_a_person_reads_is_a_plain_english_string() -> None:
    scanned = _scan()
    found = Counter({rel: len(lines) for rel, lines in scanned.items()})
    allowed = Counter({**NOT_READ, **OTHER_BRANCHES, **NOT_YET})
    new = {rel: lines for rel, lines in scanned.items() if len(lines) > allowed.get(rel, 0)}
    assert not new, (
        "errors raised with English text: give them a coded message (pcip.kernel.messages), "
        f"worded in both languages: {new}"
    )
    stale = {rel: (n, found.get(rel, 0)) for rel, n in allowed.items() if found.get(rel, 0) < n}
    assert not stale, (
        f"fewer plain-text errors than listed: lower the counts (listed, found): {stale}"
    )
