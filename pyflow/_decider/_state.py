"""`execution_state`: what an execution and each of its tasks are doing, read from history.

The runtime reports an execution's outcome with it and every CLI view shows it (`describe`,
`graph --workflow-id`, `run`'s progress). It reads the same single pass the decider uses, so
they can never disagree about a task. Without the definition the pass finds the tasks from
pyflow's ids in the history (see `_history`), so an execution of a type this process never
loaded still reads the same way, short of the tasks not started yet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from .._workflow._definition import Workflow
from .._workflow._payload import MAX_DATA, decode
from .._workflow._tasks import TaskKind
from ._decide import replay
from ._discovery import describe
from ._events import attributes
from ._history import History
from ._items import items_done, items_running
from ._records import Phase, TaskError, TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef, WorkflowExecutionTypeDef

TaskStatus = Phase
"""A task's state is its phase in the history pass, as the decider sees it."""
_OPEN = ("scheduled", "running", "retry_wait", "repeat_wait")
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
    retry_wait (an attempt failed, another will follow), repeat_wait (an iteration of a
    repeating task ended, the next will follow), completed, failed (for good), skipped (its
    trigger rule could not be met, or `run_if` said no), or canceled (still outstanding when
    the execution closed)."""
    attempts: int
    """Attempts started so far (over all iterations of a repeating task)."""
    output: Any = None
    """The decoded output of a completed task; for a signal task, the input of the first
    signal of its name (every signal task of that name gets the same)."""
    last_error: TaskError | None = None
    """`reason` and `details` of the last failed attempt."""
    started_at: datetime | None = None
    """When its first attempt was issued."""
    ended_at: datetime | None = None
    changed_at: datetime | None = None
    """When the history moved the task to `state` (for progress lines of later attempts)."""
    what: str = ""
    """What it runs, in a few words: 'lambda string-upcase', 'timer 30s', 'signal Approved'."""
    iteration: int = 0
    """The iteration its latest attempt belongs to, from 1; 0 before it starts."""
    max_iterations: int | None = None
    """For a repeating task (`repeat_until`), the most iterations it may run; else None."""
    wait: float | None = None
    """While in retry_wait or repeat_wait: the seconds it waits before the next attempt
    (from `changed_at`; an SWF timer waits the whole seconds above it)."""
    waits: Mapping[int, float] = field(default_factory=dict)
    """The seconds waited (on a retry or repeat timer) before each attempt, by attempt."""
    items: int | None = None
    """For a mapped task (`for_each`) whose list is known: how many items it has."""
    items_done: int = 0
    """For a mapped task: the items completed so far."""
    items_running: int = 0
    """For a mapped task: the items started and not yet completed (retry waits included)."""

    @property
    def repeats(self) -> bool:
        """Whether to show the iteration: the task loops, or its history says it did."""
        return self.max_iterations is not None or self.iteration > 1


@dataclass(frozen=True)
class ExecutionState:
    """An execution as its history tells it."""

    status: ExecutionStatus
    result: Any = None
    """The decoded result of a completed execution."""
    reason: str | None = None
    """Why it closed other than COMPLETED: the close event's reason, else its timeoutType
    or cause (a timed-out or canceled execution gives no reason)."""
    details: str | None = None
    input: Any = None
    workflow_type: dict[str, str] | None = None
    """{'name': ..., 'version': ...} from the start event."""
    tags: list[str] = field(default_factory=list)
    started_at: datetime | None = None
    closed_at: datetime | None = None
    tasks: dict[str, TaskState] = field(default_factory=dict)
    """Every task, the start task first: with the definition in workflow order (tasks not
    started yet included); without it, the tasks the history shows, as they first appear."""


def execution_state(
    workflow: Workflow | None,
    events: Sequence[HistoryEventTypeDef],
    *,
    execution: WorkflowExecutionTypeDef | None = None,
    payload_limit: int | None = MAX_DATA,
) -> ExecutionState:
    """The state of the execution whose history is `events`; `workflow` None when the
    definition is not at hand (never raises then: an odd history gives what it can).
    `payload_limit` as for `decide`: None when the deciders have a payload store."""
    history = replay(workflow, events, execution, payload_limit=payload_limit)
    if workflow is not None and history.close_status is None and history.problem is None:
        history.settle(history.last_event)
    status: ExecutionStatus = history.close_status or "OPEN"  # type: ignore[assignment]
    attrs = _close_attributes(history)
    blamed = _blamed_task(history, attrs.get("details"))
    tasks = {rec.name: _task_state(rec, history, blamed) for rec in history.records}
    start = attributes(history.started) if history.started is not None else {}
    reason = attrs.get("reason") or attrs.get("timeoutType") or attrs.get("cause")
    return ExecutionState(
        status=status,
        result=decode(attrs.get("result")) if status == "COMPLETED" else None,
        reason=reason if isinstance(reason, str) else None,
        details=attrs.get("details"),
        input=decode(history.input),
        workflow_type=_workflow_type(start.get("workflowType")),
        tags=[str(tag) for tag in start.get("tagList") or ()],
        started_at=history.started_at,
        closed_at=history.closed_at,
        tasks=tasks,
    )


def _workflow_type(value: object) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    return {"name": str(value.get("name", "?")), "version": str(value.get("version", "?"))}


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


def _task_state(
    rec: TaskRecord, history: History, blamed: tuple[str, TaskError] | None
) -> TaskState:
    state: TaskStatus = rec.phase
    last_error = rec.last_error
    ended_at, changed_at = rec.ended_at, rec.changed_at
    if blamed is not None and blamed[0] == rec.name and state not in ("completed", "failed"):
        state, last_error = "failed", blamed[1]
        changed_at = history.closed_at
    elif history.close_status is not None and state in _OPEN:
        state, changed_at = "canceled", history.closed_at
    return TaskState(
        name=rec.name,
        kind=rec.task.kind,
        state=state,
        attempts=rec.attempt,
        output=decode(rec.output) if state == "completed" else None,
        last_error=last_error,
        started_at=rec.started_at,
        ended_at=ended_at,
        changed_at=changed_at,
        what=describe(rec.task),
        iteration=rec.iteration,
        max_iterations=None if rec.task.loop is None else rec.task.loop.max_iterations,
        wait=rec.retry_delay if state in ("retry_wait", "repeat_wait") else None,
        waits=dict(rec.waits),
        **_progress(rec),
    )


def _progress(rec: TaskRecord) -> dict[str, Any]:
    state = rec.map
    if state is None:
        return {}
    return {
        "items": len(state.items),
        "items_done": items_done(state),
        "items_running": items_running(state),
    }
