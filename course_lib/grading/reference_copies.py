"""Flag, for the instructor, solution code that is a near-copy of the course's reference source.

The course package is installed by students, so its scoring and statistics code is in
their hands. A graded kernel cannot import it (:mod:`course_lib.grading.withheld`), but a
student can paste it. Each function defined in a solution cell is compared with every
function of the reference modules after *normalising* both:

* docstrings, comments, type annotations and layout are dropped (the code is parsed and
  printed again);
* every name (function, argument, variable, module alias, built-in) becomes a placeholder
  numbered by first appearance, so renaming changes nothing. Attribute and keyword names
  (``.var``, ``ddof=``) stay: they carry what the code does.

The similarity is :class:`difflib.SequenceMatcher`'s ratio of the two token sequences.
A pair is flagged at :data:`THRESHOLD` or above when both functions have at least
:data:`MIN_TOKENS` tokens: a short formula (``d / sqrt(d**2 + 4)``) comes out the same
whoever writes it, so short functions are never flagged. Copying a reference function
also means copying the helpers it calls (input validation, category lists), which are
long and distinctive; they are what gets flagged. Measured: the instructor's own solutions
score at most 0.57 against any reference function (``tests/test_reference_copies.py``), a pasted
``icc_a1`` with its helper, renamed and without docstrings, 0.99. A flag is a prompt to
look, never a verdict: it goes into ``grades.csv`` (instructor-only), never into feedback.
"""

from __future__ import annotations

import ast
import difflib
import io
import threading
import tokenize
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from course_lib import paths

#: Similarity (0-1) from which a pair is reported.
THRESHOLD = 0.8
#: Functions shorter than this (normalised tokens) are never compared.
MIN_TOKENS = 90
#: The reference modules (files under the package) whose functions are compared.
REFERENCE_FILES: tuple[str, ...] = ("scoring/*.py", "stats/*.py", "grading/references.py")


@dataclass(frozen=True)
class NearCopy:
    """A solution function that closely matches a reference function."""

    function: str
    cell: str  # the solution cell's grade id
    reference: str  # dotted module path and function name
    similarity: float


class _Normalise(ast.NodeTransformer):
    """Drops docstrings and annotations; renames every identifier by first appearance."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def _name(self, name: str) -> str:
        return self.names.setdefault(name, f"n{len(self.names)}")

    def _function(self, node: Any) -> Any:
        node.name = self._name(node.name)
        node.returns = None
        node.decorator_list = []
        first = node.body[0] if node.body else None
        if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", None), str):
            node.body = node.body[1:] or [ast.Pass()]
        self.generic_visit(node)
        return node

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._name(node.arg)
        node.annotation = None
        return node

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self._name(node.id)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> Any:
        self.generic_visit(node)
        if node.value is None:
            return None
        return ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno)

    def visit_alias(self, node: ast.alias) -> ast.alias:
        if node.asname:
            node.asname = self._name(node.asname)
        return node


def normalised_tokens(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The function's tokens after normalising (see the module docstring)."""
    tree = _Normalise().visit(ast.parse(ast.unparse(function)))
    text = ast.unparse(ast.fix_missing_locations(tree))
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER}
    return [
        t.string if t.type not in (tokenize.INDENT, tokenize.DEDENT) else tokenize.tok_name[t.type]
        for t in tokenize.generate_tokens(io.StringIO(text).readline)
        if t.type not in skip
    ]


def functions_in(source: str) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function defined in ``source`` (nested ones too); none if it does not parse.

    Lines starting with ``%`` or ``!`` (IPython magics and shell escapes) are blanked first.
    """
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        tree = ast.parse("\n".join(lines))
    except (SyntaxError, ValueError):
        return []
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


#: One thread at a time: CPython 3.11's ``ast`` conversion keeps its recursion depth in shared
#: state, and two grading threads parsing at once raised "SystemError: AST constructor
#: recursion depth mismatch" (seen with ``--jobs 2``, made more likely by faster kernels).
_AST_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def reference_functions() -> dict[str, tuple[str, ...]]:
    """``module.function`` -> normalised tokens, for each long enough reference function."""
    out: dict[str, tuple[str, ...]] = {}
    for pattern in REFERENCE_FILES:
        for path in sorted(paths.PACKAGE_DIR.glob(pattern)):
            module = ".".join(
                ["course_lib", *path.relative_to(paths.PACKAGE_DIR).with_suffix("").parts]
            )
            for function in functions_in(path.read_text(encoding="utf-8")):
                tokens = normalised_tokens(function)
                if len(tokens) >= MIN_TOKENS:
                    out[f"{module}.{function.name}"] = tuple(tokens)
    return out


def similarity(a: list[str] | tuple[str, ...], b: list[str] | tuple[str, ...]) -> float:
    """How alike two token sequences are, 0-1."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, float] | None:
    """The reference function most like ``function`` and its similarity (None if too short)."""
    tokens = normalised_tokens(function)
    if len(tokens) < MIN_TOKENS:
        return None
    scored = [(name, similarity(tokens, ref)) for name, ref in reference_functions().items()]
    return max(scored, key=lambda pair: pair[1], default=None)


def near_copies(cells: list[tuple[str, str]]) -> list[NearCopy]:
    """Near-copies among the functions of ``cells`` ((grade id, source) of solution cells)."""
    found = []
    for gid, source in cells:
        for function in functions_in(source):
            match = best_match(function)
            if match is not None and match[1] >= THRESHOLD:
                found.append(NearCopy(function.name, gid, match[0], match[1]))
    return found


def near_copy_note(nb: Any) -> str:
    """A ``grades.csv`` note naming each solution function that nearly copies reference code."""
    from course_lib.grading.reconstruct import grade_id, is_solution

    cells = [
        (grade_id(c) or "?", c.source)
        for c in nb.cells
        if c.get("cell_type") == "code" and is_solution(c)
    ]
    with _AST_LOCK:
        found = near_copies(cells)
    if not found:
        return ""
    listed = "; ".join(
        f"{m.function} in {m.cell} ~ {m.reference} ({m.similarity:.2f})" for m in found
    )
    return (
        f"possible near-copy of the course's reference code, check by hand: {listed} "
        f"(normalised token similarity >= {THRESHOLD})"
    )
