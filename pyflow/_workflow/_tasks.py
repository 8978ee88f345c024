"""The task kinds a workflow schedules: Lambda, activity, child workflow, signal and timer."""

# Tasks are plain declarations that know nothing about SWF histories: the decider reads them
# and `Workflow.add` validates how they connect. Conditions, trigger rules and loops are task
# properties (`_control`), so every decision about a task goes through its `kind` and the
# decider's per-kind handlers rather than isinstance checks scattered around.

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Unpack

from .._exceptions import DefinitionError, DefinitionTypeError, InvalidNameError
from ._activity import Activity
from ._definition import UNSET, StartTask, Task, TaskKind, Workflow
from ._durations import MAX_DURATION, optional_seconds, whole_seconds
from ._names import check_swf_name, lambda_name_problem
from ._options import ExecutingTaskOptions, TaskOptions

__all__ = [
    "MAX_DURATION",
    "UNSET",
    "ActivityTask",
    "ExecutingTaskOptions",
    "LambdaTask",
    "SignalTask",
    "StartTask",
    "Task",
    "TaskKind",
    "TaskOptions",
    "TimerTask",
    "WorkflowTask",
]


@dataclass(frozen=True)
class _TypeForm:
    """How a task kind names the SWF type it schedules: by object, or by name and version.

    ActivityTask and WorkflowTask accept the same two forms and must reject the same mistakes,
    so both go through `resolve`.
    """

    task_class: str
    """The task class with its article, as messages name it."""
    object_keyword: str
    object_class: type[Activity] | type[Workflow]
    object_description: str
    name_keyword: str
    version_keyword: str

    def resolve(
        self,
        where: str,
        declared: object,
        name: str | None,
        version: str | None,
        task_list: str | None,
    ) -> tuple[str, str, str | None]:
        """The (name, version, task_list) to schedule, checked as SWF would check them.

        A task_list given with the object overrides the object's own.
        """
        if declared is not None:
            if not isinstance(declared, self.object_class):
                raise DefinitionTypeError(
                    f"{where}: {self.object_keyword} must be {self.object_description}, "
                    f"not {declared!r}"
                )
            if name is not None or version is not None:
                raise DefinitionError(
                    f"{where}: give either {self.object_keyword}= or "
                    f"{self.name_keyword}/{self.version_keyword}, not both"
                )
            name, version = declared.name, declared.version
            task_list = task_list or declared.task_list
        if name is None or version is None:
            raise DefinitionError(
                f"{where}: {self.task_class} needs {self.object_keyword}= or both "
                f"{self.name_keyword}= and {self.version_keyword}="
            )
        return (
            check_swf_name(name, f"{where}: {self.name_keyword}"),
            check_swf_name(version, f"{where}: {self.version_keyword}", max_length=64),
            None if task_list is None else check_swf_name(task_list, f"{where}: task_list"),
        )


_ACTIVITY_FORM: Final = _TypeForm(
    task_class="an ActivityTask",
    object_keyword="activity",
    object_class=Activity,
    object_description="a function declared with @pyflow.activity",
    name_keyword="activity_type",
    version_keyword="activity_version",
)
_WORKFLOW_FORM: Final = _TypeForm(
    task_class="a WorkflowTask",
    object_keyword="workflow",
    object_class=Workflow,
    object_description="a pyflow.Workflow",
    name_keyword="workflow_name",
    version_keyword="workflow_version",
)


def _one_of(where: str, name: str, value: int | None, alias: str, other: int | None) -> int | None:
    """`timeout=` and the SWF-named option it stands for: one or the other, not both."""
    if value is not None and other is not None:
        raise DefinitionError(f"{where}: give either {name}= or {alias}=, not both")
    return value if value is not None else other


class LambdaTask(Task):
    """Invokes an AWS Lambda function; its output is the function's JSON result."""

    kind = "lambda"
    loops = True

    def __init__(
        self,
        *,
        lambda_function: str,
        timeout: int | None = None,
        **options: Unpack[ExecutingTaskOptions],
    ) -> None:
        super().__init__(**options)
        where = f"task {self.name!r}"
        problem = lambda_name_problem(lambda_function)
        if problem:
            raise InvalidNameError(
                f"{where}: lambda_function {lambda_function!r} {problem}"
            )
        self.lambda_function: str = lambda_function
        self.timeout = optional_seconds(timeout, f"{where}: timeout", maximum=900)
        """Seconds the function may run (SWF allows 1-900; None means SWF's default, 900)."""


