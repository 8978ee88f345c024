"""Retries, every failure event type, and how the workflow fails when retries run out."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

import pyflow
from pyflow._decider import decide, execution_state

from .conftest import RUN_SUFFIX


def step(wf: pyflow.Workflow, swf: Any) -> list[dict[str, Any]]:
    decisions: list[dict[str, Any]] = decide(wf, swf.events, execution=swf.execution)  # type: ignore[assignment]
    swf.respond(decisions)
    return decisions


def attrs(decision: dict[str, Any]) -> dict[str, Any]:
    kind = decision["decisionType"]
    value: dict[str, Any] = decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]
    return value


def kinds(decisions: list[dict[str, Any]]) -> list[str]:
    return [d["decisionType"] for d in decisions]


def lambda_wf(**options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=[wf.start_task],
                             **options))
    return wf


def failure_of(decisions: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    assert decisions[-1]["decisionType"] == "FailWorkflowExecution", decisions
    a = attrs(decisions[-1])
    assert len(a["reason"]) <= 256
    assert len(a["details"]) <= 32768
    return a["reason"], json.loads(a["details"])


# -- Lambda failures ----------------------------------------------------------------------

LAMBDA_FAILURES: dict[str, Callable[[Any], None]] = {
    "LambdaFunctionFailed": lambda h: h.lambda_failed("L#1"),
    "LambdaFunctionTimedOut": lambda h: h.lambda_timed_out("L#1"),
    "StartLambdaFunctionFailed": lambda h: h.start_lambda_failed("L#1"),
}
LAMBDA_REASONS = {
    "LambdaFunctionFailed": "UnhandledError (boom)",
    "LambdaFunctionTimedOut": "Lambda function timed out (START_TO_CLOSE)",
    "StartLambdaFunctionFailed": "Lambda function could not start: ASSUME_ROLE_FAILED",
}


@pytest.mark.parametrize("event", sorted(LAMBDA_FAILURES))
def test_lambda_failure_without_retries_fails_the_workflow_naming_the_task(
    swf: Any, event: str
) -> None:
    wf, h = lambda_wf(), swf('"x"')
    step(wf, h)
    LAMBDA_FAILURES[event](h)
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason == f"task 'L' failed after 1 attempt: {LAMBDA_REASONS[event]}"
    assert details["task"] == "L"
    assert details["attempts"] == 1
    assert details["error"]["reason"] == LAMBDA_REASONS[event]
    state = execution_state(wf, h.events, execution=h.execution)
    assert state.status == "FAILED"
    assert state.tasks["L"].state == "failed"
    assert state.tasks["L"].last_error is not None
    assert state.tasks["L"].last_error.reason == LAMBDA_REASONS[event]


def test_lambda_failure_reason_includes_the_error_lambda_reported(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    payload = '{"errorType": "KeyError", "errorMessage": "\'k\'", "stackTrace": []}'
    h.lambda_failed("L#1", details=payload)
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason == "task 'L' failed after 1 attempt: UnhandledError (KeyError: 'k')"
    assert details["error"] == {"reason": "UnhandledError (KeyError: 'k')", "type": "KeyError",
                                "message": "'k'", "traceback": None, "details": payload}


def test_lambda_failure_reason_does_not_repeat_an_error_it_already_holds(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    message = "Lambda function result is 40002 characters of JSON; SWF accepts at most 32768"
    payload = json.dumps({"errorType": "ResultTooLarge", "errorMessage": message})
    h.lambda_failed("L#1", reason=f"ResultTooLarge: {message}", details=payload)
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert reason == f"task 'L' failed after 1 attempt: ResultTooLarge: {message}"


def test_lambda_failure_reason_cut_short_is_not_extended_with_its_own_message(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    message = "x" * 300
    payload = json.dumps({"errorType": "Big", "errorMessage": message})
    h.lambda_failed("L#1", reason=f"Big: {message}"[:256], details=payload)
    h.decision_task()
    step(wf, h)
    error = execution_state(wf, h.events).tasks["L"].last_error
    assert error is not None and error.reason == f"Big: {message}"[:256]


def test_lambda_failure_reason_adds_a_short_message_even_if_the_reason_contains_it(
    swf: Any,
) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    payload = json.dumps({"errorType": "E", "errorMessage": "r"})
    h.lambda_failed("L#1", reason="UnhandledError", details=payload)
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert reason.endswith("UnhandledError (E: r)")


def test_schedule_lambda_failed_counts_as_a_failed_attempt(swf: Any) -> None:
    wf, h = lambda_wf(num_retries=1), swf()
    h.respond(decide(wf, h.events, execution=h.execution), reject={"L#1": "ID_ALREADY_IN_USE"})
    h.decision_task()
    assert [attrs(d)["id"] for d in step(wf, h)] == ["L#2"]


@pytest.mark.parametrize("event", sorted(LAMBDA_FAILURES))
def test_failed_attempt_is_retried_at_once_without_delay(swf: Any, event: str) -> None:
    wf, h = lambda_wf(num_retries=2), swf('"x"')
    step(wf, h)
    LAMBDA_FAILURES[event](h)
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["ScheduleLambdaFunction"]
    assert attrs(decisions[0])["id"] == "L#2"
    assert json.loads(attrs(decisions[0])["control"]) == {"task": "L", "attempt": 2}
    assert execution_state(wf, h.events).tasks["L"].attempts == 2


def test_retries_run_out_after_num_retries_plus_one_attempts(swf: Any) -> None:
    wf, h = lambda_wf(num_retries=2), swf()
    step(wf, h)
    for attempt in (1, 2):
        h.lambda_failed(f"L#{attempt}")
        h.decision_task()
        assert attrs(step(wf, h)[0])["id"] == f"L#{attempt + 1}"
    h.lambda_failed("L#3", reason="Third", details="not JSON")
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason == "task 'L' failed after 3 attempts: Third"
    assert details["attempts"] == 3


def test_retry_waits_time_between_retries_on_a_timer(swf: Any) -> None:
    wf, h = lambda_wf(num_retries=1, time_between_retries=2.5), swf()
    step(wf, h)
    h.lambda_failed("L#1")
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["StartTimer"]
    assert attrs(decisions[0])["timerId"] == "L#2#retry"
    assert attrs(decisions[0])["startToFireTimeout"] == "3"
    assert execution_state(wf, h.events).tasks["L"].state == "retry_wait"
    h.signal("noise")
    h.decision_task()
    assert step(wf, h) == []
    h.timer_fired("L#2#retry")
    h.decision_task()
    assert [attrs(d)["id"] for d in step(wf, h)] == ["L#2"]
    h.lambda_completed("L#2", "ok")
    h.decision_task()
    assert attrs(step(wf, h)[0])["result"] == '"ok"'


def test_retry_goes_ahead_when_its_timer_cannot_start(swf: Any) -> None:
    wf, h = lambda_wf(num_retries=1, time_between_retries=5), swf()
    step(wf, h)
    h.lambda_failed("L#1")
    h.decision_task()
    h.respond(decide(wf, h.events, execution=h.execution),
              reject={"L#2#retry": "TIMER_ID_ALREADY_IN_USE"})
    h.decision_task()
    assert [attrs(d)["id"] for d in step(wf, h)] == ["L#2"]


def test_throttled_schedule_does_not_use_up_retries(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    h.respond(decide(wf, h.events, execution=h.execution),
              reject={"L#1": "LAMBDA_FUNCTION_CREATION_RATE_EXCEEDED"})
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["StartTimer"]
    assert attrs(decisions[0])["timerId"] == "L#2#retry"
    h.timer_fired("L#2#retry")
    h.decision_task()
    assert [attrs(d)["id"] for d in step(wf, h)] == ["L#2"]


# -- activities ---------------------------------------------------------------------------


def activity_wf(**options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="A", activity_type="t", activity_version="1",
                               depends_on=[wf.start_task], **options))
    return wf


ACTIVITY_FAILURES: dict[str, tuple[Callable[[Any], None], str]] = {
    "failed": (lambda h: h.activity_failed("A#1", reason="ValueError"), "ValueError"),
    "start_to_close": (lambda h: h.activity_timed_out("A#1"),
                       "activity timed out (START_TO_CLOSE)"),
    "schedule_to_start": (lambda h: h.activity_timed_out("A#1", "SCHEDULE_TO_START"),
                          "activity timed out (SCHEDULE_TO_START)"),
    "schedule_to_close": (lambda h: h.activity_timed_out("A#1", "SCHEDULE_TO_CLOSE"),
                          "activity timed out (SCHEDULE_TO_CLOSE)"),
    "heartbeat": (lambda h: h.activity_timed_out("A#1", "HEARTBEAT"),
                  "activity timed out (HEARTBEAT)"),
    "canceled": (lambda h: h.activity_canceled("A#1"), "activity canceled"),
}


@pytest.mark.parametrize("case", sorted(ACTIVITY_FAILURES))
def test_activity_failure_is_retried_then_fails_the_workflow(swf: Any, case: str) -> None:
    wf, h = activity_wf(num_retries=1), swf()
    step(wf, h)
    fail, expected = ACTIVITY_FAILURES[case]
    fail(h)
    h.decision_task()
    assert [attrs(d)["activityId"] for d in step(wf, h)] == ["A#2"]
    h.activity_failed("A#2", reason="again")
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason == "task 'A' failed after 2 attempts: again"
    fresh = swf()
    step(wf_once := activity_wf(), fresh)
    fail(fresh)
    fresh.decision_task()
    reason, _ = failure_of(step(wf_once, fresh))
    assert reason.endswith(expected)


def test_schedule_activity_failed_fails_the_task(swf: Any) -> None:
    wf, h = activity_wf(), swf()
    h.respond(decide(wf, h.events, execution=h.execution),
              reject={"A#1": "ACTIVITY_TYPE_DOES_NOT_EXIST"})
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert reason == "task 'A' failed after 1 attempt: ScheduleActivityTask failed: " \
                     "ACTIVITY_TYPE_DOES_NOT_EXIST"


# -- timers -------------------------------------------------------------------------------


def test_start_timer_failed_fails_a_timer_task(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.TimerTask(name="T", duration=10))
    h = swf()
    h.respond(decide(wf, h.events, execution=h.execution),
              reject={"T#1": "TIMER_ID_ALREADY_IN_USE"})
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert reason == "task 'T' failed after 1 attempt: StartTimer failed: TIMER_ID_ALREADY_IN_USE"


# -- child workflows ----------------------------------------------------------------------

CHILD = f"order-17#Kid#1{RUN_SUFFIX}"


def child_wf(**options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="Other", workflow_version="1",
                               depends_on=[wf.start_task], **options))
    return wf


CHILD_FAILURES: dict[str, tuple[Callable[[Any], None], str]] = {
    "failed": (lambda h: h.child_closed(CHILD, "ChildWorkflowExecutionFailed", reason="bad",
                                        details="d"), "child workflow failed: bad"),
    "timed_out": (lambda h: h.child_closed(CHILD, "ChildWorkflowExecutionTimedOut",
                                           timeoutType="START_TO_CLOSE"),
                  "child workflow timed out (START_TO_CLOSE)"),
    "canceled": (lambda h: h.child_closed(CHILD, "ChildWorkflowExecutionCanceled", details="c"),
                 "child workflow canceled"),
    "terminated": (lambda h: h.child_closed(CHILD, "ChildWorkflowExecutionTerminated"),
                   "child workflow terminated"),
    "start_failed": (lambda h: h.start_child_failed(CHILD),
                     "StartChildWorkflowExecution failed: WORKFLOW_ALREADY_RUNNING"),
}


@pytest.mark.parametrize("case", sorted(CHILD_FAILURES))
def test_child_failure_is_retried_with_a_new_workflow_id(swf: Any, case: str) -> None:
    wf, h = child_wf(num_retries=1), swf()
    step(wf, h)
    fail, expected = CHILD_FAILURES[case]
    fail(h)
    h.decision_task()
    assert [attrs(d)["workflowId"] for d in step(wf, h)] == [f"order-17#Kid#2{RUN_SUFFIX}"]
    h.child_closed(f"order-17#Kid#2{RUN_SUFFIX}", "ChildWorkflowExecutionTerminated")
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason == "task 'Kid' failed after 2 attempts: child workflow terminated"
    fresh = swf()
    step(wf_once := child_wf(), fresh)
    fail(fresh)
    fresh.decision_task()
    reason, _ = failure_of(step(wf_once, fresh))
    assert reason.endswith(expected)


def test_child_rejected_before_initiation_fails_the_task(swf: Any) -> None:
    wf, h = child_wf(), swf()
    h.respond(decide(wf, h.events, execution=h.execution),
              reject={CHILD: "WORKFLOW_TYPE_DOES_NOT_EXIST"})
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert reason.endswith("StartChildWorkflowExecution failed: WORKFLOW_TYPE_DOES_NOT_EXIST")


# -- failing the workflow cancels outstanding work ------------------------------------------


def test_failure_cancels_outstanding_activities_timers_and_children(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    wf.add(pyflow.ActivityTask(name="A", activity_type="t", activity_version="1"))
    wf.add(pyflow.TimerTask(name="T", duration=60))
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="Other", workflow_version="1"))
    h = swf()
    assert len(step(wf, h)) == 4
    h.child_started(CHILD)
    h.lambda_failed("L#1")
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["RequestCancelActivityTask", "CancelTimer",
                                "RequestCancelExternalWorkflowExecution",
                                "FailWorkflowExecution"]
    assert attrs(decisions[0]) == {"activityId": "A#1"}
    assert attrs(decisions[1]) == {"timerId": "T#1"}
    assert attrs(decisions[2]) == {"workflowId": CHILD, "runId": h.child_runs[CHILD]}
    state = execution_state(wf, h.events, execution=h.execution)
    assert state.tasks["A"].state == "canceled"
    assert state.tasks["L"].state == "failed"


def test_long_failure_details_are_truncated_and_stay_json(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    h.lambda_failed("L#1", reason="R" * 256, details='"' * 40_000)
    h.decision_task()
    reason, details = failure_of(step(wf, h))
    assert reason.endswith("...[truncated by pyflow]")
    assert details["error"]["details"].endswith("...[truncated by pyflow]")
    assert details["task"] == "L"


def test_rejected_close_decision_is_decided_again(swf: Any) -> None:
    wf, h = lambda_wf(), swf()
    step(wf, h)
    h.lambda_failed("L#1")
    h.decision_task()
    decisions = decide(wf, h.events, execution=h.execution)
    assert [d["decisionType"] for d in decisions] == ["FailWorkflowExecution"]
    h.add("DecisionTaskCompleted", scheduledEventId=1, startedEventId=2)
    h.add("FailWorkflowExecutionFailed", cause="UNHANDLED_DECISION",
          decisionTaskCompletedEventId=len(h.events))
    h.signal("late")
    h.decision_task()
    assert decide(wf, h.events, execution=h.execution) == decisions
