"""The task types a workflow is built from.

Tasks are plain declarations: they hold what to run and how to retry it, and know nothing
about SWF histories. The decider reads them; `Workflow.add` validates how they connect.
Conditional and looping execution will arrive as further task properties (a predicate on
the inputs, a loop body workflow), which is why every decision about a task goes through
its `kind` and the decider's per-kind handlers rather than isinstance checks scattered around.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal

from .._exceptions import DefinitionError, InvalidNameError
from ._activity import Activity
from ._names import check_swf_name, lambda_name_problem
from ._payload import is_json

if TYPE_CHECKING:
    from ._definition import Workflow

TaskKind = Literal["start", "lambda", "activity", "workflow", "signal", "timer"]

TASK_NAME_MAX: Final = 200
"""Task names leave room in SWF's 256-character ids for the attempt number pyflow appends."""
MAX_DURATION: Final = 31_536_000
"""SWF caps every timeout and timer at one year (seconds)."""


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


UNSET: Final = _Unset()


def _whole_seconds(value: object, what: str, *, minimum: int, maximum: int = MAX_DURATION) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"{what} must be a whole number of seconds, not {value!r}")
    if not minimum <= value <= maximum:
        raise DefinitionError(
            f"{what} must be between {minimum} and {maximum} seconds, not {value}"
        )
    return value


def _optional_seconds(value: object, what: str, *, maximum: int = MAX_DURATION) -> int | None:
    return None if value is None else _whole_seconds(value, what, minimum=1, maximum=maximum)


class Task:
    """A node of a workflow's graph; see the subclasses for what each one runs."""

    kind: ClassVar[TaskKind]
    produces_output: ClassVar[bool] = True
    """False for tasks (timers) whose completion carries no value to dependents."""

    def __init__(
        self,
        *,
        name: str,
        depends_on: Sequence[Task | str] = (),
        param: Any = UNSET,
        transform_input: Callable[[Any], Any] | None = None,
        num_retries: int = 0,
        time_between_retries: float = 0,
    ) -> None:
        problem_name = name if isinstance(name, str) else repr(name)
        where = f"task {problem_name!r}"
        check_swf_name(name, "task name", max_length=TASK_NAME_MAX)
        if isinstance(depends_on, (str, Task)):
            depends_on = [depends_on]
        for dep in depends_on:
            if not isinstance(dep, (Task, str)):
                raise DefinitionError(
                    f"{where}: depends_on holds {dep!r}; give tasks or task names"
                )
        if param is not UNSET and not is_json(param):
            raise DefinitionError(
                f"{where}: param {param!r} is not JSON-serialisable; SWF payloads are JSON"
            )
        if transform_input is not None and not callable(transform_input):
            raise DefinitionError(f"{where}: transform_input {transform_input!r} is not callable")
        if isinstance(num_retries, bool) or not isinstance(num_retries, int) or num_retries < 0:
            raise DefinitionError(
                f"{where}: num_retries must be a whole number >= 0, not {num_retries!r}"
            )
        if (
            isinstance(time_between_retries, bool)
            or not isinstance(time_between_retries, (int, float))
            or not math.isfinite(time_between_retries)
            or time_between_retries < 0
        ):
            raise DefinitionError(
                f"{where}: time_between_retries must be a number of seconds >= 0, "
                f"not {time_between_retries!r}"
            )
        self.name: str = name
        self.depends_on: tuple[Task | str, ...] = tuple(depends_on)
        self.param: Any = param
        self.transform_input = transform_input
        self.num_retries: int = num_retries
        self.time_between_retries: float = time_between_retries
        # Set by Workflow.add: the owning workflow and the resolved dependencies.
        self.workflow: Workflow | None = None
        self.dependencies: tuple[Task, ...] = ()

    @property
    def has_param(self) -> bool:
        return self.param is not UNSET

    @property
    def retry_delay(self) -> int:
        """The delay between attempts in whole seconds, as an SWF timer takes it."""
        return math.ceil(self.time_between_retries)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class StartTask(Task):
    """The pseudo-task every workflow begins with; its output is the workflow input."""

    kind = "start"

    def __init__(self, *, name: str = "start") -> None:
        super().__init__(name=name)


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
        self.timeout = _optional_seconds(timeout, f"task {name!r}: timeout", maximum=900)
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
        self.schedule_to_start_timeout = _optional_seconds(
            schedule_to_start_timeout, f"{where}: schedule_to_start_timeout"
        )
        self.start_to_close_timeout = _optional_seconds(
            start_to_close_timeout, f"{where}: start_to_close_timeout"
        )
        self.schedule_to_close_timeout = _optional_seconds(
            schedule_to_close_timeout, f"{where}: schedule_to_close_timeout"
        )
        self.heartbeat_timeout = _optional_seconds(heartbeat_timeout, f"{where}: heartbeat_timeout")


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
        from ._definition import Workflow

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
        self.execution_timeout = _optional_seconds(execution_timeout, f"{where}: execution_timeout")


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
        self.duration: int = _whole_seconds(duration, f"task {name!r}: duration", minimum=1)
