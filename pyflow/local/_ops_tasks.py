"""Workers and deciders: long polls, responses, heartbeats and pending-task counts."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from . import _activities
from ._clock import cancel, duration
from ._core import Core, clean, new_id
from ._decisions import complete
from ._faults import unknown
from ._model import JSON, ActivityRec, Execution
from ._ops import operation
from ._paging import page, token_scope

T = TypeVar("T")


def long_poll(core: Core, take: Callable[[], T | None]) -> T | None:
    """Wait (releasing the lock) until `take` yields a task or `poll_timeout` passes."""
    deadline = time.monotonic() + core.poll_timeout
    while True:
        item = take()
        remaining = deadline - time.monotonic()
        if item is not None or core.closed or remaining <= 0:
            return item
        core.wait(remaining)


def _decision_ready(ex: Execution) -> bool:
    return ex.is_open and ex.dt_scheduled is not None and (ex.dt_started is None
                                                           or ex.dt_reoffered)


@operation("PollForDecisionTask")
def poll_for_decision_task(core: Core, p: JSON) -> JSON:
    if p.get("nextPageToken"):
        return _next_decision_page(core, p)
    core.domain(p["domain"])
    name = p["taskList"]["name"]
    ex = long_poll(core, lambda: core.decision_queue.pop(p["domain"], name, _decision_ready))
    if ex is None:
        return {"startedEventId": 0, "previousStartedEventId": 0}
    if ex.dt_reoffered:  # handed out before a restart, never delivered: the same task again
        ex.dt_reoffered = False
        core.dirty.add(ex)
    else:
        ex.dt_started = core.add_event(ex, "DecisionTaskStarted", {
            "identity": p.get("identity"), "scheduledEventId": ex.dt_scheduled})
        ex.dt_token = new_id(48)
        core.tokens[ex.dt_token] = ex
    scheduled, started, token = ex.dt_scheduled, ex.dt_started, ex.dt_token
    assert scheduled is not None and started is not None and token is not None
    cancel(ex.dt_due)
    ex.dt_due = core.after(duration(ex.task_timeout),
                           lambda: core.decision_timed_out(ex, scheduled, started))
    core.hold(ex)
    return _decision_page(ex, token, started, p)


def _decision_page(ex: Execution, token: str, started: int, p: JSON) -> JSON:
    events = ex.events[:started]
    if p.get("startAtPreviousStartedEvent") and ex.prev_started:
        # SWF compares timestamps; ids give the same answer without same-instant ties
        events = events[ex.prev_started - 1:]
    # As SWF requires, a page token only serves a request with the same other arguments.
    scope = "\n".join(["decision", ex.domain.name, ex.run_id, str(started), token,
                       str(bool(p.get("reverseOrder"))), str(p.get("startAtPreviousStartedEvent")),
                       str(p.get("maximumPageSize") or 0)])
    chunk, next_token = page(events, p, scope)
    return clean({
        "taskToken": token, "startedEventId": started, "workflowExecution": ex.ref,
        "workflowType": ex.workflow_type, "events": chunk, "nextPageToken": next_token,
        "previousStartedEventId": ex.prev_started,
    })


def _next_decision_page(core: Core, p: JSON) -> JSON:
    parts = token_scope(p["nextPageToken"]).split("\n")
    if len(parts) != 8 or parts[0] != "decision":
        raise unknown("nextPageToken is not a PollForDecisionTask page token")
    _, domain, run_id, started, token, *_ = parts
    dom = core.domain(domain)
    ex = next((e for e in dom.executions if e.run_id == run_id), None)
    if ex is None:
        raise unknown(f"Unknown execution runId={run_id}")
    return _decision_page(ex, token, int(started), p)


@operation("RespondDecisionTaskCompleted")
def respond_decision_task_completed(core: Core, p: JSON) -> JSON:
    ex = core.tokens.get(p["taskToken"])
    if not isinstance(ex, Execution) or ex.dt_token != p["taskToken"] or not ex.is_open:
        raise unknown("Unknown decision task token (completed, timed out, or the execution "
                      "is closed)")
    complete(core, ex, p)
    return {}


@operation("CountPendingDecisionTasks")
def count_pending_decision_tasks(core: Core, p: JSON) -> JSON:
    core.domain(p["domain"])
    count = core.decision_queue.count(p["domain"], p["taskList"]["name"], _decision_ready)
    return {"count": count, "truncated": False}


@operation("PollForActivityTask")
def poll_for_activity_task(core: Core, p: JSON) -> JSON:
    core.domain(p["domain"])
    name = p["taskList"]["name"]
    act = long_poll(core, lambda: core.activity_queue.pop(p["domain"], name,
                                                          _activities.waiting))
    if act is None:
        return {"startedEventId": 0}
    return _activities.start(core, act, p.get("identity"))


@operation("CountPendingActivityTasks")
def count_pending_activity_tasks(core: Core, p: JSON) -> JSON:
    core.domain(p["domain"])
    count = core.activity_queue.count(p["domain"], p["taskList"]["name"], _activities.waiting)
    return {"count": count, "truncated": False}


def _activity(core: Core, token: str) -> ActivityRec:
    act = core.tokens.get(token)
    if not isinstance(act, ActivityRec) or not _activities.is_open(act):
        raise unknown("Unknown activity task token (already closed, timed out, or the "
                      "execution is closed)")
    return act


@operation("RecordActivityTaskHeartbeat")
def record_activity_task_heartbeat(core: Core, p: JSON) -> JSON:
    act = _activity(core, p["taskToken"])
    return {"cancelRequested": _activities.heartbeat(core, act, p.get("details"))}


@operation("RespondActivityTaskCompleted")
def respond_activity_task_completed(core: Core, p: JSON) -> JSON:
    act = _activity(core, p["taskToken"])
    _activities.finish(core, act, "ActivityTaskCompleted", {"result": p.get("result")})
    return {}


@operation("RespondActivityTaskFailed")
def respond_activity_task_failed(core: Core, p: JSON) -> JSON:
    act = _activity(core, p["taskToken"])
    _activities.finish(core, act, "ActivityTaskFailed",
                       {"reason": p.get("reason"), "details": p.get("details")})
    return {}


@operation("RespondActivityTaskCanceled")
def respond_activity_task_canceled(core: Core, p: JSON) -> JSON:
    act = _activity(core, p["taskToken"])
    _activities.finish(core, act, "ActivityTaskCanceled", {
        "details": p.get("details"), "latestCancelRequestedEventId": act.cancel_requested_id})
    return {}
