"""The decisions that end an execution: complete, fail (after cancelling outstanding work)
or cancel.

Reasons stay within SWF's 256 characters and details within 32,768; details are JSON
whose long strings are cut (with pyflow's truncation marker), so they still parse.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._workflow._payload import MAX_DATA, MAX_REASON, truncate
from ._errors import error_fields
from ._history import History
from ._records import TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import (
        DecisionTypeDef,
        RequestCancelExternalWorkflowExecutionDecisionAttributesTypeDef,
    )

MAX_DECISIONS = 100
"""The most decisions pyflow sends in one RespondDecisionTaskCompleted."""


def complete(result: str) -> list[DecisionTypeDef]:
    return [
        {
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": result},
        }
    ]


def fail(history: History, reason: str, details: dict[str, Any]) -> list[DecisionTypeDef]:
    """Cancel outstanding work, then fail the execution."""
    decisions = cancel_outstanding(history)
    decisions.append(
        {
            "decisionType": "FailWorkflowExecution",
            "failWorkflowExecutionDecisionAttributes": {
                "reason": truncate(reason, MAX_REASON),
                "details": json_within(details, MAX_DATA),
            },
        }
    )
    return decisions


def fail_task(history: History, rec: TaskRecord) -> list[DecisionTypeDef]:
    """Fail the execution because `rec` failed for good."""
    error = rec.last_error
    reason = error.reason if error is not None else "unknown error"
    if rec.permanent:
        summary = reason  # an input error, whose message names the task and the cause
    else:
        tries = "attempt" if rec.attempt == 1 else "attempts"
        names = error.names if error is not None else ()
        held = "" if rec.task.retry.retries(names) else f" ({_not_retried(rec, names)})"
        summary = f"task {rec.name!r} failed after {rec.attempt} {tries}{held}: {reason}"
    details = {
        "task": rec.name,
        "attempts": rec.attempt,
        "error": {
            "reason": reason,
            **error_fields(error),
            "details": error.details if error is not None else None,
        },
    }
    return fail(history, summary, details)


def _not_retried(rec: TaskRecord, names: tuple[str, ...]) -> str:
    policy = rec.task.retry
    barred = [n for n in names if n in policy.non_retryable]
    if barred:
        return f"{barred[0]} is non_retryable"
    return f"{names[0] if names else 'the error'} is not in retry_on"


def cancel(history: History) -> list[DecisionTypeDef]:
    """Close as canceled after cancelling outstanding work (a cancel request was received)."""
    decisions = cancel_outstanding(history)
    decisions.append(
        {
            "decisionType": "CancelWorkflowExecution",
            "cancelWorkflowExecutionDecisionAttributes": {
                "details": "cancel requested; outstanding work was canceled"
            },
        }
    )
    return decisions


def cancel_outstanding(history: History) -> list[DecisionTypeDef]:
    """Requests to cancel open activities, timers and child workflows, leaving room for the
    close decision. Anything past SWF's batch limit is left to SWF (activities time out,
    timers vanish with the execution, children get the child policy)."""
    room = MAX_DECISIONS - 1
    decisions: list[DecisionTypeDef] = []
    for activity_id in history.open_activities.values():
        if activity_id not in history.cancel_requested_activities:
            decisions.append(
                {
                    "decisionType": "RequestCancelActivityTask",
                    "requestCancelActivityTaskDecisionAttributes": {"activityId": activity_id},
                }
            )
    for timer_id in history.open_timers:
        decisions.append(
            {"decisionType": "CancelTimer", "cancelTimerDecisionAttributes": {"timerId": timer_id}}
        )
    for workflow_id, run_id in history.open_children.values():
        if workflow_id is None or workflow_id in history.cancel_requested_children:
            continue
        target: RequestCancelExternalWorkflowExecutionDecisionAttributesTypeDef = {
            "workflowId": workflow_id
        }
        if run_id is not None:
            target["runId"] = run_id
        decisions.append(
            {
                "decisionType": "RequestCancelExternalWorkflowExecution",
                "requestCancelExternalWorkflowExecutionDecisionAttributes": target,
            }
        )
    return decisions[:room]


def json_within(value: dict[str, Any], limit: int) -> str:
    """`value` as JSON of at most `limit` characters, cutting its longest strings (each cut
    marked) rather than the JSON text, so the result still parses."""
    text = _dumps(value)
    while len(text) > limit:
        longest = max(_strings(value), key=len, default="")
        if not longest:
            return truncate(text, limit)
        # The longest cut of this string that fits; escapes make JSON longer than the text.
        low, high = 0, len(longest) - 1
        while low < high:
            mid = (low + high + 1) // 2
            if len(_dumps(_replace(value, longest, truncate(longest, mid)))) <= limit:
                low = mid
            else:
                high = mid - 1
        value = _replace(value, longest, truncate(longest, low))
        text = _dumps(value)
    return text


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _replace(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return new if value is old else value
    if isinstance(value, dict):
        return {k: _replace(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, old, new) for v in value]
    return value
