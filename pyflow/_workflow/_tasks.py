"""The task types a workflow is built from.

Tasks are plain declarations: they hold what to run and how to retry it, and know nothing
about SWF histories. The decider reads them; `Workflow.add` validates how they connect.
Conditional and looping execution will arrive as further task properties (a predicate on
the inputs, a loop body workflow), which is why every decision about a task goes through
its `kind` and the decider's per-kind handlers rather than isinstance checks scattered around.
"""

from __future__ import annotations

from typing import Any

from .._exceptions import DefinitionError, InvalidNameError
from ._activity import Activity
from ._definition import UNSET, StartTask, Task, TaskKind, Workflow
from ._durations import MAX_DURATION, optional_seconds, whole_seconds
from ._names import check_swf_name, lambda_name_problem

__all__ = [
    "MAX_DURATION",
    "UNSET",
    "ActivityTask",
    "LambdaTask",
    "SignalTask",
    "StartTask",
    "Task",
    "TaskKind",
    "TimerTask",
    "WorkflowTask",
]


class LambdaTask(Task):
    """Invokes an AWS Lambda function; its output is the function's JSON result."""

    kind = "lambda"

    def __init__(
        self,
        *,
        name: str,
        lambda_function: str,
        timeout: int | None = None,
        **common: Any,
    ) -> None:
        super().__init__(name=name, **common)
        problem = lambda_name_problem(lambda_function)
        if problem:
            raise InvalidNameError(
                f"task {name!r}: lambda_function {lambda_function!r} {problem}"
            )
        self.lambda_function: str = lambda_function
        self.timeout = optional_seconds(timeout, f"task {name!r}: timeout", maximum=900)
        """Seconds the function may run (SWF allows 1-900; None means SWF's default, 900)."""


class ActivityTask(Task):
    """Schedules an SWF activity, run by a worker polling its task list (any language)."""

    kind = "activity"

    def __init__(
        self,
        *,
        name: str,
        activity: Activity | None = None,
        activity_type: str | None = None,
        activity_version: str | None = None,
        task_list: str | None = None,
        schedule_to_start_timeout: int | None = None,
        start_to_close_timeout: int | None = None,
        schedule_to_close_timeout: int | None = None,
        heartbeat_timeout: int | None = None,
        **common: Any,
    ) -> None:
        super().__init__(name=name, **common)
        where = f"task {name!r}"
        if activity is not None:
            if not isinstance(activity, Activity):
                raise DefinitionError(
                    f"{where}: activity must be a function declared with @pyflow.activity, "
                    f"not {activity!r}"
                )
            if activity_type is not None or activity_version is not None:
                raise DefinitionError(
                    f"{where}: give either activity= or activity_type/activity_version, not both"
                )
            activity_type, activity_version = activity.name, activity.version
            task_list = task_list or activity.task_list
        if activity_type is None or activity_version is None:
            raise DefinitionError(
                f"{where}: an ActivityTask needs activity= or both activity_type= and "
                "activity_version="
            )
        self.activity: Activity | None = activity
        self.activity_type: str = check_swf_name(activity_type, f"{where}: activity_type")
        self.activity_version: str = check_swf_name(
            activity_version, f"{where}: activity_version", max_length=64
        )
        self.task_list: str | None = (
            None if task_list is None else check_swf_name(task_list, f"{where}: task_list")
        )
        self.schedule_to_start_timeout = optional_seconds(
            schedule_to_start_timeout, f"{where}: schedule_to_start_timeout"
        )
        self.start_to_close_timeout = optional_seconds(
            start_to_close_timeout, f"{where}: start_to_close_timeout"
        )
        self.schedule_to_close_timeout = optional_seconds(
            schedule_to_close_timeout, f"{where}: schedule_to_close_timeout"
        )
        self.heartbeat_timeout = optional_seconds(heartbeat_timeout, f"{where}: heartbeat_timeout")


class WorkflowTask(Task):
    """Runs a child workflow execution; its output is the child's result."""

    kind = "workflow"

    def __init__(
        self,
        *,
        name: str,
        workflow: Workflow | None = None,
        workflow_name: str | None = None,
        workflow_version: str | None = None,
        task_list: str | None = None,
        execution_timeout: int | None = None,
        **common: Any,
    ) -> None:
        super().__init__(name=name, **common)
        where = f"task {name!r}"
        if workflow is not None:
            if not isinstance(workflow, Workflow):
                raise DefinitionError(
                    f"{where}: workflow must be a pyflow.Workflow, not {workflow!r}"
                )
            if workflow_name is not None or workflow_version is not None:
                raise DefinitionError(
                    f"{where}: give either workflow= or workflow_name/workflow_version, not both"
                )
            workflow_name, workflow_version = workflow.name, workflow.version
            task_list = task_list or workflow.task_list
        if workflow_name is None or workflow_version is None:
            raise DefinitionError(
                f"{where}: a WorkflowTask needs workflow= or both workflow_name= and "
                "workflow_version="
            )
        self.child_workflow: Workflow | None = workflow
        self.workflow_name: str = check_swf_name(workflow_name, f"{where}: workflow_name")
        self.workflow_version: str = check_swf_name(
            workflow_version, f"{where}: workflow_version", max_length=64
        )
        self.task_list: str | None = (
            None if task_list is None else check_swf_name(task_list, f"{where}: task_list")
        )
        self.execution_timeout = optional_seconds(execution_timeout, f"{where}: execution_timeout")


class SignalTask(Task):
    """Waits for a signal sent to the execution; its output is the signal's input.

    A signal received at any time counts, even before the dependencies are done, and every
    SignalTask of one name takes the input of the first signal of that name.
    """

    kind = "signal"

    def __init__(self, *, name: str, signal_name: str | None = None, **common: Any) -> None:
        super().__init__(name=name, **common)
        self.signal_name: str = check_swf_name(
            name if signal_name is None else signal_name, f"task {name!r}: signal_name"
        )


class TimerTask(Task):
    """Waits `duration` seconds (an SWF timer, so waiting costs no decider time)."""

    kind = "timer"
    produces_output = False

    def __init__(self, *, name: str, duration: int, **common: Any) -> None:
        super().__init__(name=name, **common)
        self.duration: int = whole_seconds(duration, f"task {name!r}: duration", minimum=1)
