"""The model package's shape: its modules import each other without cycles, not even under
TYPE_CHECKING (sizes, docstrings and late imports: tests/unit/test_code_rules.py)."""

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



def test_workflow_task_is_the_same_class_on_every_import_path() -> None:
    from pyflow._workflow import WorkflowTask
    from pyflow._workflow._tasks import WorkflowTask as from_tasks_module

    assert pyflow.WorkflowTask is WorkflowTask is from_tasks_module
