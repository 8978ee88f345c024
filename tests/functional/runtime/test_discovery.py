from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

import pyflow
from pyflow._exceptions import LoadError

WORKFLOW_MODULE = """
import pyflow

first = pyflow.Workflow("First", "1")
second = pyflow.Workflow("Second", "1")
alias = first
not_a_workflow = 42
"""

ACTIVITY_MODULE = """
import pyflow

@pyflow.activity(task_list="jobs")
def resize(value):
    return value

def plain(value):
    return value
"""


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A throwaway package `disc_pkg` with workflow and activity modules."""
    root = tmp_path / "disc_pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "flows.py").write_text(textwrap.dedent(WORKFLOW_MODULE))
    (root / "jobs.py").write_text(textwrap.dedent(ACTIVITY_MODULE))
    (root / "_private.py").write_text("import pyflow\nhidden = pyflow.Workflow('Hidden', '1')\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "deep.py").write_text("import pyflow\ndeep = pyflow.Workflow('Deep', '1')\n")
    (root / "broken.py").write_text("raise RuntimeError('boom at import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "disc_pkg"
    for name in [m for m in sys.modules if m.startswith("disc_pkg")]:
        del sys.modules[name]


def test_a_module_gives_its_workflows_once_each(package: str) -> None:
    found = pyflow.load_workflows(f"{package}.flows")
    assert [w.name for w in found] == ["First", "Second"]


def test_module_attribute_gives_one_workflow(package: str) -> None:
    assert [w.name for w in pyflow.load_workflows(f"{package}.flows:second")] == ["Second"]


def test_an_attribute_that_is_not_a_workflow_is_a_clear_error(package: str) -> None:
    with pytest.raises(pyflow.PyflowError, match="not a pyflow.Workflow"):
        pyflow.load_workflows(f"{package}.flows:not_a_workflow")
    with pytest.raises(pyflow.PyflowError, match="has no attribute 'missing'"):
        pyflow.load_workflows(f"{package}.flows:missing")


def test_a_module_that_fails_to_import_is_reported_with_its_error(package: str) -> None:
    with pytest.raises(pyflow.PyflowError, match="RuntimeError: boom at import"):
        pyflow.load_workflows(f"{package}.broken")


def test_a_package_is_searched_recursively_skipping_private_modules(
    package: str, tmp_path: Path
) -> None:
    (tmp_path / package / "broken.py").unlink()
    names = sorted(w.name for w in pyflow.load_workflows(package))
    assert names == ["Deep", "First", "Second"]


def test_activities_are_found_like_workflows(package: str) -> None:
    found = pyflow.load_activities(f"{package}.jobs")
    assert [(a.name, a.task_list) for a in found] == [("resize", "jobs")]
    with pytest.raises(pyflow.PyflowError, match="@pyflow.activity"):
        pyflow.load_activities(f"{package}.jobs:plain")


def test_nothing_found_and_unknown_modules_are_clear_errors(package: str) -> None:
    with pytest.raises(pyflow.PyflowError, match="declares no @pyflow.activity functions"):
        pyflow.load_activities(f"{package}.flows")
    with pytest.raises(pyflow.PyflowError, match="no module named 'no_such_module_xyz'"):
        pyflow.load_workflows("no_such_module_xyz")
    with pytest.raises(pyflow.PyflowError, match="expected 'package'"):
        pyflow.load_workflows("")


def test_a_module_that_raises_on_import_names_the_file_and_line(package: str) -> None:
    with pytest.raises(LoadError) as caught:
        pyflow.load_workflows(f"{package}.broken")
    error = caught.value
    assert error.module == f"{package}.broken"
    assert error.filename is not None and error.filename.endswith("broken.py")
    assert error.lineno == 1
    assert "broken.py, line 1)" in str(error)
    assert isinstance(error.__cause__, RuntimeError)


def test_a_definition_error_at_import_points_at_the_users_line(
    package: str, tmp_path: Path
) -> None:
    (tmp_path / package / "bad.py").write_text(
        "import pyflow\n\npyflow.LambdaTask(name='x', lambda_function='bad name!')\n"
    )
    with pytest.raises(LoadError) as caught:
        pyflow.load_workflows(f"{package}.bad")
    assert (Path(caught.value.filename or "").name, caught.value.lineno) == ("bad.py", 3)
    assert isinstance(caught.value.__cause__, pyflow.PyflowError)


def test_a_syntax_error_names_the_file_and_line(package: str, tmp_path: Path) -> None:
    (tmp_path / package / "typo.py").write_text("x = 1\ndef f(:\n")
    with pytest.raises(LoadError, match=r"syntax error in .*typo.py, line 2") as caught:
        pyflow.load_workflows(f"{package}.typo")
    assert caught.value.lineno == 2


def test_a_missing_module_is_a_load_error_with_a_hint(package: str) -> None:
    with pytest.raises(LoadError, match="no module named 'disc_pkg.nowhere'") as caught:
        pyflow.load_workflows(f"{package}.nowhere")
    assert caught.value.hint is not None and "PYTHONPATH" in caught.value.hint
    with pytest.raises(LoadError, match="no module named 'no_such_pkg_xyz.flows'"):
        pyflow.load_activities("no_such_pkg_xyz.flows")


def test_a_missing_dependency_of_the_module_is_not_reported_as_the_module(
    package: str, tmp_path: Path
) -> None:
    (tmp_path / package / "needs.py").write_text("import no_such_dependency_xyz\n")
    with pytest.raises(LoadError, match="importing 'disc_pkg.needs' failed: No module") as caught:
        pyflow.load_workflows(f"{package}.needs")
    assert caught.value.hint == "install the missing package"


def test_private_packages_are_not_entered(package: str, tmp_path: Path) -> None:
    (tmp_path / package / "broken.py").unlink()
    (tmp_path / package / "_internal").mkdir()
    (tmp_path / package / "_internal" / "__init__.py").write_text("raise RuntimeError('no')\n")
    assert "Deep" in [w.name for w in pyflow.load_workflows(package)]


def test_a_list_attribute_gives_its_workflows_and_rejects_other_items(
    package: str, tmp_path: Path
) -> None:
    module = f"{package}.lists"
    (tmp_path / package / "lists.py").write_text(
        textwrap.dedent(WORKFLOW_MODULE) + "both = [first, second]\nmixed = [first, 3]\n"
    )
    assert [w.name for w in pyflow.load_workflows(f"{module}:both")] == ["First", "Second"]
    with pytest.raises(LoadError, match="holds 3, not a pyflow.Workflow"):
        pyflow.load_workflows(f"{module}:mixed")


def test_the_shipped_example_package_loads() -> None:
    [workflow] = pyflow.load_workflows("workflows")
    assert (workflow.name, workflow.version) == ("StringTransformer", "1.0")
