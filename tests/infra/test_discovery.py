"""The stack learns which Lambda functions SWF may invoke from the workflows themselves."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pyflow
from infra.discovery import (
    DiscoveryError,
    WorkflowInfo,
    describe_workflows,
    lambda_functions,
    load_project_workflows,
    read_project_workflows,
)
from infra.stack import PROJECT_ROOT
from pyflow._workflow import _catalog


def test_functions_of_child_workflows_are_included_once() -> None:
    child = pyflow.Workflow("Child", version="1")
    child.add(
        pyflow.LambdaTask(name="c", lambda_function="child-fn", depends_on=[child.start_task])
    )
    parent = pyflow.Workflow("Parent", version="1")
    first = parent.add(
        pyflow.LambdaTask(
            name="a", lambda_function="billing-charge", depends_on=[parent.start_task]
        )
    )
    nested = parent.add(pyflow.WorkflowTask(name="kid", workflow=child, depends_on=[first]))
    parent.add(pyflow.LambdaTask(name="b", lambda_function="billing-charge", depends_on=[nested]))
    parent.add(
        pyflow.WorkflowTask(
            name="other", workflow_name="Elsewhere", workflow_version="1", depends_on=[first]
        )
    )
    assert lambda_functions([parent, child]) == ["billing-charge", "child-fn"]


def test_the_example_workflow_is_found_in_the_project() -> None:
    workflows = load_project_workflows(PROJECT_ROOT)
    example = [w for w in workflows if w.name == "StringTransformer"]
    assert len(example) == 1
    assert lambda_functions(example) == ["string-concat", "string-reverse", "string-upcase"]


def test_the_stack_and_the_catalog_agree_on_lambda_functions() -> None:
    grandchild = pyflow.Workflow("Grandchild", version="1")
    grandchild.add(
        pyflow.LambdaTask(name="g", lambda_function="zeta-fn", depends_on=[grandchild.start_task])
    )
    child = pyflow.Workflow("Child", version="1")
    child.add(pyflow.WorkflowTask(name="grand", workflow=grandchild, depends_on=[child.start_task]))
    parent = pyflow.Workflow("Parent", version="1")
    first = parent.add(
        pyflow.LambdaTask(name="a", lambda_function="alpha-fn", depends_on=[parent.start_task])
    )
    parent.add(pyflow.WorkflowTask(name="kid", workflow=child, depends_on=[first]))
    assert lambda_functions([parent]) == ["alpha-fn", "zeta-fn"]
    assert lambda_functions([parent]) == sorted(_catalog.lambda_functions([parent]))
    project = load_project_workflows(PROJECT_ROOT)
    assert lambda_functions(project) == sorted(_catalog.lambda_functions(project))


DEPENDENT_WORKFLOW = '''
import pyflow
import surely_not_installed_pkg as missing          # only the layer installs it
from surely_not_installed_pkg.models import Order   # noqa: F401

RETRY = missing.Retry(attempts=3)


@missing.task_decorator
@pyflow.activity(name="price", version="1", task_list="pricing")
def price(order):
    return missing.compute(order)


workflow = pyflow.Workflow("Orders", version="2.1")
charge = workflow.add(pyflow.LambdaTask(name="charge", lambda_function="orders-charge",
                                        depends_on=[workflow.start_task]))
workflow.add(pyflow.ActivityTask(name="price", activity=price, depends_on=[charge]))
'''


def _project(tmp_path: Path, source: str) -> Path:
    package = tmp_path / "workflows"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text(source)
    (package / "requirements.txt").write_text("surely-not-installed-pkg==1.0\n")
    return tmp_path


def test_workflows_importing_a_package_absent_here_are_read_without_it(tmp_path: Path) -> None:
    root = _project(tmp_path, DEPENDENT_WORKFLOW)
    found = read_project_workflows(root)
    assert found.workflows == (WorkflowInfo(name="Orders", version="2.1"),)
    assert found.types == ("Orders:2.1",)
    assert found.lambda_functions == ("orders-charge",)
    assert found.activity_task_lists == ("pricing",)
    assert found.stubbed == ("surely_not_installed_pkg",)
    # The CDK process itself never imported the user's modules or the stubs.
    assert "surely_not_installed_pkg" not in sys.modules


def test_the_stack_synthesizes_with_such_a_workflow(
    tmp_path: Path, synth: Callable[..., Any]
) -> None:
    root = _project(tmp_path, DEPENDENT_WORKFLOW)
    shutil.copytree(PROJECT_ROOT / "handlers", root / "handlers")
    result = synth({"example_functions": "false"}, project_root=root)
    (registration,) = result.resources("Custom::PyflowWorkflowTypes").values()
    assert registration["Properties"]["WorkflowTypes"] == ["Orders:2.1"]
    invoked = [s for s in result.statements() if s["Action"] == "lambda:InvokeFunction"]
    assert any("orders-charge" in str(s["Resource"]) for s in invoked)


def test_a_typo_in_the_users_own_package_is_still_an_error(tmp_path: Path) -> None:
    root = _project(tmp_path, "import pyflow\nfrom workflows import no_such_module\n")
    with pytest.raises(DiscoveryError, match="no_such_module"):
        read_project_workflows(root)


def test_the_child_matches_the_in_process_description() -> None:
    in_process = describe_workflows(load_project_workflows(PROJECT_ROOT))
    assert read_project_workflows(PROJECT_ROOT) == in_process
