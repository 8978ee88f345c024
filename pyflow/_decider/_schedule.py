"""The decision that starts one attempt of a task, per task kind.

Only what the task sets is sent; everything else falls back to the defaults registered with
the SWF type (activity and workflow types), so the same definition works against types
registered by pyflow or by anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._workflow._payload import MAX_DATA
from .._workflow._tasks import (
    ActivityTask,
    LambdaTask,
    SignalTask,
    Task,
    TimerTask,
    WorkflowTask,
)
from . import _ids
from ._close import json_within
from ._records import TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import (
        DecisionTypeDef,
        ScheduleActivityTaskDecisionAttributesTypeDef,
        ScheduleLambdaFunctionDecisionAttributesTypeDef,
        StartChildWorkflowExecutionDecisionAttributesTypeDef,
    )


def attempt_decision(
    task: Task,
    attempt: int,
    input_text: str,
    *,
    parent_id: str,
    lambda_role: str | None,
    run_id: str | None = None,
    name: str | None = None,
) -> DecisionTypeDef:
    """The decision that starts `attempt` of `task` with `input_text` (JSON); `name`, for
    an item of a mapped task, is the base of the ids (``resize@3``)."""
    name = task.name if name is None else name
    if isinstance(task, LambdaTask):
        return _lambda(task, name, attempt, input_text)
    if isinstance(task, ActivityTask):
        return _activity(task, name, attempt, input_text)
    if isinstance(task, TimerTask):
        return {
            "decisionType": "StartTimer",
            "startTimerDecisionAttributes": {
                "timerId": _ids.task_id(task.name, attempt),
                "startToFireTimeout": str(task.duration),
                "control": _ids.control(task.name, attempt),
            },
        }
    if isinstance(task, WorkflowTask):
        child_id = _ids.child_workflow_id(parent_id, name, attempt, run_id)
        return _child(
            task, name, attempt, input_text, workflow_id=child_id, lambda_role=lambda_role
        )
    raise TypeError(f"task {task.name!r}: a {task.kind} task is not scheduled by a decision")


def retry_timer(
    name: str, attempt: int, delay: int, role: _ids.TimerRole = "retry"
) -> DecisionTypeDef:
    """The timer that waits `delay` seconds before `attempt` of the task (or item) `name`: a
    retry back-off, or (`role` 'repeat') the delay before a repeating task's next
    iteration."""
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": _ids.part_id(name, attempt, role),
            "startToFireTimeout": str(delay),
            "control": _ids.control(name, attempt, role),
        },
    }


def notifier(task: SignalTask, attempt: int, input_text: str) -> DecisionTypeDef:
    """The call to a signal task's notifier during `attempt`: its Lambda function or
    activity, under the signal task's ids with '#notify'."""
    assert task.notifier is not None
    decision = attempt_decision(task.notifier, attempt, input_text, parent_id="", lambda_role=None)
    attrs: Any = next(v for k, v in decision.items() if k != "decisionType")
    attrs["activityId" if "activityId" in attrs else "id"] = _ids.part_id(
        task.name, attempt, "notify"
    )
    attrs["control"] = _ids.control(task.name, attempt, "notify")
    return decision


def failure_marker(rec: TaskRecord) -> DecisionTypeDef:
    """The marker that records `rec` failing while the decider built its input."""
    error = rec.last_error
    details = {
        "task": rec.name,
        "reason": error.reason if error is not None else "failed",
        "details": error.details if error is not None else None,
    }
    return {
        "decisionType": "RecordMarker",
        "recordMarkerDecisionAttributes": {
            "markerName": _ids.FAILED_MARKER,
            "details": json_within(details, MAX_DATA),
        },
    }


def wake_timer(number: int) -> DecisionTypeDef:
    """A zero-second timer: its TimerFired wakes the decider to schedule what it held back."""
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": _ids.wake_timer_id(number),
            "startToFireTimeout": "0",
            "control": _ids.wake_control(number),
        },
    }


def _lambda(task: LambdaTask, name: str, attempt: int, input_text: str) -> DecisionTypeDef:
    attrs: ScheduleLambdaFunctionDecisionAttributesTypeDef = {
        "id": _ids.task_id(name, attempt),
        "name": task.lambda_function,
        "control": _ids.control(name, attempt),
        "input": input_text,
    }
    if task.timeout is not None:
        attrs["startToCloseTimeout"] = str(task.timeout)
    return {
        "decisionType": "ScheduleLambdaFunction",
        "scheduleLambdaFunctionDecisionAttributes": attrs,
    }


def _activity(task: ActivityTask, name: str, attempt: int, input_text: str) -> DecisionTypeDef:
    attrs: ScheduleActivityTaskDecisionAttributesTypeDef = {
        "activityType": {"name": task.activity_type, "version": task.activity_version},
        "activityId": _ids.task_id(name, attempt),
        "control": _ids.control(name, attempt),
        "input": input_text,
    }
    if task.task_list is not None:
        attrs["taskList"] = {"name": task.task_list}
    declared = task.activity
    timeouts = {
        "scheduleToStartTimeout": task.schedule_to_start_timeout,
        "startToCloseTimeout": task.start_to_close_timeout,
        "scheduleToCloseTimeout": task.schedule_to_close_timeout,
        "heartbeatTimeout": task.heartbeat_timeout,
    }
    if declared is not None:
        fallback = {
            "scheduleToStartTimeout": declared.schedule_to_start_timeout,
            "startToCloseTimeout": declared.start_to_close_timeout,
            "scheduleToCloseTimeout": declared.schedule_to_close_timeout,
            "heartbeatTimeout": declared.heartbeat_timeout,
        }
        timeouts = {k: v if v is not None else fallback[k] for k, v in timeouts.items()}
    for key, seconds in timeouts.items():
        if seconds is not None:
            attrs[key] = str(seconds)  # type: ignore[literal-required]
    return {
        "decisionType": "ScheduleActivityTask",
        "scheduleActivityTaskDecisionAttributes": attrs,
    }


def _child(
    task: WorkflowTask,
    name: str,
    attempt: int,
    input_text: str,
    *,
    workflow_id: str,
    lambda_role: str | None,
) -> DecisionTypeDef:
    attrs: StartChildWorkflowExecutionDecisionAttributesTypeDef = {
        "workflowType": {"name": task.workflow_name, "version": task.workflow_version},
        "workflowId": workflow_id,
        "control": _ids.control(name, attempt),
        "input": input_text,
    }
    if task.task_list is not None:
        attrs["taskList"] = {"name": task.task_list}
    if task.execution_timeout is not None:
        attrs["executionStartToCloseTimeout"] = str(task.execution_timeout)
    if lambda_role is not None:
        attrs["lambdaRole"] = lambda_role
    return {
        "decisionType": "StartChildWorkflowExecution",
        "startChildWorkflowExecutionDecisionAttributes": attrs,
    }
