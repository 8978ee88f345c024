"""Each task's state, attempts and timing, and the text Gantt chart drawn from them.

With the workflow definition the decider's `execution_state` gives every task, waiting ones
included. Without it, `rows_from_history` reads the same facts from the ids and `control`
values pyflow puts on every scheduling decision, so `describe` works on any pyflow execution
even when the definition is not at hand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .._decider._events import attributes
from .._decider._ids import Ref, parse_control, parse_id
from .._workflow._definition import Workflow
from . import _render as r
from ._graph import describe_task

DONE_STATES = ("completed", "failed", "canceled")


@dataclass
class TaskRow:
    name: str
    kind: str
    what: str
    state: str = "waiting"
    attempts: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None
    error: str | None = None
    changed_at: datetime | None = None
    """When the history last moved the task to its current state (for watch lines)."""

    @property
    def seconds(self) -> float | None:
        return r.between(self.started_at, self.ended_at)

    @property
    def finished(self) -> bool:
        return self.state in DONE_STATES

    @property
    def label(self) -> str:
        """The state as users read it ('retrying (attempt 2)' rather than 'retry_wait')."""
        return r.state_label(self.state, self.attempts)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "what": self.what,
            "state": self.state,
            "attempts": self.attempts,
            "startedAt": r.iso(self.started_at),
            "endedAt": r.iso(self.ended_at),
            "seconds": self.seconds,
            "error": self.error,
        }


def rows_from_states(workflow: Workflow, tasks: Mapping[str, Any]) -> list[TaskRow]:
    """Rows from the decider's TaskState objects, in workflow order (the start task left out)."""
    rows = []
    for task in workflow.tasks:
        if task.kind == "start":
            continue
        state = tasks.get(task.name)
        row = TaskRow(task.name, task.kind, describe_task(task))
        if state is not None:
            row.state = state.state
            row.attempts = state.attempts
            row.started_at = state.started_at
            row.ended_at = state.ended_at
            error = state.last_error
            row.error = _error_text(error) if error else None
        rows.append(row)
    return rows


def _error_text(error: Any) -> str:
    if isinstance(error, Mapping):
        return str(error.get("reason") or error.get("details") or "")
    if isinstance(error, tuple):
        return str(error[0] or "")
    return str(getattr(error, "reason", error))


# -- without the definition: reading pyflow's ids back out of the history ------------------

_KIND_OF_SCHEDULE = {
    "ActivityTaskScheduled": "activity",
    "LambdaFunctionScheduled": "lambda",
    "StartChildWorkflowExecutionInitiated": "workflow",
}
_FOLLOW_UP = {
    "ActivityTaskStarted": ("scheduledEventId", "running"),
    "ActivityTaskCompleted": ("scheduledEventId", "completed"),
    "ActivityTaskFailed": ("scheduledEventId", "failed"),
    "ActivityTaskTimedOut": ("scheduledEventId", "failed"),
    "ActivityTaskCanceled": ("scheduledEventId", "canceled"),
    "LambdaFunctionStarted": ("scheduledEventId", "running"),
    "LambdaFunctionCompleted": ("scheduledEventId", "completed"),
    "LambdaFunctionFailed": ("scheduledEventId", "failed"),
    "LambdaFunctionTimedOut": ("scheduledEventId", "failed"),
    "StartLambdaFunctionFailed": ("scheduledEventId", "failed"),
    "ChildWorkflowExecutionStarted": ("initiatedEventId", "running"),
    "ChildWorkflowExecutionCompleted": ("initiatedEventId", "completed"),
    "ChildWorkflowExecutionFailed": ("initiatedEventId", "failed"),
    "ChildWorkflowExecutionTimedOut": ("initiatedEventId", "failed"),
    "ChildWorkflowExecutionTerminated": ("initiatedEventId", "failed"),
    "ChildWorkflowExecutionCanceled": ("initiatedEventId", "canceled"),
    "StartChildWorkflowExecutionFailed": ("initiatedEventId", "failed"),
    "TimerFired": ("startedEventId", "completed"),
    "TimerCanceled": ("startedEventId", "canceled"),
}
_SCHEDULE_FAILED = {
    "ScheduleActivityTaskFailed": ("activityId", "activity"),
    "ScheduleLambdaFunctionFailed": ("id", "lambda"),
    "StartTimerFailed": ("timerId", "timer"),
}


