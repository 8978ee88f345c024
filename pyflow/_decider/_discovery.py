"""Tasks known from history alone, and the few words that say what any task runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._exceptions import PyflowError
from .._workflow._tasks import (
    ActivityTask,
    LambdaTask,
    SignalTask,
    Task,
    TimerTask,
    WorkflowTask,
)


class Found(Task):
    """A task read back from history without its definition: nothing is known about its
    retries, so it keeps Task's defaults (no retries), and a failed attempt stays failed
    until the history shows a retry timer or a new attempt."""

    def __init__(self, *, name: str, what: str) -> None:
        super().__init__(name=name)
        self.what = what


class FoundLambda(Found):
    kind = "lambda"


class FoundActivity(Found):
    kind = "activity"


class FoundWorkflow(Found):
    kind = "workflow"


class FoundTimer(Found):
    kind = "timer"
    produces_output = False


class FoundSignal(Found):
    kind = "signal"


_FOUND: dict[str, type[Found]] = {
    "lambda": FoundLambda,
    "activity": FoundActivity,
    "workflow": FoundWorkflow,
    "timer": FoundTimer,
    "signal": FoundSignal,
}


def found_task(kind: str, name: str, attrs: Mapping[str, Any]) -> Found | None:
    """A placeholder task of `kind` named `name`, described from its event's attributes;
    None when the name is not one a task can have (the history is not pyflow's)."""
    cls = _FOUND.get(kind)
    if cls is None:
        return None
    try:
        return cls(name=name, what=_what(kind, attrs))
    except PyflowError:
        return None


def found_as(kind: str, name: str, what: str) -> Found | None:
    """A placeholder task as an earlier run described it (continue-as-new, no definition)."""
    cls = _FOUND.get(kind)
    if cls is None:
        return None
    try:
        return cls(name=name, what=what)
    except PyflowError:
        return None


def _what(kind: str, attrs: Mapping[str, Any]) -> str:
    if kind == "lambda":
        return f"lambda {attrs.get('name', '?')}"
    if kind == "timer":
        seconds = attrs.get("startToFireTimeout")
        return f"timer {seconds}s" if seconds is not None else "timer"
    if kind == "signal":
        return f"signal {attrs.get('signalName', '?')}"
    key = "activityType" if kind == "activity" else "workflowType"
    t = attrs.get(key)
    t = t if isinstance(t, Mapping) else {}
    return f"{kind} {t.get('name', '?')} {t.get('version', '?')}"


def describe(task: Task) -> str:
    """What a task runs, in a few words: 'lambda string-upcase', 'timer 30s', ..."""
    if isinstance(task, Found):
        return task.what
    if isinstance(task, LambdaTask):
        return f"lambda {task.lambda_function}"
    if isinstance(task, ActivityTask):
        return f"activity {task.activity_type} {task.activity_version}"
    if isinstance(task, WorkflowTask):
        return f"workflow {task.workflow_name} {task.workflow_version}"
    if isinstance(task, SignalTask):
        return f"signal {task.signal_name}"
    if isinstance(task, TimerTask):
        return f"timer {task.duration}s"
    return "workflow input"

