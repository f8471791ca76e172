"""course_lib's modules import each other without cycles, and plot builders never import widgets.

The graph is read from the source with ``ast``: every ``import`` of a course_lib module counts,
at module level or inside a function (a lazy import only hides a cycle), except those under
``if TYPE_CHECKING:``, which never run.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "course_lib"


def module_name(path: Path) -> str:
    """``course_lib/grading/verdict.py`` -> ``course_lib.grading.verdict``."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(name: str) -> str | None:
    """The course_lib module that ``name`` is, or that holds it (``pkg.mod.func`` -> ``pkg.mod``)."""
    while name not in MODULES:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str, *, type_checking: bool = False) -> set[str]:
    """The course_lib modules ``module`` imports (those under TYPE_CHECKING only if asked)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test) and not type_checking:
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            names = []
        for name in names:
            if (target := _resolve(name)) is not None and target != module:
                found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def test_the_graph_reader_sees_lazy_and_type_only_imports() -> None:
    # Checked on real modules, so the reader cannot silently see nothing.
    assert "course_lib.grading.references" in imports_of("course_lib.grading.verdict")  # lazy
    assert "course_lib.content.rubric" in imports_of(
        "course_lib.plots.evidence", type_checking=True
    )
    assert "course_lib.content.rubric" not in imports_of("course_lib.plots.evidence")
    assert len(MODULES) > 50


def test_course_lib_has_no_import_cycles() -> None:
    graph = {module: imports_of(module) for module in MODULES}
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")
    assert set(order) == set(MODULES)


def test_plot_builders_never_import_widgets() -> None:
    # type-only imports included: a plot builder must not depend on a widget module at all
    offenders = {
        module: sorted(t for t in imports_of(module, type_checking=True) if ".widgets" in t)
        for module in MODULES
        if module.startswith("course_lib.plots")
    }
    assert {m: t for m, t in offenders.items() if t} == {}
