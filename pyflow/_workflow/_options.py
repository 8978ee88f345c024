"""The keyword options task constructors take, declared once for type checkers and tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypedDict

from ._definition import Task
from ._retry import RetryPolicy


class _RequiredTaskOptions(TypedDict):
    # Required keys come from a total base class, not Required[...]: with postponed
    # annotations TypedDict cannot see Required at run time and would call `name` optional.
    name: str
    """Unique in the workflow; it also names the task in SWF ids and in dependents' inputs."""


class TaskOptions(_RequiredTaskOptions, total=False):
    """The options every task kind takes, declared once so each constructor's `**options` is
    checked key by key (a misspelled option is a type error, and a TypeError at run time)."""

    depends_on: Sequence[Task | str]
    """Tasks (or names of tasks added later) that must finish first; default none."""
    param: Any
    """A JSON value passed to the task as part of its input; default none."""
    transform_input: Callable[[Any], Any] | None
    """Called with the assembled input; its result is what the task receives."""
    num_retries: int
    """Attempts after the first one fails; default 0."""
    time_between_retries: float
    """Seconds between attempts; default 0."""
    run_if: Callable[[Any], bool] | None
    """Called with the assembled input when the trigger rule is met; False skips the task."""
    trigger_rule: str
    """When the task runs given how its dependencies ended: a `TriggerRule` name; default
    'all_success'."""


class ExecutingTaskOptions(TaskOptions, total=False):
    """The options of tasks that run something (Lambda, activity, child workflow)."""

    repeat_until: Callable[[Any], bool] | None
    """Called with each iteration's output; while it is false the task runs again."""
    max_iterations: int | None
    """The most iterations a repeating task may run; required with `repeat_until`."""
    repeat_delay: float
    """Seconds between iterations; default 0."""
    retry: RetryPolicy | None
    """How failed attempts are retried; instead of `num_retries`/`time_between_retries`."""
    for_each: Task | str | None
    """A dependency whose output is a list: the task runs once per item, its output is the
    list of per-item outputs."""
    max_concurrency: int | None
    """The most items of a `for_each` running at once; default as many as SWF allows."""
    pass_context: bool
    """Send {'input': ..., 'context': {domain, workflow_id, run_id, task, attempt}}."""