class ActivityTask(Task):
    """Schedules an SWF activity, run by a worker polling its task list (any language)."""

    kind = "activity"
    loops = True

    def __init__(
        self,
        *,
        activity: Activity | None = None,
        activity_type: str | None = None,
        activity_version: str | None = None,
        task_list: str | None = None,
        timeout: int | None = None,
        schedule_to_start_timeout: int | None = None,
        start_to_close_timeout: int | None = None,
        schedule_to_close_timeout: int | None = None,
        heartbeat_timeout: int | None = None,
        **options: Unpack[ExecutingTaskOptions],
    ) -> None:
        super().__init__(**options)
        where = f"task {self.name!r}"
        start_to_close_timeout = _one_of(
            where, "timeout", timeout, "start_to_close_timeout", start_to_close_timeout
        )
        self.activity: Activity | None = activity
        self.activity_type, self.activity_version, self.task_list = _ACTIVITY_FORM.resolve(
            where, activity, activity_type, activity_version, task_list
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
    loops = True

    def __init__(
        self,
        *,
        workflow: Workflow | None = None,
        workflow_name: str | None = None,
        workflow_version: str | None = None,
        task_list: str | None = None,
        timeout: int | None = None,
        execution_timeout: int | None = None,
        **options: Unpack[ExecutingTaskOptions],
    ) -> None:
        super().__init__(**options)
        where = f"task {self.name!r}"
        execution_timeout = _one_of(
            where, "timeout", timeout, "execution_timeout", execution_timeout
        )
        self.child_workflow: Workflow | None = workflow
        self.workflow_name, self.workflow_version, self.task_list = _WORKFLOW_FORM.resolve(
            where, workflow, workflow_name, workflow_version, task_list
        )
        self.execution_timeout = optional_seconds(execution_timeout, f"{where}: execution_timeout")


class SignalTask(Task):
    """Waits for a signal sent to the execution; its output is the signal's input.

    A signal received at any time counts, even before the dependencies are done, and every
    SignalTask of one name takes the input of the first signal of that name. With `notify`
    (a Lambda function name or an `@pyflow.activity`), pyflow calls it once the task starts
    waiting, with a callback saying where to send the signal (and a token that says it in one
    string); with `timeout`, the task fails if no signal comes within that many seconds.
    """

    kind = "signal"

    def __init__(
        self,
        *,
        signal_name: str | None = None,
        notify: str | Activity | None = None,
        timeout: int | None = None,
        **options: Unpack[TaskOptions],
    ) -> None:
        super().__init__(**options)
        where = f"task {self.name!r}"
        self.signal_name: str = check_swf_name(
            self.name if signal_name is None else signal_name, f"{where}: signal_name"
        )
        self.timeout = optional_seconds(timeout, f"{where}: timeout")
        """Seconds to wait for the signal in each attempt; None waits for ever."""
        self.notifier: LambdaTask | ActivityTask | None = _notifier(where, self.name, notify)
        """The task pyflow runs to hand out the callback (never added to the workflow: its
        ids are the signal task's, with '#notify')."""


def _notifier(where: str, name: str, notify: object) -> LambdaTask | ActivityTask | None:
    if notify is None:
        return None
    if isinstance(notify, Activity):
        return ActivityTask(name=name, activity=notify)
    if isinstance(notify, str):
        problem = lambda_name_problem(notify)
        if problem:
            raise InvalidNameError(f"{where}: notify {notify!r} {problem}")
        return LambdaTask(name=name, lambda_function=notify)
    raise DefinitionTypeError(
        f"{where}: notify must be a Lambda function name or an @pyflow.activity, "
        f"not {notify!r}"
    )


class TimerTask(Task):
    """Waits `duration` seconds (an SWF timer, so waiting costs no decider time)."""

    kind = "timer"
    produces_output = False

    def __init__(self, *, duration: int, **options: Unpack[TaskOptions]) -> None:
        super().__init__(**options)
        where = f"task {self.name!r}"
        self.duration: int = whole_seconds(duration, f"{where}: duration", minimum=1)
