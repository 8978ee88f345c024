"""What the execution page shows, as plain data built from one history and the definition.

The task states come from the decider's `execution_state`, the one reader of history every
view shares; this adds what only a page needs: each task's latest input, the links to child
and parent executions, the signal names the execution waits for, and the DAG's layout.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._decider import ExecutionState, TaskState, execution_state
from .._decider._events import attributes
from .._decider._ids import parse_control
from .._exceptions import PayloadStoreError
from .._payloads import PayloadStore
from .._payloads._reference import reference_in
from .._workflow._definition import Workflow
from .._workflow._payload import decode
from .._workflow._tasks import SignalTask
from ..cli._render import duration, state_label
from ._dag import Layout, layers_from_dependencies, layout

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef

PREVIEW = 160
"""Characters of a payload shown before 'show all'."""
SCHEDULING_EVENTS = (
    "LambdaFunctionScheduled",
    "ActivityTaskScheduled",
    "StartChildWorkflowExecutionInitiated",
)


@dataclass(frozen=True)
class Run:
    """An execution another one links to."""

    workflow_id: str
    run_id: str | None
    via: str = ""
    """The task that started it (for a child), else empty."""


@dataclass(frozen=True)
class TaskView:
    name: str
    kind: str
    what: str
    state: str
    """The state a person reads: a signal task waiting is 'waiting for signal', a timer
    running is 'timer'; a state this page does not know keeps its own name."""
    label: str
    """The state in words, with the attempt or iteration to come ('retrying (attempt 2)',
    'running (iteration 2/5)')."""
    attempts: int
    retried: bool
    """More attempts than iterations: some attempt failed and was tried again."""
    duration: str
    input: Any
    output: Any
    error: str | None
    error_details: str | None
    child: Run | None
    started_at: datetime | None
    ended_at: datetime | None


@dataclass(frozen=True)
class ExecutionView:
    workflow_id: str
    run_id: str
    state: ExecutionState
    tasks: list[TaskView]
    dag: Layout
    parent: Run | None
    next_run: Run | None
    """The run this one continued as (a continue-as-new close), on the same workflow id."""
    signals: list[str]
    events: Sequence[HistoryEventTypeDef]
    now: datetime
    has_definition: bool

    @property
    def is_open(self) -> bool:
        return self.state.status == "OPEN"


def build(
    workflow_id: str,
    run_id: str,
    events: Sequence[HistoryEventTypeDef],
    definition: Workflow | None,
) -> ExecutionView:
    """The view of one run from its events (`definition` adds the tasks not started yet)."""
    execution = {"workflowId": workflow_id, "runId": run_id}
    state = execution_state(definition, events, execution=execution)  # type: ignore[arg-type]
    now = _now(events)
    inputs, children = _scheduled(events)
    tasks = [
        _task_view(task, inputs.get(name), children.get(name), now)
        for name, task in state.tasks.items()
    ]
    return ExecutionView(
        workflow_id=workflow_id,
        run_id=run_id,
        state=state,
        tasks=tasks,
        dag=_layout(tasks, definition),
        parent=_parent(events),
        next_run=_next_run(workflow_id, events),
        signals=_signals(definition, state.tasks.values()),
        events=events,
        now=now,
        has_definition=definition is not None,
    )


def _now(events: Sequence[HistoryEventTypeDef]) -> datetime:
    # A virtual-time engine's clock may run ahead of this one: never draw "now" before it.
    now = datetime.now(UTC)
    latest = events[-1].get("eventTimestamp") if events else None
    if isinstance(latest, datetime):
        latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
        now = max(now, latest)
    return now


def _display_state(task: TaskState) -> str:
    if task.kind == "signal" and task.state == "running":
        return "waiting for signal"
    if task.kind == "timer" and task.state in ("scheduled", "running"):
        return "timer"
    return {"retry_wait": "retrying", "repeat_wait": "repeating"}.get(task.state, task.state)


def _task_view(task: TaskState, given: Any, child: Run | None, now: datetime) -> TaskView:
    shown = _display_state(task)
    end = task.ended_at or (now if task.started_at else None)
    seconds = (end - task.started_at).total_seconds() if task.started_at and end else None
    items = None if task.items is None else (task.items_done, task.items)
    label = state_label(
        task.state, task.attempts, task.iteration, task.max_iterations, items=items
    )
    return TaskView(
        name=task.name,
        kind=task.kind,
        what=task.what,
        state=shown,
        label=shown if shown in ("waiting for signal", "timer") else label.replace("_", " "),
        attempts=task.attempts,
        retried=task.attempts > max(task.iteration, 1),
        duration=duration(seconds) if seconds is not None and task.kind != "start" else "",
        input=given,
        output=task.output,
        error=task.last_error.reason if task.last_error else None,
        error_details=task.last_error.details if task.last_error else None,
        child=child,
        started_at=task.started_at,
        ended_at=task.ended_at,
    )


def _scheduled(
    events: Sequence[HistoryEventTypeDef],
) -> tuple[dict[str, Any], dict[str, Run]]:
    """Each task's latest input, and the child execution each workflow task started."""
    inputs: dict[str, Any] = {}
    initiated: dict[int, str] = {}
    children: dict[str, Run] = {}
    for event in events:
        kind, attrs = event["eventType"], attributes(event)
        if kind in SCHEDULING_EVENTS:
            ref = parse_control(attrs.get("control"))
            if ref is None or ref.role != "task":
                continue
            inputs[ref.task] = decode(attrs.get("input"))
            if kind == "StartChildWorkflowExecutionInitiated":
                initiated[event["eventId"]] = ref.task
                children[ref.task] = Run(str(attrs.get("workflowId")), None, ref.task)
        elif kind == "ChildWorkflowExecutionStarted":
            task = initiated.get(attrs.get("initiatedEventId", -1))
            started = attrs.get("workflowExecution") or {}
            if task is not None:
                children[task] = Run(str(started.get("workflowId")), started.get("runId"), task)
    return inputs, children


