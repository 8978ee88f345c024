"""The walk from workflows to their pyflow children, and what is read off it."""

from __future__ import annotations

import pytest

import pyflow
from pyflow._exceptions import ArgumentTypeError
from pyflow._workflow._catalog import (
    activity_uses,
    as_activity_list,
    as_workflow_list,
    decider_task_lists,
    lambda_functions,
    reachable_workflows,
    workflow_closure,
)


def _family() -> tuple[pyflow.Workflow, pyflow.Workflow, pyflow.Workflow]:
    """Parent -> Child -> Grandchild, each calling its own Lambda function."""
    grandchild = pyflow.Workflow("Grandchild", version="1", task_list="grand-decider")
    grandchild.add(
        pyflow.LambdaTask(name="g", lambda_function="grand-fn", depends_on=[grandchild.start_task])
    )
    grandchild.add(
        pyflow.ActivityTask(
            name="resize", activity_type="resize", activity_version="2", task_list="images",
            depends_on=[grandchild.start_task],
        )
    )
    child = pyflow.Workflow("Child", version="1")
    c = child.add(
        pyflow.LambdaTask(name="c", lambda_function="child-fn", depends_on=[child.start_task])
    )
    child.add(pyflow.WorkflowTask(name="grand", workflow=grandchild, depends_on=[c]))
    parent = pyflow.Workflow("Parent", version="1")
    p = parent.add(
        pyflow.LambdaTask(name="p", lambda_function="parent-fn", depends_on=[parent.start_task])
    )
    parent.add(pyflow.WorkflowTask(name="kid", workflow=child, depends_on=[p]))
    parent.add(pyflow.WorkflowTask(name="again", workflow=child, depends_on=[p]))
    return parent, child, grandchild


def test_lambda_functions_of_grandchild_workflows_are_found_once_in_order() -> None:
    parent, _, _ = _family()
    assert lambda_functions(parent) == ["parent-fn", "child-fn", "grand-fn"]


def test_reachable_workflows_visits_each_object_once_parents_first() -> None:
    parent, child, grandchild = _family()
    assert reachable_workflows(parent) == [parent, child, grandchild]
    assert reachable_workflows([grandchild, parent]) == [grandchild, parent, child]


def test_closure_keys_every_reachable_workflow_by_type() -> None:
    parent, _, _ = _family()
    assert list(workflow_closure(parent)) == [("Parent", "1"), ("Child", "1"), ("Grandchild", "1")]


def test_closure_rejects_two_definitions_of_one_type() -> None:
    first = pyflow.Workflow("Same", version="1")
    second = pyflow.Workflow("Same", version="1")
    with pytest.raises(pyflow.PyflowError, match="two different definitions"):
        workflow_closure([first, second])


def test_activity_uses_and_task_lists_include_grandchildren() -> None:
    parent, _, _ = _family()
    assert list(activity_uses(parent)) == [("resize", "2")]
    assert decider_task_lists([parent], "default") == ["default", "grand-decider"]


def test_wrong_types_are_pyflow_errors_that_stay_type_errors() -> None:
    with pytest.raises(ArgumentTypeError, match="expected pyflow.Workflow objects"):
        as_workflow_list([pyflow.Workflow("W", version="1"), "W"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="@pyflow.activity"):
        as_activity_list([len])  # type: ignore[list-item]
    assert issubclass(ArgumentTypeError, pyflow.PyflowError)
