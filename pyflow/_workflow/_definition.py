"""`Workflow` and the `Task` base class: the graph and the node it is built from."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, ClassVar, Final, Literal, TypeVar

from .._exceptions import (
    CycleError,
    DefinitionError,
    DependencyError,
    DuplicateTaskError,
    UnknownTaskError,
)
from ._budget import check as check_budget
from ._budget import estimate
from ._control import Loop, check_trigger_rule, loop, predicate
from ._durations import MAX_DURATION
from ._map import HISTORY_BUDGET, ForEach, check_maps
from ._map import check_budget as check_history_budget
from ._map import for_each as check_for_each
from ._names import check_swf_name
from ._payload import MAX_DATA, dumps, json_problem
from ._retry import RetryPolicy, resolve


def _short(value: Any) -> str:
    """A repr that cannot itself recurse without end or fill a screen."""
    try:
        text = repr(value)
    except RecursionError:
        return f"<{type(value).__name__} nested too deeply to show>"
    return text if len(text) <= 80 else text[:77] + "..."


TaskKind = Literal["start", "lambda", "activity", "workflow", "signal", "timer"]

TASK_NAME_MAX: Final = 200
"""Task names leave room in SWF's 256-character ids for the attempt number pyflow appends."""


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


UNSET: Final = _Unset()


def _check_sources(where: str, depends_on: Sequence[object], param: Any) -> None:
    """What a task's input is built from: dependencies, and a param SWF can carry."""
    for dep in depends_on:
        if not isinstance(dep, (Task, str)):
            raise DefinitionError(f"{where}: depends_on holds {dep!r}; give tasks or task names")
    problem = None if param is UNSET else json_problem(param)
    if problem is not None:
        raise DefinitionError(
            f"{where}: param {_short(param)} is not JSON-serialisable ({problem}); SWF "
            "payloads are JSON"
        )
    size = 0 if param is UNSET else len(dumps(param))
    if size > MAX_DATA:
        raise DefinitionError(
            f"{where}: param is {size} characters of JSON; SWF takes at most {MAX_DATA} "
            "per input, so pass a reference (an S3 key, say) instead of the data"
        )


class Task:
    """A node of a workflow's graph; see the subclasses for what each one runs."""

    kind: ClassVar[TaskKind]
    produces_output: ClassVar[bool] = True
    """False for tasks (timers) whose completion carries no value to dependents."""
    loops: ClassVar[bool] = False
    """True for the kinds that take `repeat_until` and `for_each`."""

    def __init__(
        self,
        *,
        name: str,
        depends_on: Sequence[Task | str] = (),
        param: Any = UNSET,
        transform_input: Callable[[Any], Any] | None = None,
        num_retries: int = 0,
        time_between_retries: float = 0,
        run_if: Callable[[Any], bool] | None = None,
        trigger_rule: str = "all_success",
        repeat_until: Callable[[Any], bool] | None = None,
        max_iterations: int | None = None,
        repeat_delay: float = 0,
        retry: RetryPolicy | None = None,
        pass_context: bool = False,
        for_each: Task | str | None = None,
        max_concurrency: int | None = None,
    ) -> None:
        problem_name = name if isinstance(name, str) else repr(name)
        where = f"task {problem_name!r}"
        check_swf_name(name, "task name", max_length=TASK_NAME_MAX)
        if isinstance(depends_on, (str, Task)):
            depends_on = [depends_on]
        _check_sources(where, depends_on, param)
        if transform_input is not None and not callable(transform_input):
            raise DefinitionError(f"{where}: transform_input {transform_input!r} is not callable")
        self.transform_input = transform_input
        shorthand = num_retries != 0 or time_between_retries != 0
        self.retry: RetryPolicy = resolve(
            where, retry, num_retries, time_between_retries, given=shorthand
        )
        self.run_if = predicate(run_if, "run_if", where)
        self.trigger_rule: str = check_trigger_rule(trigger_rule, where)
        self.loop: Loop | None = loop(
            repeat_until, max_iterations, repeat_delay, where, loops=self.loops, kind=self.kind
        )
        self.for_each: ForEach | None = check_for_each(
            for_each.name if isinstance(for_each, Task) else for_each,
            max_concurrency,
            [d.name if isinstance(d, Task) else d for d in depends_on],
            where,
            maps=self.loops,
            kind=self.kind,
            repeats=self.loop is not None,
        )
        if not isinstance(pass_context, bool):
            raise DefinitionError(f"{where}: pass_context must be True or False")
        self.pass_context = pass_context
        self.name: str = name
        self.depends_on: tuple[Task | str, ...] = tuple(depends_on)
        self.param: Any = param
        self.num_retries: int = self.retry.max_attempts - 1
        self.time_between_retries: float = self.retry.initial_interval
        # Set by Workflow.add: the owning workflow and the resolved dependencies.
        self.workflow: Workflow | None = None
        self.dependencies: tuple[Task, ...] = ()

    @property
    def has_param(self) -> bool:
        return self.param is not UNSET

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class StartTask(Task):
    """The pseudo-task every workflow begins with; its output is the workflow input."""

    kind = "start"

    def __init__(self, *, name: str = "start", **options: Any) -> None:
        if options:
            raise DefinitionError(
                f"task {name!r}: the start task takes no {', '.join(sorted(options))}; it "
                "always runs first and its output is the workflow input"
            )
        super().__init__(name=name)