@dataclass
class _Reader:
    rows: dict[str, TaskRow] = field(default_factory=dict)
    by_event: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (task, role)

    def row(self, name: str, kind: str, what: str) -> TaskRow:
        if name not in self.rows:
            self.rows[name] = TaskRow(name, kind, what)
        return self.rows[name]

    def schedule(self, event: Mapping[str, Any], kind: str) -> None:
        attrs = attributes(event)
        # Child workflow ids carry the parent's id and run: pyflow's `control` names the task.
        ref = parse_control(attrs.get("control")) or parse_id(
            attrs.get("activityId") or attrs.get("id")
        )
        if ref is None or ref.role != "task":
            return
        what = _what(kind, attrs)
        row = self.row(ref.task, kind, what)
        row.attempts = max(row.attempts, ref.attempt)
        row.state, row.ended_at = "scheduled", None
        row.started_at = row.started_at or event["eventTimestamp"]
        row.changed_at = event["eventTimestamp"]
        self.by_event[event["eventId"]] = (ref.task, "task")

    def timer(self, event: Mapping[str, Any]) -> None:
        attrs = attributes(event)
        ref: Ref | None = parse_control(attrs.get("control")) or parse_id(attrs.get("timerId"))
        if ref is None or ref.role == "wake":
            return
        self.by_event[event["eventId"]] = (ref.task, ref.role)
        if ref.role == "retry":
            if ref.task in self.rows:  # the failed attempt is not the task's end
                self.rows[ref.task].state, self.rows[ref.task].ended_at = "retry_wait", None
            return
        row = self.row(ref.task, "timer", f"timer {attrs.get('startToFireTimeout', '?')}s")
        row.attempts = max(row.attempts, ref.attempt)
        row.state, row.ended_at = "running", None
        row.started_at = row.started_at or event["eventTimestamp"]
        row.changed_at = event["eventTimestamp"]

    def follow(self, event: Mapping[str, Any], key: str, state: str) -> None:
        attrs = attributes(event)
        task, role = self.by_event.get(attrs.get(key, -1), ("", ""))
        row = self.rows.get(task)
        if row is None or role != "task":
            return
        row.state = state
        row.changed_at = event["eventTimestamp"]
        if state in DONE_STATES:
            row.ended_at = event["eventTimestamp"]
        if state in ("failed", "canceled"):
            row.error = _reason(attrs)

    def schedule_failed(self, event: Mapping[str, Any], key: str, kind: str) -> None:
        attrs = attributes(event)
        ref = parse_id(attrs.get(key))
        if ref is None or ref.role != "task":
            return
        row = self.row(ref.task, kind, kind)
        row.attempts = max(row.attempts, ref.attempt)
        row.state, row.error = "failed", str(attrs.get("cause", "failed to schedule"))
        row.started_at = row.started_at or event["eventTimestamp"]
        row.ended_at = row.changed_at = event["eventTimestamp"]

    def signal(self, event: Mapping[str, Any]) -> None:
        name = str(attributes(event).get("signalName", "?"))
        row = self.row(name, "signal", f"signal {name}")
        row.attempts, row.state = 1, "completed"
        row.started_at = row.ended_at = row.changed_at = event["eventTimestamp"]


def _reason(attrs: Mapping[str, Any]) -> str:
    value = attrs.get("reason") or attrs.get("timeoutType") or attrs.get("cause") or ""
    return str(value)


def _what(kind: str, attrs: Mapping[str, Any]) -> str:
    if kind == "activity":
        t = attrs.get("activityType", {})
        return f"activity {t.get('name', '?')} {t.get('version', '?')}"
    if kind == "lambda":
        return f"lambda {attrs.get('name', '?')}"
    t = attrs.get("workflowType", {})
    return f"workflow {t.get('name', '?')} {t.get('version', '?')}"


def rows_from_history(events: Iterable[Mapping[str, Any]]) -> list[TaskRow]:
    """Task rows rebuilt from pyflow's ids and controls, in the order tasks first appear."""
    reader = _Reader()
    handlers: dict[str, Callable[[Mapping[str, Any]], None]] = {
        "TimerStarted": reader.timer,
        "WorkflowExecutionSignaled": reader.signal,
    }
    for event in events:
        kind = event["eventType"]
        if kind in _KIND_OF_SCHEDULE:
            reader.schedule(event, _KIND_OF_SCHEDULE[kind])
        elif kind in _FOLLOW_UP:
            reader.follow(event, *_FOLLOW_UP[kind])
        elif kind in _SCHEDULE_FAILED:
            reader.schedule_failed(event, *_SCHEDULE_FAILED[kind])
        elif kind in handlers:
            handlers[kind](event)
        elif kind in CLOSE_EVENT_TYPES:
            _close_open_rows(reader.rows.values(), event["eventTimestamp"])
    return list(reader.rows.values())


