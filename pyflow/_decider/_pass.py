"""The state a history pass keeps beyond the tasks' phases: correlation tables, open work
and what the execution itself has been told (start, cancel, close)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from .._workflow._names import swf_name_problem
from ._discovery import found_task
from ._flow import Event, Flow
from ._graph import Graph
from ._ids import Ref
from ._items import item_issued, item_record
from ._records import ENDED, TaskRecord

__all__ = ["Event", "Pass", "event_id", "text_id"]


class Pass(Flow):
    """What the history says so far about an execution and each of its tasks."""

    def __init__(
        self,
        graph: Graph,
        parent_id: str | None,
        run_id: str | None = None,
        *,
        discover: bool = False,
    ) -> None:
        super().__init__(graph, discover=discover)
        self.run_id = run_id
        """The execution's runId, when the decider is told it: part of child workflow ids."""
        self.parent_id = parent_id
        self.started: Event | None = None
        self.input: str | None = None
        self.start_output: str | None = None
        """What the start task outputs when not the input itself (a chunk run: the list
        of its items' inputs)."""
        self.lambda_role: str | None = None
        self.started_at: datetime | None = None
        self.close_status: str | None = None
        self.close_event: Event | None = None
        self.closed_at: datetime | None = None
        self.cancel_requested = False
        self.problem: str | None = None
        self.last_event: Event | None = None
        # Correlation tables, keyed as SWF links events.
        self.scheduled: dict[int, tuple[TaskRecord, int]] = {}
        self.initiated: dict[int, tuple[TaskRecord, int]] = {}
        # Open work, for SWF's open-count limits and for cancelling on close.
        self.open_activities: dict[int, str] = {}  # scheduledEventId -> activityId
        self.cancel_requested_activities: set[str] = set()
        self.open_lambdas: set[int] = set()
        self.notifiers: set[int] = set()
        """scheduledEventIds of signal tasks' notifier calls (Lambda or activity)."""
        self.open_timers: dict[str, Ref] = {}
        self.open_children: dict[int, list[str | None]] = {}  # initiatedEventId -> [id, runId]
        self.cancel_requested_children: set[str] = set()
        self.wake_timers = 0
        # Continue-as-new: which run of the execution this is, when the execution must end
        # (its first run's start plus its timeout), when each open timer fires, and the
        # timers an earlier run left open that this one has still to start again.
        self.runs = 1
        self.deadline: datetime | None = None
        self.timer_due: dict[str, datetime | None] = {}
        self.carried_timers: dict[str, tuple[Ref, int]] = {}

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
        if rec is None and not self.discover:
            rec = item_record(self, ref.task)
        elif rec is not None and rec.task.for_each is not None:
            rec = None  # ids name a mapped task's items, never the task itself
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

    def _issue(self, rec: TaskRecord, attempt: int, event: Event, phase: str) -> bool:
        """Record that `attempt` of `rec` was issued; False if it is a stale or repeated one.

        Without the definition, an attempt after a completed one is the next iteration of a
        loop, and one after a failure a retry; with it, an ended task takes no more."""
        if attempt <= rec.attempt or (not self.discover and rec.phase in ENDED):
            return False
        if rec.phase in ("waiting", "repeat_wait", "completed"):
            rec.iteration += 1
        rec.attempt = attempt
        self.move(rec, "scheduled" if phase == "scheduled" else "running", event)
        rec.retry_timer = "none"
        rec.ended_at = None
        if rec.started_at is None:
            rec.started_at = event.get("eventTimestamp")
        if rec.item is not None:
            item_issued(self, rec, event)
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

    def lookup(self, name: str) -> TaskRecord | None:
        """The record of a task, or of an item of a mapped task, an id's base names."""
        index = self.graph.index.get(name)
        return self.records[index] if index is not None else item_record(self, name)

    def cancel(self, rec: TaskRecord, event: Event) -> None:
        """Work pyflow itself canceled, while closing the execution."""
        self.move(rec, "canceled", event)
        rec.ended_at = event.get("eventTimestamp")


def text_id(attrs: Mapping[str, Any], key: str) -> str:
    """An id the decider may send back to SWF (to cancel the work it names): a malformed
    one makes its event malformed, so no decision ever carries it."""
    value = attrs.get(key)
    problem = swf_name_problem(value)
    if problem is not None:
        raise TypeError(f"{key} {value!r:.80} is not an SWF id ({problem})")
    assert isinstance(value, str)
    return value


def event_id(value: object) -> int:
    """An event id from an attribute; -1 (no event) for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1
