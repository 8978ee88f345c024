"""Which workflow and activity types a set of workflows needs: the workflows themselves, the
pyflow child workflows they reach, and the activity types their tasks schedule.

A decider serving a workflow must also serve its pyflow children (their decision tasks land on
the same task list unless the child names its own), and registration must cover them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .._exceptions import PyflowError
from ._activity import Activity
from ._definition import Workflow
from ._tasks import ActivityTask, WorkflowTask

TypeKey = tuple[str, str]
"""(name, version) of an SWF workflow or activity type."""


def as_workflow_list(workflows: Workflow | Iterable[Workflow]) -> list[Workflow]:
    """Accept one workflow or several, rejecting anything else with a clear message."""
    items = [workflows] if isinstance(workflows, Workflow) else list(workflows)
    for item in items:
        if not isinstance(item, Workflow):
            raise TypeError(f"expected pyflow.Workflow objects, got {item!r}")
    return items


def as_activity_list(activities: Activity | Iterable[Activity]) -> list[Activity]:
    items = [activities] if isinstance(activities, Activity) else list(activities)
    for item in items:
        if not isinstance(item, Activity):
            raise TypeError(
                f"expected functions declared with @pyflow.activity, got {item!r}"
            )
    return items


def workflow_closure(workflows: Workflow | Iterable[Workflow]) -> dict[TypeKey, Workflow]:
    """The given workflows and every pyflow child workflow they reach, by (name, version).

    Each is validated. Two different definitions under one name and version are an error: a
    decider could not know which one an execution runs.
    """
    found: dict[TypeKey, Workflow] = {}
    stack = list(reversed(as_workflow_list(workflows)))
    while stack:
        workflow = stack.pop()
        key = (workflow.name, workflow.version)
        known = found.get(key)
        if known is workflow:
            continue
        if known is not None:
            raise PyflowError(
                f"two different definitions of workflow {workflow.name!r} version "
                f"{workflow.version!r}; give each definition its own version"
            )
        workflow.validate()
        found[key] = workflow
        children = [
            t.child_workflow
            for t in workflow.tasks
            if isinstance(t, WorkflowTask) and t.child_workflow is not None
        ]
        stack.extend(reversed(children))
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


def activity_uses(workflows: Sequence[Workflow]) -> dict[TypeKey, ActivityUse]:
    """The activity types the workflows schedule (first use wins for the defaults)."""
    uses: dict[TypeKey, ActivityUse] = {}
    for workflow in workflows:
        for task in workflow.tasks:
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


def decider_task_lists(workflows: Iterable[Workflow], default: str) -> list[str]:
    """Every task list decision tasks of these workflows (and their children) can land on."""
    lists = [default]
    for workflow in workflows:
        names = [workflow.task_list] + [
            t.task_list
            for t in workflow.tasks
            if isinstance(t, WorkflowTask) and t.child_workflow is not None
        ]
        lists.extend(n for n in names if n)
    return list(dict.fromkeys(lists))