DEFAULT_EXECUTION_TIMEOUT: Final = MAX_DURATION
"""One year, SWF's maximum: an execution SWF times out early loses its work, while an open
one that waits costs next to nothing."""
DEFAULT_DECISION_TIMEOUT: Final = 60
CHILD_POLICIES: Final = ("TERMINATE", "REQUEST_CANCEL", "ABANDON")

T = TypeVar("T", bound=Task)


class Workflow:
    """A workflow type: its tasks and how they depend on each other.

    Every error in the graph is raised by `add` (or, for dependencies named before the task
    exists, by `validate`), so a definition that imports cleanly is one SWF can run.
    """

    def __init__(
        self,
        name: str,
        version: str,
        output_task: Task | str | None = None,
        *,
        task_list: str | None = None,
        execution_timeout: int = DEFAULT_EXECUTION_TIMEOUT,
        decision_timeout: int = DEFAULT_DECISION_TIMEOUT,
        child_policy: str = "TERMINATE",
        description: str | None = None,
        history_budget: int = HISTORY_BUDGET,
    ) -> None:
        check_swf_name(name, "workflow name")
        check_swf_name(version, f"workflow {name!r} version", max_length=64)
        if task_list is not None:
            check_swf_name(task_list, f"workflow {name!r} task_list")
        for what, value in (
            ("execution_timeout", execution_timeout),
            ("decision_timeout", decision_timeout),
        ):
            valid = isinstance(value, int) and not isinstance(value, bool)
            if not valid or not 1 <= value <= MAX_DURATION:
                raise DefinitionError(
                    f"workflow {name!r}: {what} must be whole seconds between 1 and "
                    f"{MAX_DURATION}, not {value!r}"
                )
        if child_policy not in CHILD_POLICIES:
            raise DefinitionError(
                f"workflow {name!r}: child_policy must be one of {', '.join(CHILD_POLICIES)}"
            )
        self.name: str = name
        self.version: str = version
        self.task_list: str | None = task_list
        self.execution_timeout: int = execution_timeout
        self.decision_timeout: int = decision_timeout
        self.child_policy: str = child_policy
        self.history_budget: int = check_history_budget(history_budget, name)
        """Events a run may hold before pyflow continues the execution as a new run."""
        self.description: str | None = description
        self.output_task: Task | str | None = output_task
        self._tasks: dict[str, Task] = {}
        self._pending: dict[str, set[str]] = {}  # unresolved dependency name -> dependents
        self.start_task: StartTask = StartTask()
        self._attach(self.start_task, ())

    # -- building -------------------------------------------------------------------------

    def add(self, task: T) -> T:
        """Add `task` and return it, so definitions read `up = wf.add(LambdaTask(...))`."""
        where = f"workflow {self.name!r}"
        if not isinstance(task, Task):
            raise DefinitionError(f"{where}: add() takes a pyflow task, not {task!r}")
        where = f"{where}, task {task.name!r}"
        if task.workflow is self:
            raise DuplicateTaskError(f"{where}: this task object was already added")
        if task.workflow is not None:
            raise DuplicateTaskError(
                f"{where}: this task object already belongs to workflow "
                f"{task.workflow.name!r}; create a new task for each workflow"
            )
        if isinstance(task, StartTask):
            raise DefinitionError(f"{where}: a workflow has exactly one start task, its own")
        if task.name in self._tasks:
            raise DuplicateTaskError(f"{where}: the name is already used by another task")
        resolved, pending = self._resolve_dependencies(task, where)
        self._check_no_cycle_through(task, resolved)
        self._attach(task, resolved)
        for name in pending:
            self._pending.setdefault(name, set()).add(task.name)
        return task

    def _resolve_dependencies(self, task: Task, where: str) -> tuple[list[Task], list[str]]:
        """Split `depends_on` into tasks of this workflow and names not added yet."""
        resolved: list[Task] = []
        pending: list[str] = []
        for dep in task.depends_on:
            if isinstance(dep, str):
                if dep == task.name:
                    raise CycleError(f"{where}: the task depends on itself")
                if dep in self._tasks:
                    resolved.append(self._tasks[dep])
                else:
                    pending.append(dep)
                continue
            if dep is task:
                raise CycleError(f"{where}: the task depends on itself")
            if dep.workflow is None:
                raise DependencyError(
                    f"{where}: dependency {dep.name!r} has not been added to this workflow; "
                    "add it first, or name it with a string to refer to it before it is added"
                )
            if dep.workflow is not self:
                raise DependencyError(
                    f"{where}: dependency {dep.name!r} belongs to workflow "
                    f"{dep.workflow.name!r}, not to this one"
                )
            resolved.append(dep)
        return resolved, pending

    def _attach(self, task: Task, dependencies: list[Task] | tuple[Task, ...]) -> None:
        task.workflow = self
        task.dependencies = tuple(dict.fromkeys(dependencies))
        self._tasks[task.name] = task
        # Tasks added earlier may have named this one before it existed.
        for dependent_name in sorted(self._pending.pop(task.name, ())):
            dependent = self._tasks[dependent_name]
            dependent.dependencies = (*dependent.dependencies, task)

    def _check_no_cycle_through(self, task: Task, dependencies: list[Task]) -> None:
        """A cycle can only appear when a dependency (transitively) waits for `task` by name."""
        waiting = self._pending.get(task.name)
        if not waiting:
            return
        seen: set[str] = set()
        stack = [(dep, [dep.name]) for dep in dependencies]
        while stack:
            node, path = stack.pop()
            if node.name in waiting:
                chain = " -> ".join([task.name, *path, task.name])
                raise CycleError(
                    f"workflow {self.name!r}, task {task.name!r}: "
                    f"dependencies form a cycle: {chain}"
                )
            if node.name in seen:
                continue
            seen.add(node.name)
            stack.extend((d, [*path, d.name]) for d in node.dependencies)

    # -- reading --------------------------------------------------------------------------

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Every task in the order it was added, the start task first."""
        return tuple(self._tasks.values())

    def get_task(self, name: str) -> Task:
        try:
            return self._tasks[name]
        except KeyError:
            raise UnknownTaskError(
                f"workflow {self.name!r} has no task named {name!r}; "
                f"its tasks are {', '.join(repr(n) for n in self._tasks)}"
            ) from None

    def __getitem__(self, name: str) -> Task:
        return self.get_task(name)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Task):
            return self._tasks.get(item.name) is item
        return item in self._tasks

    def __iter__(self) -> Iterator[Task]:
        return iter(self.tasks)

    def __len__(self) -> int:
        return len(self._tasks)

    def __repr__(self) -> str:
        return f"Workflow({self.name!r}, {self.version!r}, tasks={len(self._tasks)})"

    def dependents(self, task: Task) -> tuple[Task, ...]:
        """The tasks that wait for `task`."""
        return tuple(t for t in self._tasks.values() if task in t.dependencies)

    def sinks(self) -> tuple[Task, ...]:
        """Tasks nothing depends on (the start task only if it is alone)."""
        used = {dep.name for t in self._tasks.values() for dep in t.dependencies}
        sinks = tuple(t for t in self._tasks.values() if t.name not in used)
        if len(sinks) > 1:
            sinks = tuple(t for t in sinks if t is not self.start_task)
        return sinks

    def resolved_output_task(self) -> Task | None:
        """The task named by `output_task`, checked to belong to this workflow."""
        out = self.output_task
        if out is None:
            return None
        name = out if isinstance(out, str) else out.name
        task = self._tasks.get(name)
        if task is None or (isinstance(out, Task) and task is not out):
            raise DependencyError(
                f"workflow {self.name!r}: output_task {name!r} is not a task of this workflow"
            )
        return task

    def validate(self) -> Workflow:
        """Raise for what `add` could not check yet, and for a workflow SWF's limits cannot
        hold (see `_budget`); called before the workflow runs."""
        if self._pending:
            missing = ", ".join(
                f"{name!r} (needed by {', '.join(sorted(deps))})"
                for name, deps in sorted(self._pending.items())
            )
            raise DependencyError(
                f"workflow {self.name!r}: dependencies name tasks that were never added: {missing}"
            )
        self.resolved_output_task()
        start = self.start_task
        if start.run_if is not None or start.trigger_rule != "all_success" or start.loop:
            raise DefinitionError(
                f"workflow {self.name!r}, task {start.name!r}: the start task takes no run_if, "
                "trigger_rule or repeat_until; it always runs first"
            )
        check_maps(self)
        check_budget(self, estimate(self))
        return self
