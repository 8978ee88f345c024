"""One pass over an execution's history: dispatch by event type, and the workflow-level events.

Events are correlated by dictionary lookups on the ids SWF links them with
(scheduledEventId, initiatedEventId, timerId), so the pass is linear in the number of
events. Anything the definition cannot account for (an id no task produces, an event type
SWF does not document) is recorded as `problem`, which the decider turns into a clear
workflow failure instead of an exception.

A signal is a fact about the execution, not a message one task consumes: every signal task
whose dependencies have completed completes as soon as a `WorkflowExecutionSignaled` event
with its signal name is in the history, whether it arrived before or after the dependencies
completed, and its output is the input of the FIRST signal of that name. So several signal
tasks can wait for the same signal, one signal releases them all, an early signal is never
lost, and later signals of the same name change nothing.

Without the definition (`discover=True`), tasks are created as the ids and `control` of the
scheduling events name them, and each signal received shows as a completed signal task named
after the signal. Per-kind handlers live in `_lambda_events`, `_activity_events`,
`_timer_events` and `_child_events`; what they share, in `_pass`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ._activity_events import ActivityEvents
from ._carry import carried_state, due_at, restore
from ._child_events import ChildEvents
from ._errors import json_object
from ._events import CLOSE_STATUS, attributes_key
from ._ids import FAILED_MARKER, fallback_parent_id
from ._lambda_events import LambdaEvents
from ._pass import Event
from ._records import Phase, TaskError, TaskRecord
from ._timer_events import TimerEvents

_CLOSE_STATUS = CLOSE_STATUS
# Events that need nothing from the decider: decision task bookkeeping, markers, and the
# results of cancel requests (the activity or child reports its own end later).
_IGNORED = frozenset(
    {
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "DecisionTaskTimedOut",
        "RecordMarkerFailed",
        "RequestCancelActivityTaskFailed",
        "CancelTimerFailed",
        "RequestCancelExternalWorkflowExecutionFailed",
        "ExternalWorkflowExecutionCancelRequested",
        "SignalExternalWorkflowExecutionInitiated",
        "SignalExternalWorkflowExecutionFailed",
        "ExternalWorkflowExecutionSignaled",
        # A rejected close decision: deciding again from the newer history is the answer.
        "CompleteWorkflowExecutionFailed",
        "FailWorkflowExecutionFailed",
        "CancelWorkflowExecutionFailed",
    }
)


class History(LambdaEvents, ActivityEvents, TimerEvents, ChildEvents):
    """What the history says about an execution and each of its tasks.

    A fold: `replay` may be called again with the events that follow the ones it has seen,
    and the state is the same as one call over all of them (the loop keeps it between
    decisions; see `_decide.resume`)."""

    moves = 0
    """Changes of phase so far; planning that changes none left the state as the pass
    built it, so that state can be continued."""

    def move(self, rec: TaskRecord, phase: Phase, event: Event | None) -> None:
        self.moves += 1
        super().move(rec, phase, event)

    def replay(self, events: Sequence[Event]) -> History:
        handlers = _HANDLERS
        for event in events:
            if self.close_status is not None:
                break
            if not isinstance(event, Mapping):
                self.problem = self.problem or f"a history event is not a mapping: {event!r:.80}"
                continue
            self.last_event = event
            event_type = event.get("eventType")
            entry = handlers.get(event_type) if isinstance(event_type, str) else None
            if entry is None:
                if event_type not in _IGNORED:
                    self._problem(event, f"unknown event type {event_type!r}")
                continue
            handler, key = entry
            attrs = event.get(key)
            try:
                handler(self, attrs if isinstance(attrs, Mapping) else {}, event)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self._problem(event, f"malformed event ({type(exc).__name__}: {exc})")
        if self.started is None and events and self.close_status is None:
            self.problem = self.problem or "the history has no WorkflowExecutionStarted event"
        return self

    def on_workflow_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        if self.started is not None:
            self._problem(event, "a second WorkflowExecutionStarted event")
            return
        self.started = event
        if self.parent_id is None:
            self.parent_id = fallback_parent_id(event)
        given = attrs.get("input")
        if given is not None and not isinstance(given, str):
            raise TypeError(f"the input is {type(given).__name__}, not a string")
        self.input = given
        role = attrs.get("lambdaRole")
        self.lambda_role = role if isinstance(role, str) and role else None
        self.started_at = event.get("eventTimestamp")
        self.deadline = due_at(event, attrs.get("executionStartToCloseTimeout"))
        carried = carried_state(given)
        if carried is not None:
            restore(self, carried)
            return
        start = self.records[0]
        start.attempt = start.iteration = 1
        start.started_at = self.started_at
        given_start = self.start_output if self.start_output is not None else self.input
        self.complete(start, given_start, event)
        # Tasks with no dependency at all, not even the start task, start with it too.
        deps = self.graph.deps
        for rec in self.records[1:]:
            if not deps[rec.index]:
                self.check(rec, event)

    def on_signaled(self, attrs: Mapping[str, Any], event: Event) -> None:
        name = attrs.get("signalName")
        if not isinstance(name, str):
            self._problem(event, "a signal without a signalName")
            return
        if name in self.signals:
            return  # only the first signal of a name counts
        value = attrs.get("input")
        self.signals[name] = value
        for waiter in self.signal_waiters.pop(name, ()):
            if waiter.phase == "running":  # not one that failed or waits to retry
                self.complete(waiter, value, event)
        if self.discover and name not in self.graph.index:
            found = self.found("signal", name, attrs)
            if found is not None:
                found.attempt = found.iteration = 1
                found.started_at = event.get("eventTimestamp")
                self.complete(found, value, event)

    def on_marker(self, attrs: Mapping[str, Any], event: Event) -> None:
        """pyflow's record that a task failed while the decider built its input: replaying
        it here puts the failure, and what it sets off, where the decider made it."""
        if attrs.get("markerName") != FAILED_MARKER:
            return  # someone else's marker
        data = json_object(attrs.get("details"))
        name = data.get("task") if data is not None else None
        index = self.graph.index.get(name) if isinstance(name, str) else None
        if data is None or index is None:
            if not self.discover:
                self._problem(event, "a pyflow failure marker that names no task of it")
            return
        rec = self.records[index]
        if rec.phase in ("waiting", "retry_wait", "repeat_wait") or (
            rec.map is not None and rec.phase == "running"
        ):
            details = data.get("details")
            text = details if isinstance(details, str) else None
            error = TaskError(str(data.get("reason")), text)
            self.fail_now(rec, error, event)

    def on_continue_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        """A refused continue-as-new: deciding again is the answer when a newer event came
        in meanwhile (UNHANDLED_DECISION); any other cause would be refused again, so the
        execution fails saying why rather than retrying until SWF's cap ends it."""
        cause = attrs.get("cause")
        if cause != "UNHANDLED_DECISION":
            self._problem(
                event,
                f"SWF refused to continue the execution as a new run ({cause}); the workflow "
                "type version must stay registered and not deprecated while executions run",
            )

    def on_cancel_requested(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested = True

    def on_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.close_status = _CLOSE_STATUS[event["eventType"]]
        self.close_event = event
        self.closed_at = event.get("eventTimestamp")


_Handler = Callable[[History, Mapping[str, Any], Event], None]
_BY_TYPE: dict[str, _Handler] = {
    "WorkflowExecutionStarted": History.on_workflow_started,
    "WorkflowExecutionSignaled": History.on_signaled,
    "WorkflowExecutionCancelRequested": History.on_cancel_requested,
    "ContinueAsNewWorkflowExecutionFailed": History.on_continue_failed,
    "MarkerRecorded": History.on_marker,
    **{name: History.on_closed for name in _CLOSE_STATUS},
    "LambdaFunctionScheduled": History.on_lambda_scheduled,
    "ScheduleLambdaFunctionFailed": History.on_schedule_lambda_failed,
    "LambdaFunctionStarted": History.on_lambda_started,
    "LambdaFunctionCompleted": History.on_lambda_closed,
    "LambdaFunctionFailed": History.on_lambda_closed,
    "LambdaFunctionTimedOut": History.on_lambda_closed,
    "StartLambdaFunctionFailed": History.on_lambda_closed,
    "ActivityTaskScheduled": History.on_activity_scheduled,
    "ScheduleActivityTaskFailed": History.on_schedule_activity_failed,
    "ActivityTaskStarted": History.on_activity_started,
    "ActivityTaskCancelRequested": History.on_activity_cancel_requested,
    "ActivityTaskCompleted": History.on_activity_closed,
    "ActivityTaskFailed": History.on_activity_closed,
    "ActivityTaskTimedOut": History.on_activity_closed,
    "ActivityTaskCanceled": History.on_activity_closed,
    "TimerStarted": History.on_timer_started,
    "StartTimerFailed": History.on_start_timer_failed,
    "TimerFired": History.on_timer_ended,
    "TimerCanceled": History.on_timer_ended,
    "StartChildWorkflowExecutionInitiated": History.on_child_initiated,
    "StartChildWorkflowExecutionFailed": History.on_start_child_failed,
    "ChildWorkflowExecutionStarted": History.on_child_started,
    "ChildWorkflowExecutionCompleted": History.on_child_closed,
    "ChildWorkflowExecutionFailed": History.on_child_closed,
    "ChildWorkflowExecutionTimedOut": History.on_child_closed,
    "ChildWorkflowExecutionCanceled": History.on_child_closed,
    "ChildWorkflowExecutionTerminated": History.on_child_closed,
    "RequestCancelExternalWorkflowExecutionInitiated": History.on_cancel_child_initiated,
}
_HANDLERS: dict[str, tuple[_Handler, str]] = {
    name: (handler, attributes_key(name)) for name, handler in _BY_TYPE.items()
}
