"""`execution_state`: what an execution and each of its tasks are doing, read from history.

The runtime reports an execution's outcome with it and the CLI shows it (`describe`,
`graph --workflow-id`). It reads the same single pass the decider uses, so the two can
never disagree about a task.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .._workflow._definition import Workflow
from .._workflow._payload import decode
from .._workflow._tasks import TaskKind
from ._decide import replay
from ._events import attributes
from ._history import History
from ._records import TaskError, TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef, WorkflowExecutionTypeDef

TaskStatus = Literal[
    "waiting", "scheduled", "running", "retry_wait", "completed", "failed", "canceled"
]
ExecutionStatus = Literal[
    "OPEN", "COMPLETED", "FAILED", "CANCELED", "TIMED_OUT", "TERMINATED", "CONTINUED_AS_NEW"
]


@dataclass(frozen=True)
class TaskState:
    """One task of an execution."""

    name: str
    kind: TaskKind
    state: TaskStatus
    """waiting (for dependencies), scheduled, running (a signal task: waiting for its signal),
    retry_wait (an attempt failed, another will follow), completed, failed (for good), or
    canceled (still outstanding when the execution closed)."""
    attempts: int
    """Attempts started so far."""
    output: Any = None
    """The decoded output of a completed task; for a signal task, the input of the first
    signal of its name (every signal task of that name gets the same)."""
    last_error: TaskError | None = None
    """`reason` and `details` of the last failed attempt."""
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class ExecutionState:
    """An execution as its history tells it."""

    status: ExecutionStatus
    result: Any = None
    """The decoded result of a completed execution."""
    reason: str | None = None
    details: str | None = None
    input: Any = None
    started_at: datetime | None = None
    closed_at: datetime | None = None
    tasks: dict[str, TaskState] = field(default_factory=dict)
    """Every task, in workflow order."""


def execution_state(
    workflow: Workflow,
    events: Sequence[HistoryEventTypeDef],
    *,
    execution: WorkflowExecutionTypeDef | None = None,
) -> ExecutionState:
    """The state of the execution whose history is `events`."""
    history = replay(workflow, events, execution)
    status: ExecutionStatus = history.close_status or "OPEN"  # type: ignore[assignment]
    attrs = _close_attributes(history)
    blamed = _blamed_task(history, attrs.get("details"))
    tasks = {rec.name: _task_state(rec, status, blamed) for rec in history.records}
    return ExecutionState(
        status=status,
        result=decode(attrs.get("result")) if status == "COMPLETED" else None,
        reason=attrs.get("reason"),
        details=attrs.get("details"),
        input=decode(history.input),
        started_at=history.started_at,
        closed_at=history.closed_at,
        tasks=tasks,
    )


def _close_attributes(history: History) -> dict[str, Any]:
    return {} if history.close_event is None else attributes(history.close_event)


def _blamed_task(history: History, details: object) -> tuple[str, TaskError] | None:
    """The task a pyflow failure's details name, for failures no event records (an input
    that could not be built)."""
    if history.close_status != "FAILED" or not isinstance(details, str):
        return None
    try:
        data = json.loads(details)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("task"), str):
        return None
    error = data.get("error")
    error = error if isinstance(error, dict) else {}
    reason = str(error.get("reason") or "failed")
    extra = error.get("details")
    return data["task"], TaskError(reason, extra if isinstance(extra, str) else None)


def _task_state(rec: TaskRecord, status: str, blamed: tuple[str, TaskError] | None) -> TaskState:
    state: TaskStatus = rec.phase
    last_error = rec.last_error
    ended_at = rec.ended_at
    if blamed is not None and blamed[0] == rec.name and state not in ("completed", "failed"):
        state, last_error = "failed", blamed[1]
    elif status != "OPEN" and state in ("scheduled", "running", "retry_wait"):
        state = "canceled"
    return TaskState(
        name=rec.name,
        kind=rec.task.kind,
        state=state,
        attempts=rec.attempt,
        output=decode(rec.output) if state == "completed" else None,
        last_error=last_error,
        started_at=rec.started_at,
        ended_at=ended_at,
    )
