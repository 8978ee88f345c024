"""The stack learns which Lambda functions SWF may invoke from the workflows themselves."""

from __future__ import annotations

import pyflow
from infra.discovery import lambda_functions, load_project_workflows
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
