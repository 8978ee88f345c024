"""Walking workflows to their pyflow children, and everything derived from that walk.

A decider serving a workflow must also serve its pyflow children (their decision tasks land on
the same task list unless the child names its own), registration must cover them all, and the
deployment must allow every Lambda function any of them calls: so the walk is written once,
here, and the type catalog, activity uses, Lambda function names and decider task lists are all
read off it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .._exceptions import ArgumentTypeError, PyflowError
from ._activity import Activity
from ._definition import Task, Workflow
from ._tasks import ActivityTask, LambdaTask, SignalTask, WorkflowTask

TypeKey = tuple[str, str]
"""(name, version) of an SWF workflow or activity type."""


def as_workflow_list(workflows: Workflow | Iterable[Workflow]) -> list[Workflow]:
    """Accept one workflow or several, rejecting anything else with a clear message."""
    items = [workflows] if isinstance(workflows, Workflow) else list(workflows)
    for item in items:
        if not isinstance(item, Workflow):
            raise ArgumentTypeError(f"expected pyflow.Workflow objects, got {item!r}")
    return items


def as_activity_list(activities: Activity | Iterable[Activity]) -> list[Activity]:
    """Accept one activity or several, so a plain function is caught before any polling."""
    items = [activities] if isinstance(activities, Activity) else list(activities)
    for item in items:
        if not isinstance(item, Activity):
            raise ArgumentTypeError(
                f"expected functions declared with @pyflow.activity, got {item!r}"
            )
    return items


def child_workflows(workflow: Workflow) -> list[Workflow]:
    """The pyflow workflows `workflow` runs as children, in task order.

    Children named only by name and version are not pyflow objects: nothing can be walked.
    """
    return [
        task.child_workflow
        for task in workflow.tasks
        if isinstance(task, WorkflowTask) and task.child_workflow is not None
    ]


def _walk(workflows: Iterable[Workflow]) -> Iterator[Workflow]:
    # Depth first, parents before children, each object once: a workflow used as a child by
    # several parents (or by itself, through a cycle of children) is still visited once.
    seen: set[int] = set()
    stack = list(reversed(as_workflow_list(workflows)))
    while stack:
        workflow = stack.pop()
        if id(workflow) in seen:
            continue
        seen.add(id(workflow))
        yield workflow
        stack.extend(reversed(child_workflows(workflow)))


def reachable_workflows(workflows: Workflow | Iterable[Workflow]) -> list[Workflow]:
    """The given workflows and every pyflow child workflow they reach, each object once.

    Unlike `workflow_closure`, nothing is validated: showing or inspecting a definition must
    work on one that would not run.
    """
    return list(_walk(as_workflow_list(workflows)))


def workflow_closure(workflows: Workflow | Iterable[Workflow]) -> dict[TypeKey, Workflow]:
    """The given workflows and every pyflow child workflow they reach, by (name, version).

    Each is validated. Two different definitions under one name and version are an error: a
    decider could not know which one an execution runs.
    """
    found: dict[TypeKey, Workflow] = {}
    for workflow in _walk(as_workflow_list(workflows)):
        key = (workflow.name, workflow.version)
        if key in found:
            raise PyflowError(
                f"two different definitions of workflow {workflow.name!r} version "
                f"{workflow.version!r}; give each definition its own version"
            )
        workflow.validate()
        found[key] = workflow
    return found


def activity_map(activities: Activity | Iterable[Activity]) -> dict[TypeKey, Activity]:
    """Activities by (name, version); one type declared by two functions is an error."""
    found: dict[TypeKey, Activity] = {}
    for act in as_activity_list(activities):
        key = (act.name, act.version)
        if key in found and found[key] is not act:
            raise PyflowError(
                f"activity type {act.name!r} version {act.version!r} is declared by two "
                f"functions ({found[key].func!r} and {act.func!r})"
            )
        found[key] = act
    return found


@dataclass(frozen=True)
class ActivityUse:
    """An activity type a workflow schedules, with what registration needs to know."""

    name: str
    version: str
    task_list: str | None
    activity: Activity | None
    task: ActivityTask


def activity_uses(workflows: Workflow | Iterable[Workflow]) -> dict[TypeKey, ActivityUse]:
    """The activity types the workflows and their children schedule.

    The first use gives the defaults, except that a task declared with a `@pyflow.activity`
    function wins over one naming only the type: the function carries the full declaration.
    """
    uses: dict[TypeKey, ActivityUse] = {}
    for workflow in _walk(as_workflow_list(workflows)):
        for task in _scheduled(workflow):
            if not isinstance(task, ActivityTask):
                continue
            key = (task.activity_type, task.activity_version)
            if key not in uses or (uses[key].activity is None and task.activity is not None):
                uses[key] = ActivityUse(
                    name=task.activity_type,
                    version=task.activity_version,
                    task_list=task.task_list,
                    activity=task.activity,
                    task=task,
                )
    return uses


def lambda_functions(workflows: Workflow | Iterable[Workflow]) -> list[str]:
    """The Lambda function names the workflows and their children call, in order, once each."""
    names = (
        task.lambda_function
        for workflow in _walk(as_workflow_list(workflows))
        for task in _scheduled(workflow)
        if isinstance(task, LambdaTask)
    )
    return list(dict.fromkeys(names))


def _scheduled(workflow: Workflow) -> list[Task]:
    """The workflow's tasks and the notifiers its signal tasks call: all that SWF runs."""
    tasks: list[Task] = list(workflow.tasks)
    tasks += [t.notifier for t in workflow.tasks if isinstance(t, SignalTask) and t.notifier]
    return tasks


def decider_task_lists(workflows: Workflow | Iterable[Workflow], default: str) -> list[str]:
    """Every task list decision tasks of these workflows (and their children) can land on."""
    lists = [default]
    for workflow in _walk(as_workflow_list(workflows)):
        names = [workflow.task_list] + [
            t.task_list
            for t in workflow.tasks
            if isinstance(t, WorkflowTask) and t.child_workflow is not None
        ]
        lists.extend(n for n in names if n)
    return list(dict.fromkeys(lists))