CLOSE_EVENT_TYPES = frozenset(
    {
        "WorkflowExecutionCompleted",
        "WorkflowExecutionFailed",
        "WorkflowExecutionCanceled",
        "WorkflowExecutionTimedOut",
        "WorkflowExecutionTerminated",
        "WorkflowExecutionContinuedAsNew",
    }
)
_OPEN_STATES = ("scheduled", "running", "retry_wait")


def _close_open_rows(rows: Iterable[TaskRow], closed_at: datetime) -> None:
    """Once the execution closed, work still open will never finish: the decider's
    `execution_state` calls it canceled, and so does every view here."""
    for row in rows:
        if row.state in _OPEN_STATES:
            row.state, row.changed_at = "canceled", closed_at


def add_change_times(rows: Sequence[TaskRow], events: Iterable[Mapping[str, Any]]) -> None:
    """Give rows built from the decider's states the moment of their last change, read from
    the history as `rows_from_history` does (a task's start time is its first attempt's)."""
    changed = {row.name: row for row in rows_from_history(events)}
    for row in rows:
        found = changed.get(row.name)
        if found is not None:
            row.changed_at = found.changed_at


# -- the Gantt chart -------------------------------------------------------------------------


def gantt(
    rows: Sequence[TaskRow],
    start: datetime | None,
    end: datetime | None,
    *,
    width: int = 48,
    bar: str = "#",
) -> list[str]:
    """A text Gantt chart: one line per task, bars on a shared time axis from `start` to `end`.

    Tasks still running extend to `end` (now, for an open execution); waiting tasks get an
    empty lane so the chart shows what has not happened yet.
    """
    if start is None:
        return []
    end = end or datetime.now(UTC)
    total = max(r.between(start, end) or 0.0, 0.001)
    label_width = max((len(row.name) for row in rows), default=4)
    span = r.duration(total)
    lines = [" " * (label_width + 3) + "0s" + " " * max(1, width - 2 - len(span)) + span]
    for row in rows:
        lane = [" "] * width
        if row.started_at is not None:
            first = _column(row.started_at, start, total, width)
            last = _column(row.ended_at or end, start, total, width)
            for col in range(first, max(first, last) + 1):
                lane[min(col, width - 1)] = bar
        state = r.styled(row.label, row.state)
        lines.append(f"{row.name:{label_width}}  |{''.join(lane)}|  {state}")
    return lines


def _column(moment: datetime, start: datetime, total: float, width: int) -> int:
    offset = r.between(start, moment) or 0.0
    return max(0, min(width - 1, int(offset / total * width)))


_GANTT_TAGS = {
    "completed": "done, ",
    "running": "active, ",
    "scheduled": "active, ",
    "retry_wait": "active, ",
    "failed": "crit, ",
    "canceled": "crit, ",
}


def _gantt_text(text: str) -> str:
    # ':' ends a task's name in Mermaid's Gantt syntax and '#' / ';' start comments or entities.
    return text.replace(":", " ").replace(";", " ").replace("#", " ")


def mermaid_gantt(
    title: str, rows: Sequence[TaskRow], start: datetime | None, end: datetime | None
) -> str:
    """The timeline as a Mermaid Gantt chart (renders on GitHub), times in epoch milliseconds.

    Tasks still running end at `end` (now, for an open execution); waiting tasks are left out
    because they have no time yet.
    """
    end = end or datetime.now(UTC)
    lines = [
        "gantt",
        f"    title {_gantt_text(title)}",
        "    dateFormat x",
        "    axisFormat %H:%M:%S",
        "    section Tasks",
    ]
    for i, row in enumerate(rows):
        if row.started_at is None:
            continue
        first = int(r.utc(row.started_at).timestamp() * 1000)
        last = max(first + 1, int(r.utc(row.ended_at or end).timestamp() * 1000))
        tag = _GANTT_TAGS.get(row.state, "")
        name = _gantt_text(f"{row.name} ({row.label})")
        lines.append(f"    {name} :{tag}t{i}, {first}, {last}")
    return "\n".join(lines) + "\n"
