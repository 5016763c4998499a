"""The house's dependency rules (docs/architecture.md), checked as `make lint` checks them.

The contracts are import-linter contracts in ``pyproject.toml`` (``[tool.importlinter]``): the
layers, a kernel that imports no area, areas that never import a door, doors that ask services
rather than tables, and no cycles. CI runs ``make test``, so this suite runs them too; and it
shows that putting back either import circle that issue 15 removed breaks them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path
from typing import Any

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "layers": LayersContract,
    "forbidden": ForbiddenContract,
    "acyclic_siblings": AcyclicSiblingsContract,
}


@pytest.fixture(scope="module")
def options() -> dict[str, Any]:
    return read_configuration(str(PYPROJECT))


@pytest.fixture(scope="module")
def graph(options: dict[str, Any]) -> grimp.ImportGraph:
    """The import graph ``lint-imports`` builds (imports inside functions included)."""
    session = options["session_options"]
    return grimp.build_graph(
        *session["root_packages"],
        include_external_packages=session.get("include_external_packages") == "True",
        exclude_type_checking_imports=session.get("exclude_type_checking_imports") == "True",
        cache_dir=None,
    )


def _check(options: dict[str, Any], graph: grimp.ImportGraph, contract_id: str) -> bool:
    """Whether the contract with this id holds on ``graph``."""
    [contract_options] = [c for c in options["contracts_options"] if c.get("id") == contract_id]
    contract = CONTRACT_TYPES[contract_options["type"]](
        name=contract_options["name"],
        session_options=options["session_options"],
        contract_options=contract_options,
    )
    return bool(contract.check(deepcopy(graph), verbose=False).kept)


def _with_import(graph: grimp.ImportGraph, importer: str, imported: str) -> grimp.ImportGraph:
    changed = deepcopy(graph)
    assert not changed.direct_import_exists(importer=importer, imported=imported)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return changed


def test_every_contract_of_make_lint_holds(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    """``lint-imports`` (in ``make lint``) passes: every contract is kept."""
    ids = [c["id"] for c in options["contracts_options"]]
    assert ids == ["layers", "kernel", "no-doors-below", "thin-doors", "no-cycles"]
    assert [i for i in ids if not _check(options, graph, i)] == []


def test_calendar_importing_objections_again_breaks_the_layers_and_the_cycle_rule(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    """Art. 40: the calendar told objections of a new schedule by importing them (a circle);
    now ``pcip.flows.schedules`` tells them. Putting the import back fails the contracts."""
    assert _check(options, graph, "layers") and _check(options, graph, "no-cycles")
    circle = _with_import(graph, "pcip.calendar.service", "pcip.objections.tracking")
    assert not _check(options, circle, "layers")
    assert not _check(options, circle, "no-cycles")


def test_assertions_knowing_the_development_provider_again_breaks_the_cycle_rule(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    """Art. 39: the assertion verifier picked the development provider itself, which uses the
    verifier (a circle); now ``pcip.auth.verifiers`` chooses above both."""
    assert _check(options, graph, "no-cycles")
    circle = _with_import(graph, "pcip.auth.assertions", "pcip.auth.dev_idp")
    assert not _check(options, circle, "no-cycles")


def test_a_kernel_module_importing_an_area_breaks_the_kernel_contract(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    assert _check(options, graph, "kernel")
    assert not _check(options, _with_import(graph, "pcip.clock", "pcip.calendar.service"), "kernel")


def test_a_service_importing_a_door_breaks_the_door_contract(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    assert _check(options, graph, "no-doors-below")
    changed = _with_import(graph, "pcip.records.service", "pcip.doors.http_guard")
    assert not _check(options, changed, "no-doors-below")


def test_a_door_querying_a_table_breaks_the_thin_door_contract(
    options: dict[str, Any], graph: grimp.ImportGraph
) -> None:
    """A rule lives in a service: a console page that builds its own query fails."""
    assert _check(options, graph, "thin-doors")
    changed = _with_import(graph, "pcip.web.console.home", "pcip.records.models")
    assert not _check(options, changed, "thin-doors")


def _cycles(graph: grimp.ImportGraph) -> Iterator[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


def test_no_module_is_part_of_an_import_cycle_doors_included(graph: grimp.ImportGraph) -> None:
    """The cycle contract looks at packages and leaves the doors' imports to the door
    contracts; module by module, nothing at all imports itself through others, including
    imports inside functions."""
    assert list(_cycles(graph)) == []
    circle = _with_import(graph, "pcip.auth.assertions", "pcip.auth.dev_idp")
    assert ["pcip.auth.assertions", "pcip.auth.dev_idp"] in list(_cycles(circle))


def test_no_module_at_the_top_of_the_package_but_the_app_the_kernel_and_the_cli() -> None:
    """Issue 15: every other module lives in an area, the kernel, the doors or operations.
    (The demo modules move into ``pcip/demo`` with the demo package.)"""
    top = {p.stem for p in (ROOT / "pcip").glob("*.py")} - {"__init__"}
    kernel = {"clock", "config", "db", "errors"}
    demo = {m for m in top if re.fullmatch(r"demo(_\w+)?", m)}
    assert top - demo == kernel | {"app", "cli"}