def _parent(events: Sequence[HistoryEventTypeDef]) -> Run | None:
    for event in events[:1]:
        parent = attributes(event).get("parentWorkflowExecution")
        if isinstance(parent, Mapping) and parent.get("workflowId"):
            return Run(str(parent["workflowId"]), parent.get("runId"))
    return None


def _next_run(workflow_id: str, events: Sequence[HistoryEventTypeDef]) -> Run | None:
    last = events[-1] if events else None
    if last is None or last["eventType"] != "WorkflowExecutionContinuedAsNew":
        return None
    run_id = attributes(last).get("newExecutionRunId")
    return Run(workflow_id, str(run_id)) if run_id else None


def _signals(definition: Workflow | None, tasks: Iterable[TaskState]) -> list[str]:
    """The signal names the execution may wait for: the definition's, else the history's."""
    names: list[str] = []
    if definition is not None:
        names = [t.signal_name for t in definition.tasks if isinstance(t, SignalTask)]
    names += [t.what.removeprefix("signal ") for t in tasks if t.kind == "signal"]
    return list(dict.fromkeys(names))


def _layout(tasks: Sequence[TaskView], definition: Workflow | None) -> Layout:
    order = [t.name for t in tasks]
    if definition is not None:
        deps = {t.name: [d.name for d in t.dependencies] for t in definition.tasks}
        return layout(order, layers_from_dependencies(order, deps), deps)
    # Without dependencies, tasks scheduled at one moment (by one decision) share a layer.
    moments = sorted({t.started_at for t in tasks if t.started_at and t.kind != "start"})
    rank = {moment: i for i, moment in enumerate(moments)}
    layers = [
        0 if t.kind == "start" else 1 + rank.get(t.started_at, len(moments))  # type: ignore[arg-type]
        for t in tasks
    ]
    return layout(order, layers, {})


def payload_text(value: Any, store: PayloadStore | None = None) -> str:
    """A payload as the page shows it: JSON, indented when it spans lines; an offloaded one
    read from `store`, or, when it cannot be, a line saying where it is and why not (a page
    never fails for one payload)."""
    if value is None:
        return ""
    ref = reference_in(value)
    if ref is not None:
        where = f"offloaded payload, {ref.size:,} characters at {ref.key!r}"
        if store is None:
            return f"({where}: start the UI with --payload-bucket or --payload-dir to show it)"
        try:
            value = decode(store.fetch(ref))
        except PayloadStoreError as exc:
            return f"({where}: cannot read it: {exc})"
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def compact_text(value: Any) -> str:
    """A value as one line of JSON (event attributes in the history table)."""
    return json.dumps(value, ensure_ascii=False, default=str)
