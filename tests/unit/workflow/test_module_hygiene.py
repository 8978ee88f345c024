"""The model package's shape: modules import each other without cycles, at module level only."""

import ast
from pathlib import Path

import pyflow
import pyflow._workflow

PACKAGE = Path(pyflow._workflow.__file__).parent


def _trees() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text()) for path in sorted(PACKAGE.glob("*.py"))}


def _sibling_imports(tree: ast.Module) -> set[str]:
    """Modules of this package that `tree` imports, TYPE_CHECKING blocks included."""
    return {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }


def test_model_modules_import_each_other_without_a_cycle() -> None:
    graph = {name: _sibling_imports(tree) for name, tree in _trees().items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, "import cycle: " + " -> ".join((*path, name))
        if name in done:
            return
        for imported in graph.get(name, ()):
            visit(imported, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())


def test_model_modules_import_only_at_module_level() -> None:
    for name, tree in _trees().items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner, f"{name}.{node.name} imports inside the function"


def test_workflow_task_is_the_same_class_on_every_import_path() -> None:
    from pyflow._workflow import WorkflowTask
    from pyflow._workflow._tasks import WorkflowTask as from_tasks_module

    assert pyflow.WorkflowTask is WorkflowTask is from_tasks_module


def test_every_model_module_says_what_it_is_for() -> None:
    for name, tree in _trees().items():
        assert ast.get_docstring(tree), f"{name} has no module docstring"


def test_model_modules_and_functions_stay_small() -> None:
    for name, tree in _trees().items():
        assert len((PACKAGE / f"{name}.py").read_text().splitlines()) <= 400, name
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None
                length = node.end_lineno - node.lineno + 1
                assert length <= 60, f"{name}.{node.name} is {length} lines long"
