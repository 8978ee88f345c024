"""The state a history pass keeps, and the task transitions every event handler shares.

Every change of a task's phase goes through `move`, so `changed_at` always says when the
history last moved the task to its current state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .._workflow._tasks import SignalTask
from ._discovery import found_task
from ._graph import Graph
from ._ids import Ref
from ._records import MAX_THROTTLES, Phase, TaskError, TaskRecord

Event = Mapping[str, Any]
_THROTTLE_SUFFIXES = ("_RATE_EXCEEDED", "_LIMIT_EXCEEDED")


class Pass:
    """What the history says so far about an execution and each of its tasks."""

    def __init__(
        self,
        graph: Graph,
        parent_id: str | None,
        run_id: str | None = None,
        *,
        discover: bool = False,
    ) -> None:
        self.graph = graph
        self.discover = discover
        """No definition: tasks are created as the history names them, and a failed
        attempt does not end a task for good (the retry policy is unknown)."""
        self.records = [TaskRecord(task=t, index=i) for i, t in enumerate(graph.tasks)]
        for rec in self.records:
            if isinstance(rec.task, SignalTask):
                rec.deps_left = len(graph.deps[rec.index])
        self.parent_id = parent_id
        self.run_id = run_id
        """The execution's runId, when the decider is told it: part of child workflow ids."""
        self.started: Event | None = None
        self.input: str | None = None
        self.lambda_role: str | None = None
        self.started_at: datetime | None = None
        self.close_status: str | None = None
        self.close_event: Event | None = None
        self.closed_at: datetime | None = None
        self.cancel_requested = False
        self.problem: str | None = None
        self.failed: TaskRecord | None = None
        """The first task that failed for good."""
        # Correlation tables, keyed as SWF links events.
        self.scheduled: dict[int, tuple[TaskRecord, int]] = {}
        self.initiated: dict[int, tuple[TaskRecord, int]] = {}
        # Open work, for SWF's open-count limits and for cancelling on close.
        self.open_activities: dict[int, str] = {}  # scheduledEventId -> activityId
        self.cancel_requested_activities: set[str] = set()
        self.open_lambdas: set[int] = set()
        self.open_timers: dict[str, Ref] = {}
        self.open_children: dict[int, list[str | None]] = {}  # initiatedEventId -> [id, runId]
        self.cancel_requested_children: set[str] = set()
        self.wake_timers = 0
        # The first signal of each name (its input), and the signal tasks still waiting for
        # one, by signal name.
        self.signals: dict[str, str | None] = {}
        self.signal_waiters: dict[str, list[TaskRecord]] = {}

    def _problem(self, event: Event, message: str) -> None:
        if self.problem is None:
            self.problem = (
                f"history event {event.get('eventId')} ({event.get('eventType')}): {message}"
            )

    def _record(
        self,
        ref: Ref | None,
        kind: str | None,
        event: Event,
        what: str,
        attrs: Mapping[str, Any] | None = None,
    ) -> TaskRecord | None:
        """The task a reference names, checked to be of the kind the event is about (any
        kind for retry timers); without the definition, a task first named here is created
        from the event's `attrs`."""
        if ref is None or ref.role == "wake":
            self._problem(event, f"{what} was not made by pyflow")
            return None
        index = self.graph.index.get(ref.task)
        if index is None and self.discover and kind is not None:
            return self.found(kind, ref.task, attrs or {})
        rec = None if index is None else self.records[index]
        if rec is None or (kind is not None and rec.task.kind != kind):
            workflow = self.graph.workflow
            of = f"workflow {workflow.name!r} version {workflow.version!r}" if workflow else "it"
            self._problem(
                event, f"{what} names {kind or 'a'} task {ref.task!r}, which {of} does not have"
            )
            return None
        return rec

    def found(self, kind: str, name: str, attrs: Mapping[str, Any]) -> TaskRecord | None:
        """A record for a task the history names but no definition told of."""
        task = found_task(kind, name, attrs)
        if task is None:
            return None
        rec = TaskRecord(task=task, index=self.graph.grow(task))
        self.records.append(rec)
        return rec

    def move(self, rec: TaskRecord, phase: Phase, event: Event | None) -> None:
        rec.phase = phase
        rec.changed_at = None if event is None else event.get("eventTimestamp")

    def _issue(self, rec: TaskRecord, attempt: int, event: Event, phase: str) -> bool:
        """Record that `attempt` of `rec` was issued; False if it is a stale or repeated one."""
        ended = ("completed",) if self.discover else ("completed", "failed")
        if attempt <= rec.attempt or rec.phase in ended:
            return False
        rec.attempt = attempt
        self.move(rec, "scheduled" if phase == "scheduled" else "running", event)
        rec.retry_timer = "none"
        rec.ended_at = None
        if rec.started_at is None:
            rec.started_at = event.get("eventTimestamp")
        return True

    def _current(self, entry: tuple[TaskRecord, int] | None) -> TaskRecord | None:
        if entry is None:
            return None
        rec, attempt = entry
        if attempt != rec.attempt or rec.phase not in ("scheduled", "running"):
            return None
        return rec

    def _linked(
        self,
        table: dict[int, tuple[TaskRecord, int]],
        key: object,
        event: Event,
        *,
        remove: bool = True,
    ) -> TaskRecord | None:
        """The current attempt an event links to by scheduledEventId or initiatedEventId."""
        entry = table.get(event_id(key))
        if entry is None:
            self._problem(event, f"refers to event {key!r}, which no pyflow decision produced")
            return None
        if remove:
            del table[event_id(key)]
        return self._current(entry)

    def complete(self, rec: TaskRecord, output: str | None, event: Event | None) -> None:
        """Mark `rec` completed, and with it every signal task this makes ready whose
        signal has already arrived."""
        when = None if event is None else event.get("eventTimestamp")
        work = [(rec, output)]
        while work:
            done, value = work.pop()
            self.move(done, "completed", event)
            done.output = value
            done.ended_at = when
            for i in self.graph.signal_dependents[done.index]:
                waiter = self.records[i]
                waiter.deps_left -= 1
                if waiter.deps_left == 0:
                    arrived = self._signal_ready(waiter, event)
                    if arrived is not None:
                        work.append((waiter, arrived[0]))

    def _signal_ready(self, rec: TaskRecord, event: Event | None) -> tuple[str | None] | None:
        """Start waiting for the signal; if it has already arrived, the input of the first
        signal of its name (in a 1-tuple: the input itself may be None)."""
        assert isinstance(rec.task, SignalTask)
        self.move(rec, "running", event)
        rec.attempt = 1  # waiting for its signal is the task's one and only attempt
        rec.started_at = rec.changed_at
        name = rec.task.signal_name
        if name in self.signals:
            return (self.signals[name],)
        self.signal_waiters.setdefault(name, []).append(rec)
        return None

    def fail_attempt(
        self,
        rec: TaskRecord,
        error: TaskError,
        event: Event,
        *,
        cause: str | None = None,
        permanent: bool = False,
    ) -> None:
        rec.last_error = error
        if cause is not None and cause.endswith(_THROTTLE_SUFFIXES):
            rec.throttles += 1
            if rec.throttles <= MAX_THROTTLES:
                self.move(rec, "retry_wait", event)
                rec.retry_timer = "none"
                rec.retry_delay = max(rec.task.retry_delay, min(2**rec.throttles, 300))
                return
        rec.failures += 1
        if permanent or rec.failures > rec.task.num_retries:
            self.move(rec, "failed", event)
            rec.permanent = permanent
            rec.ended_at = event.get("eventTimestamp")
            if self.failed is None:
                self.failed = rec
            return
        self.move(rec, "retry_wait", event)
        rec.retry_timer = "none"
        rec.retry_delay = rec.task.retry_delay

    def cancel(self, rec: TaskRecord, event: Event) -> None:
        """Work pyflow itself canceled, while closing the execution."""
        self.move(rec, "canceled", event)
        rec.ended_at = event.get("eventTimestamp")


def event_id(value: object) -> int:
    """An event id from an attribute; -1 (no event) for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
