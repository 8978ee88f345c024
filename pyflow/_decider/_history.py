"""One pass over an execution's history, building the state of every task.

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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from .._workflow._tasks import SignalTask
from ._events import CLOSE_STATUS, attributes_key
from ._graph import Graph
from ._ids import Ref, fallback_parent_id, parse_child_id, parse_control, parse_id
from ._records import MAX_THROTTLES, TaskError, TaskRecord

Event = Mapping[str, Any]
_THROTTLE_SUFFIXES = ("_RATE_EXCEEDED", "_LIMIT_EXCEEDED")
_SAID_PREFIX = 64  # compare this much of an error message with a failure's reason
_MIN_MESSAGE = 12
_CLOSE_STATUS = CLOSE_STATUS
# Events that need nothing from the decider: decision task bookkeeping, markers, and the
# results of cancel requests (the activity or child reports its own end later).
_IGNORED = frozenset(
    {
        "DecisionTaskScheduled",
        "DecisionTaskStarted",
        "DecisionTaskCompleted",
        "DecisionTaskTimedOut",
        "MarkerRecorded",
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
        "ContinueAsNewWorkflowExecutionFailed",
    }
)


class History:
    """What the history says about an execution and each of its tasks."""

    def __init__(self, graph: Graph, parent_id: str | None, run_id: str | None = None) -> None:
        self.graph = graph
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

    # -- entry point --------------------------------------------------------------------

    def replay(self, events: Sequence[Event]) -> History:
        handlers = _HANDLERS
        for event in events:
            if self.close_status is not None:
                break
            if not isinstance(event, Mapping):
                self.problem = self.problem or f"a history event is not a mapping: {event!r:.80}"
                continue
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

    # -- helpers --------------------------------------------------------------------------

    def _problem(self, event: Event, message: str) -> None:
        if self.problem is None:
            self.problem = (
                f"history event {event.get('eventId')} ({event.get('eventType')}): {message}"
            )

    def _record(
        self, ref: Ref | None, kind: str | None, event: Event, what: str
    ) -> TaskRecord | None:
        """The task a reference names, checked to be of the kind the event is about (any
        kind for retry timers)."""
        if ref is None or ref.role == "wake":
            self._problem(event, f"{what} was not made by pyflow")
            return None
        index = self.graph.index.get(ref.task)
        rec = None if index is None else self.records[index]
        if rec is None or (kind is not None and rec.task.kind != kind):
            self._problem(
                event,
                f"{what} names {kind or 'a'} task {ref.task!r}, which workflow "
                f"{self.graph.workflow.name!r} version {self.graph.workflow.version!r} "
                "does not have",
            )
            return None
        return rec

    def _issue(self, rec: TaskRecord, attempt: int, event: Event, phase: str) -> bool:
        """Record that `attempt` of `rec` was issued; False if it is a stale or repeated one."""
        if attempt <= rec.attempt or rec.phase in ("completed", "failed"):
            return False
        rec.attempt = attempt
        rec.phase = "scheduled" if phase == "scheduled" else "running"
        rec.retry_timer = "none"
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

    def complete(self, rec: TaskRecord, output: str | None, when: datetime | None) -> None:
        """Mark `rec` completed, and with it every signal task this makes ready whose
        signal has already arrived."""
        work = [(rec, output)]
        while work:
            done, value = work.pop()
            done.phase = "completed"
            done.output = value
            done.ended_at = when
            for i in self.graph.signal_dependents[done.index]:
                waiter = self.records[i]
                waiter.deps_left -= 1
                if waiter.deps_left == 0:
                    arrived = self._signal_ready(waiter, when)
                    if arrived is not None:
                        work.append((waiter, arrived[0]))

    def _signal_ready(self, rec: TaskRecord, when: datetime | None) -> tuple[str | None] | None:
        """Start waiting for the signal; if it has already arrived, the input of the first
        signal of its name (in a 1-tuple: the input itself may be None)."""
        assert isinstance(rec.task, SignalTask)
        rec.phase = "running"
        rec.attempt = 1  # waiting for its signal is the task's one and only attempt
        rec.started_at = when
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
                rec.phase = "retry_wait"
                rec.retry_timer = "none"
                rec.retry_delay = max(rec.task.retry_delay, min(2**rec.throttles, 300))
                return
        rec.failures += 1
        if permanent or rec.failures > rec.task.num_retries:
            rec.phase = "failed"
            rec.permanent = permanent
            rec.ended_at = event.get("eventTimestamp")
            if self.failed is None:
                self.failed = rec
            return
        rec.phase = "retry_wait"
        rec.retry_timer = "none"
        rec.retry_delay = rec.task.retry_delay

    # -- workflow events ------------------------------------------------------------------

    def on_workflow_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        if self.started is not None:
            self._problem(event, "a second WorkflowExecutionStarted event")
            return
        self.started = event
        if self.parent_id is None:
            self.parent_id = fallback_parent_id(event)
        self.input = attrs.get("input")
        role = attrs.get("lambdaRole")
        self.lambda_role = role if isinstance(role, str) and role else None
        self.started_at = event.get("eventTimestamp")
        start = self.records[0]
        start.attempt = 1
        start.started_at = self.started_at
        self.complete(start, self.input, self.started_at)
        # Signal tasks with no dependencies at all wait from the start.
        for rec in self.records:
            if isinstance(rec.task, SignalTask) and rec.phase == "waiting" and not rec.deps_left:
                arrived = self._signal_ready(rec, self.started_at)
                if arrived is not None:  # only in a history with a signal before the start
                    self.complete(rec, arrived[0], self.started_at)

    def on_signaled(self, attrs: Mapping[str, Any], event: Event) -> None:
        name = attrs.get("signalName")
        if not isinstance(name, str):
            self._problem(event, "a signal without a signalName")
            return
        if name in self.signals:
            return  # only the first signal of a name counts
        value = attrs.get("input")
        self.signals[name] = value
        when = event.get("eventTimestamp")
        for waiter in self.signal_waiters.pop(name, ()):
            self.complete(waiter, value, when)

    def on_cancel_requested(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested = True

    def on_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.close_status = _CLOSE_STATUS[event["eventType"]]
        self.close_event = event
        self.closed_at = event.get("eventTimestamp")

    # -- Lambda functions -----------------------------------------------------------------

    def on_lambda_scheduled(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_control(attrs.get("control")) or parse_id(attrs.get("id"))
        rec = self._record(ref, "lambda", event, f"Lambda id {attrs.get('id')!r}")
        if rec is None or ref is None:
            return
        event_id = event["eventId"]
        self.open_lambdas.add(event_id)
        self.scheduled[event_id] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_schedule_lambda_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_id(attrs.get("id"))
        rec = self._record(ref, "lambda", event, f"Lambda id {attrs.get('id')!r}")
        if rec is None or ref is None or not self._issue(rec, ref.attempt, event, "scheduled"):
            return
        cause = str(attrs.get("cause"))
        self.fail_attempt(
            rec, TaskError(f"ScheduleLambdaFunction failed: {cause}"), event, cause=cause
        )

    def on_lambda_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        rec = self._linked(self.scheduled, attrs.get("scheduledEventId"), event, remove=False)
        if rec is not None:
            rec.phase = "running"

    def on_lambda_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = _int(attrs.get("scheduledEventId"))
        self.open_lambdas.discard(sched)
        rec = self._linked(self.scheduled, sched, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "LambdaFunctionCompleted":
            self.complete(rec, attrs.get("result"), event.get("eventTimestamp"))
        elif event_type == "LambdaFunctionFailed":
            details = attrs.get("details")
            error = TaskError(_lambda_reason(attrs.get("reason"), details), details)
            self.fail_attempt(rec, error, event)
        elif event_type == "LambdaFunctionTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            self.fail_attempt(rec, TaskError(f"Lambda function timed out ({timeout})"), event)
        else:  # StartLambdaFunctionFailed
            cause = str(attrs.get("cause") or "unknown cause")
            error = TaskError(f"Lambda function could not start: {cause}", attrs.get("message"))
            self.fail_attempt(rec, error, event)

    def _linked(
        self,
        table: dict[int, tuple[TaskRecord, int]],
        key: object,
        event: Event,
        *,
        remove: bool = True,
    ) -> TaskRecord | None:
        """The current attempt an event links to by scheduledEventId or initiatedEventId."""
        entry = table.get(_int(key))
        if entry is None:
            self._problem(event, f"refers to event {key!r}, which no pyflow decision produced")
            return None
        if remove:
            del table[_int(key)]
        return self._current(entry)

    # -- activities -----------------------------------------------------------------------

    def on_activity_scheduled(self, attrs: Mapping[str, Any], event: Event) -> None:
        activity_id = attrs.get("activityId")
        ref = parse_control(attrs.get("control")) or parse_id(activity_id)
        rec = self._record(ref, "activity", event, f"activityId {activity_id!r}")
        if rec is None or ref is None:
            return
        event_id = event["eventId"]
        self.open_activities[event_id] = str(activity_id)
        self.scheduled[event_id] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_schedule_activity_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        activity_id = attrs.get("activityId")
        ref = parse_id(activity_id)
        rec = self._record(ref, "activity", event, f"activityId {activity_id!r}")
        if rec is None or ref is None or not self._issue(rec, ref.attempt, event, "scheduled"):
            return
        cause = str(attrs.get("cause"))
        self.fail_attempt(
            rec, TaskError(f"ScheduleActivityTask failed: {cause}"), event, cause=cause
        )

    def on_activity_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        rec = self._linked(self.scheduled, attrs.get("scheduledEventId"), event, remove=False)
        if rec is not None:
            rec.phase = "running"

    def on_activity_cancel_requested(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested_activities.add(str(attrs.get("activityId")))

    def on_activity_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = _int(attrs.get("scheduledEventId"))
        activity_id = self.open_activities.pop(sched, None)
        requested = activity_id in self.cancel_requested_activities
        if activity_id is not None:
            self.cancel_requested_activities.discard(activity_id)
        rec = self._linked(self.scheduled, sched, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "ActivityTaskCompleted":
            self.complete(rec, attrs.get("result"), event.get("eventTimestamp"))
            return
        if event_type == "ActivityTaskCanceled" and requested:
            rec.phase = "canceled"  # pyflow asked for it, while closing the execution
            rec.ended_at = event.get("eventTimestamp")
            return
        if event_type == "ActivityTaskFailed":
            error = TaskError(str(attrs.get("reason") or "activity failed"), attrs.get("details"))
        elif event_type == "ActivityTaskTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            error = TaskError(f"activity timed out ({timeout})", attrs.get("details"))
        else:  # ActivityTaskCanceled
            error = TaskError("activity canceled", attrs.get("details"))
        self.fail_attempt(rec, error, event)

    # -- timers ---------------------------------------------------------------------------

    def on_timer_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = attrs.get("timerId")
        ref = parse_control(attrs.get("control")) or parse_id(timer_id)
        if ref is not None and ref.role == "wake":
            self.open_timers[str(timer_id)] = ref
            self.wake_timers = max(self.wake_timers, ref.attempt)
            return
        kind = "timer" if ref is not None and ref.role == "task" else None
        rec = self._record(ref, kind, event, f"timerId {timer_id!r}")
        if rec is None or ref is None:
            return
        self.open_timers[str(timer_id)] = ref
        if ref.role == "task":
            self._issue(rec, ref.attempt, event, "running")
        elif rec.phase == "retry_wait" and ref.attempt == rec.attempt + 1:
            rec.retry_timer = "open"

    def on_start_timer_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = attrs.get("timerId")
        ref = parse_id(timer_id)
        if ref is not None and ref.role == "wake":
            return
        kind = "timer" if ref is not None and ref.role == "task" else None
        rec = self._record(ref, kind, event, f"timerId {timer_id!r}")
        if rec is None or ref is None:
            return
        cause = str(attrs.get("cause"))
        if ref.role == "retry":
            # The back-off could not start: go ahead without it rather than stall.
            if rec.phase == "retry_wait" and ref.attempt == rec.attempt + 1:
                rec.retry_timer = "fired"
            return
        if self._issue(rec, ref.attempt, event, "running"):
            self.fail_attempt(rec, TaskError(f"StartTimer failed: {cause}"), event, cause=cause)

    def on_timer_ended(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = attrs.get("timerId")
        ref = self.open_timers.pop(str(timer_id), None)
        if ref is None:
            self._problem(event, f"timerId {timer_id!r} is not an open pyflow timer")
            return
        if ref.role == "wake":
            return
        rec = self.records[self.graph.index[ref.task]]
        fired = event["eventType"] == "TimerFired"
        if ref.role == "retry":
            if rec.phase == "retry_wait" and ref.attempt == rec.attempt + 1:
                rec.retry_timer = "fired"
        elif ref.attempt == rec.attempt and rec.phase == "running":
            if fired:
                self.complete(rec, None, event.get("eventTimestamp"))
            else:  # only pyflow cancels its timers, and only while closing the execution
                rec.phase = "canceled"
                rec.ended_at = event.get("eventTimestamp")

    # -- child workflows ------------------------------------------------------------------

    def _child_ref(self, attrs: Mapping[str, Any]) -> Ref | None:
        ref = parse_control(attrs.get("control"))
        if ref is not None:
            return ref
        return parse_child_id(attrs.get("workflowId"), self.parent_id, self.run_id)

    def on_child_initiated(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = self._child_ref(attrs)
        what = f"child workflowId {attrs.get('workflowId')!r}"
        rec = self._record(ref, "workflow", event, what)
        if rec is None or ref is None:
            return
        event_id = event["eventId"]
        self.open_children[event_id] = [str(attrs.get("workflowId")), None]
        self.initiated[event_id] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_start_child_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = _int(attrs.get("initiatedEventId"))
        self.open_children.pop(initiated, None)
        entry = self.initiated.pop(initiated, None)
        ref = self._child_ref(attrs)
        what = f"child workflowId {attrs.get('workflowId')!r}"
        rec = self._record(ref, "workflow", event, what)
        if rec is None or ref is None:
            return
        if entry is None and not self._issue(rec, ref.attempt, event, "scheduled"):
            return
        if entry is not None and self._current(entry) is None:
            return
        cause = str(attrs.get("cause"))
        self.fail_attempt(
            rec, TaskError(f"StartChildWorkflowExecution failed: {cause}"), event, cause=cause
        )

    def on_child_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = _int(attrs.get("initiatedEventId"))
        child = self.open_children.get(initiated)
        execution = attrs.get("workflowExecution")
        if child is not None and isinstance(execution, Mapping):
            child[1] = execution.get("runId")
        rec = self._linked(self.initiated, initiated, event, remove=False)
        if rec is not None:
            rec.phase = "running"

    def on_child_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = _int(attrs.get("initiatedEventId"))
        child = self.open_children.pop(initiated, None)
        if child is not None:
            self.cancel_requested_children.discard(str(child[0]))
        rec = self._linked(self.initiated, initiated, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "ChildWorkflowExecutionCompleted":
            self.complete(rec, attrs.get("result"), event.get("eventTimestamp"))
            return
        if event_type == "ChildWorkflowExecutionFailed":
            reason = str(attrs.get("reason") or "child workflow failed")
            error = TaskError(f"child workflow failed: {reason}", attrs.get("details"))
        elif event_type == "ChildWorkflowExecutionTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            error = TaskError(f"child workflow timed out ({timeout})")
        elif event_type == "ChildWorkflowExecutionCanceled":
            error = TaskError("child workflow canceled", attrs.get("details"))
        else:
            error = TaskError("child workflow terminated")
        self.fail_attempt(rec, error, event)

    def on_cancel_child_initiated(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested_children.add(str(attrs.get("workflowId")))


def _lambda_reason(reason: object, details: object) -> str:
    """SWF's reason for a failed function ('UnhandledError') plus the error Lambda reported,
    so the failure says what went wrong without digging into the details (unless the reason
    already says it, as the embedded engine's 'ResultTooLarge: ...' does)."""
    text = str(reason or "Lambda function failed")
    try:
        payload = json.loads(details) if isinstance(details, str) else None
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        kind, message = payload.get("errorType"), payload.get("errorMessage")
        said = ": ".join(str(x) for x in (kind, message) if x not in (None, ""))
        if said and not _already_said(text, said, str(message or "")):
            return f"{text} ({said})"
    return text


def _already_said(reason: str, said: str, message: str) -> bool:
    """Whether the reason already holds the error (some runtimes, pyflow's embedded engine
    among them, put it there), perhaps cut short at SWF's 256 characters. Only a message of
    some length counts on its own: a short one ('k') can occur in any reason by chance."""
    said, message = said.strip(), message.strip()
    return said[:_SAID_PREFIX] in reason or (
        len(message) >= _MIN_MESSAGE and message[:_SAID_PREFIX] in reason
    )


def _int(value: object) -> int:
    """An event id from an attribute; -1 (no event) for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


_Handler = Callable[[History, Mapping[str, Any], Event], None]
_BY_TYPE: dict[str, _Handler] = {
    "WorkflowExecutionStarted": History.on_workflow_started,
    "WorkflowExecutionSignaled": History.on_signaled,
    "WorkflowExecutionCancelRequested": History.on_cancel_requested,
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
