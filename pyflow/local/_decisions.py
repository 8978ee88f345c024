"""RespondDecisionTaskCompleted: record DecisionTaskCompleted, apply each decision in order
with its success or failure event, then schedule the next decision task if one is due."""

from __future__ import annotations

import logging
from collections.abc import Callable

from . import _activities, _external, _lambda
from ._clock import cancel, duration
from ._core import Core
from ._decision_checks import attributes_key, check_batch
from ._faults import SWFFault
from ._model import JSON, Execution, TimerRec

MAX_OPEN_TIMERS = 1000
log = logging.getLogger("pyflow.local")


def complete(core: Core, ex: Execution, p: JSON) -> None:
    decisions: list[JSON] = p.get("decisions") or []
    check_batch(decisions)  # an invalid value rejects the whole batch before any event
    override = p.get("taskList")
    completed = core.add_event(ex, "DecisionTaskCompleted", {
        "executionContext": p.get("executionContext"), "scheduledEventId": ex.dt_scheduled,
        "startedEventId": ex.dt_started, "taskList": override,
        "taskListScheduleToStartTimeout": p.get("taskListScheduleToStartTimeout"),
    })
    if p.get("executionContext") is not None:
        ex.latest_context = p["executionContext"]
    if override:
        ex.decision_list_override = override["name"]
        ex.override_timeout = p.get("taskListScheduleToStartTimeout")
    ex.prev_started = ex.dt_started or 0
    cancel(ex.dt_due)
    ex.dt_applying = True
    try:
        _apply_all(core, ex, decisions, completed)
    finally:
        ex.dt_applying = False
        _finish(core, ex)


def _apply_all(core: Core, ex: Execution, decisions: list[JSON], completed: int) -> None:
    for i, decision in enumerate(decisions):
        if not ex.is_open:
            return
        kind = decision["decisionType"]
        try:
            _APPLY[kind](core, ex, decision.get(attributes_key(kind)) or {}, completed)
        except Exception as exc:
            # An engine bug, never a bad request (check_batch ran). The decisions before
            # this one stand, with their follow-ups (Lambda starts, child launches); the
            # task is still completed exactly once, and a new decision task lets the
            # decider see what was applied. Undoing them instead is not possible in general:
            # a close decision reaches the parent and children.
            log.exception("pyflow.local: applying decision %d (%s) failed", i + 1, kind)
            ex.dt_batch_trigger = True
            raise SWFFault("InternalFailure", f"pyflow.local failed to apply decision {i + 1} "
                           f"({kind}): {exc!r}; decisions 1 to {i} were applied, the rest "
                           "were not, and a new decision task is scheduled") from exc


def _finish(core: Core, ex: Execution) -> None:
    """Close the decision task and schedule the next one if events are waiting for it."""
    pending = ex.dt_pending or ex.dt_batch_trigger
    ex.dt_pending = ex.dt_batch_trigger = False
    core.end_decision_task(ex)
    if ex.is_open and pending:
        core.schedule_decision(ex)
    actions, core.post_batch = core.post_batch, []
    for action in actions:
        action()
    core.check_event_limit(ex)


def _closer(status: str, event_type: str, keys: tuple[str, ...],
            failed_type: str) -> Callable[[Core, Execution, JSON, int], None]:
    def apply(core: Core, ex: Execution, a: JSON, completed: int) -> None:
        if ex.dt_pending:
            # events arrived while the decider worked: it must see them before closing
            core.add_event(ex, failed_type, {"cause": "UNHANDLED_DECISION",
                                             "decisionTaskCompletedEventId": completed})
            core.trigger(ex)
            return
        core.close(ex, status, event_type,
                   {**{k: a.get(k) for k in keys}, "decisionTaskCompletedEventId": completed})

    return apply


def _start_timer(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    timer_id = a["timerId"]
    cause = ("TIMER_ID_ALREADY_IN_USE" if timer_id in ex.timers
             else "OPEN_TIMERS_LIMIT_EXCEEDED" if len(ex.timers) >= MAX_OPEN_TIMERS else None)
    if cause:
        core.add_event(ex, "StartTimerFailed", {"timerId": timer_id, "cause": cause,
                                                "decisionTaskCompletedEventId": completed})
        core.trigger(ex)
        return
    started = core.add_event(ex, "TimerStarted", {
        "timerId": timer_id, "control": a.get("control"),
        "startToFireTimeout": a["startToFireTimeout"], "decisionTaskCompletedEventId": completed})
    timer = TimerRec(timer_id=timer_id, started_id=started, due=None)
    timer.due = core.after(duration(a["startToFireTimeout"]), lambda: fire_timer(core, ex, timer))
    ex.timers[timer_id] = timer


def fire_timer(core: Core, ex: Execution, timer: TimerRec) -> None:
    if not ex.is_open or ex.timers.get(timer.timer_id) is not timer:
        return
    del ex.timers[timer.timer_id]
    core.add_event(ex, "TimerFired",
                   {"timerId": timer.timer_id, "startedEventId": timer.started_id})
    core.trigger(ex)


def _cancel_timer(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    timer = ex.timers.pop(a["timerId"], None)
    if timer is None:
        core.add_event(ex, "CancelTimerFailed", {"timerId": a["timerId"],
                                                 "cause": "TIMER_ID_UNKNOWN",
                                                 "decisionTaskCompletedEventId": completed})
        core.trigger(ex)
        return
    cancel(timer.due)
    core.add_event(ex, "TimerCanceled", {"timerId": timer.timer_id,
                                         "startedEventId": timer.started_id,
                                         "decisionTaskCompletedEventId": completed})


def _record_marker(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    core.add_event(ex, "MarkerRecorded", {"markerName": a["markerName"],
                                          "details": a.get("details"),
                                          "decisionTaskCompletedEventId": completed})


def _schedule_activity(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    _activities.schedule(core, ex, a, completed)


def _cancel_activity(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    _activities.request_cancel(core, ex, a["activityId"], completed)


def _continue_as_new(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    if ex.dt_pending:
        _closer("", "", (), "ContinueAsNewWorkflowExecutionFailed")(core, ex, a, completed)
        return
    _external.continue_as_new(core, ex, a, completed)


_APPLY: dict[str, Callable[[Core, Execution, JSON, int], None]] = {
    "CompleteWorkflowExecution": _closer("COMPLETED", "WorkflowExecutionCompleted",
                                         ("result",), "CompleteWorkflowExecutionFailed"),
    "FailWorkflowExecution": _closer("FAILED", "WorkflowExecutionFailed", ("reason", "details"),
                                     "FailWorkflowExecutionFailed"),
    "CancelWorkflowExecution": _closer("CANCELED", "WorkflowExecutionCanceled", ("details",),
                                       "CancelWorkflowExecutionFailed"),
    "ContinueAsNewWorkflowExecution": _continue_as_new,
    "StartTimer": _start_timer,
    "CancelTimer": _cancel_timer,
    "RecordMarker": _record_marker,
    "ScheduleActivityTask": _schedule_activity,
    "RequestCancelActivityTask": _cancel_activity,
    "ScheduleLambdaFunction": _lambda.schedule,
    "StartChildWorkflowExecution": _external.start_child,
    "SignalExternalWorkflowExecution": _external.signal_external,
    "RequestCancelExternalWorkflowExecution": _external.request_cancel_external,
}
