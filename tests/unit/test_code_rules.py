"""The rules a maintainer relies on, checked on every run: no module over 400 lines, no function
over 60, imports at module top (but for the optional extras named below), and no import cycle
between pyflow's modules. The code is read, not run."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "pyflow"
MODULES = sorted(PACKAGE.rglob("*.py"))
LATE_IMPORTS = {
    # The CLI checks that its extra is installed before importing it, to say how to install it.
    ("cli/__init__.py", "main"),
    # So is the web UI's extra, when `pyflow ui` or `local serve --ui` serves it.
    ("cli/_ui_cmd.py", "ui_server"),
    # pyflow.local.run is pyflow.testing.run, and pyflow.testing is built on pyflow.local.
    ("local/__init__.py", "__getattr__"),
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_at_most_400_lines_with_functions_of_at_most_60(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"  # type: ignore[operator]
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > 60  # type: ignore[operator]
    ]
    assert not long


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_are_at_module_top(path: Path) -> None:
    where = str(path.relative_to(PACKAGE))
    late = [
        f"line {sub.lineno} in {node.name}"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and (where, node.name) not in LATE_IMPORTS
        for sub in ast.walk(node)
        if isinstance(sub, ast.Import | ast.ImportFrom)
    ]
    assert not late


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_it_is_for(path: Path) -> None:
    assert ast.get_docstring(_tree(path)), "a one-line docstring stating its responsibility"


def _runtime_imports(path: Path, known: set[str]) -> set[str]:
    """The pyflow modules that importing `path` imports (TYPE_CHECKING blocks and functions
    left out): `from pkg import mod` names the module, `from pkg import name` the package."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in _tree(path).body:
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found & known


def test_no_import_cycles_between_modules() -> None:
    known = {_name(p) for p in MODULES}
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        name = _name(path)
        # Python runs a module's parent packages before it whatever it imports: no cycle.
        ancestors = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}
        graph[name] = _runtime_imports(path, known) - ancestors - {name}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles
