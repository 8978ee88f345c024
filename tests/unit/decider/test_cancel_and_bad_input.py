"""Cancellation, user-code errors, oversize payloads and histories the definition cannot
account for."""

from __future__ import annotations

import json
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


def fail_reason(decisions: list[dict[str, Any]]) -> str:
    assert kinds(decisions)[-1] == "FailWorkflowExecution", decisions
    a = attrs(decisions[-1])
    assert len(a["reason"]) <= 256 and len(a["details"]) <= 32768
    json.loads(a["details"])
    reason: str = a["reason"]
    return reason


# -- cancellation -------------------------------------------------------------------------


def test_cancel_request_cancels_outstanding_work_and_closes_as_canceled(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.ActivityTask(name="A", activity_type="t", activity_version="1"))
    wf.add(pyflow.TimerTask(name="T", duration=60))
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    wf.add(pyflow.LambdaTask(name="After", lambda_function="f", depends_on=[a]))
    h = swf()
    step(wf, h)
    h.cancel_request()
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["RequestCancelActivityTask", "CancelTimer",
                                "CancelWorkflowExecution"]
    state = execution_state(wf, h.events)
    assert state.status == "CANCELED"
    assert {n: t.state for n, t in state.tasks.items()} == {
        "start": "completed", "A": "canceled", "T": "canceled", "L": "canceled",
        "After": "waiting"}


def test_cancel_request_with_nothing_open_just_cancels(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.SignalTask(name="S"))
    h = swf()
    step(wf, h)
    h.cancel_request()
    h.decision_task()
    assert kinds(step(wf, h)) == ["CancelWorkflowExecution"]


def test_rejected_cancel_does_not_cancel_the_same_work_twice(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="A", activity_type="t", activity_version="1"))
    h = swf()
    step(wf, h)
    h.cancel_request()
    h.decision_task()
    h.respond([d for d in decide(wf, h.events) if d["decisionType"] != "CancelWorkflowExecution"])
    h.add("CancelWorkflowExecutionFailed", cause="UNHANDLED_DECISION",
          decisionTaskCompletedEventId=len(h.events))
    h.decision_task()
    assert kinds(decide(wf, h.events)) == ["CancelWorkflowExecution"]


# -- user code and payloads -----------------------------------------------------------------


def test_transform_input_raising_fails_the_task_at_once_without_retrying(swf: Any) -> None:
    def broken(value: Any) -> Any:
        raise KeyError("missing")

    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", transform_input=broken,
                             num_retries=5, depends_on=[wf.start_task]))
    h = swf('"x"')
    decisions = step(wf, h)
    reason = fail_reason(decisions)
    assert reason.startswith("task 'L': transform_input raised KeyError")
    details = json.loads(attrs(decisions[-1])["details"])
    assert "Traceback" in details["error"]["details"]
    assert details["attempts"] == 0
    state = execution_state(wf, h.events)
    assert state.tasks["L"].state == "failed"
    assert state.tasks["L"].last_error is not None
    assert "transform_input raised KeyError" in state.tasks["L"].last_error.reason


def test_input_that_is_not_json_serialisable_fails_the_task(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", transform_input=lambda v: {1, 2}))
    assert "not JSON-serialisable" in fail_reason(step(wf, swf()))


def test_an_oversize_param_is_refused_when_the_task_is_built() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'L': param is 40002 characters"):
        pyflow.LambdaTask(name="L", lambda_function="f", param="x" * 40_000)


def test_oversize_input_fails_the_task_saying_so(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", transform_input=lambda _: "x" * 40_000))
    reason = fail_reason(step(wf, swf()))
    assert "task 'L'" in reason
    assert "SWF accepts at most 32768" in reason


def test_oversize_workflow_result_fails_the_workflow(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    h = swf()
    step(wf, h)
    h.lambda_completed("L#1", raw=json.dumps("y" * 32_767))
    h.decision_task()
    reason = fail_reason(step(wf, h))
    assert reason.startswith("the workflow result is too large")


def test_failure_from_other_tasks_input_error_does_not_schedule_the_rest(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="Good", lambda_function="f"))
    wf.add(pyflow.LambdaTask(name="Bad", lambda_function="f", transform_input=lambda v: 1 / 0))
    assert kinds(step(wf, swf())) == ["FailWorkflowExecution"]


# -- histories the definition cannot account for ---------------------------------------------


def test_event_for_a_task_the_workflow_does_not_have_fails_clearly(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    h = swf()
    h.respond([])
    h.add("LambdaFunctionScheduled", id="Gone#1", name="f", decisionTaskCompletedEventId=3)
    h.decision_task()
    reason = fail_reason(decide(wf, h.events))  # type: ignore[arg-type]
    assert "'Gone#1'" in reason
    assert "does not have" in reason


def test_event_of_the_wrong_kind_for_a_task_fails_clearly(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    h = swf()
    h.respond([])
    h.add("ActivityTaskScheduled", activityId="L#1", activityType={"name": "t", "version": "1"},
          taskList={"name": "x"}, decisionTaskCompletedEventId=3)
    h.decision_task()
    assert "activity task 'L'" in fail_reason(decide(wf, h.events))  # type: ignore[arg-type]


def test_result_for_an_unknown_scheduled_event_fails_clearly(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    h = swf()
    h.add("LambdaFunctionCompleted", scheduledEventId=999, startedEventId=998, result="1")
    assert "999" in fail_reason(decide(wf, h.events))  # type: ignore[arg-type]


def test_unknown_event_type_fails_clearly(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    h = swf()
    h.add("SomethingNew")
    assert "unknown event type 'SomethingNew'" in fail_reason(decide(wf, h.events))  # type: ignore[arg-type]


def test_malformed_events_fail_clearly_instead_of_raising() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f"))
    for events in ([{"eventId": 1}], [{"eventType": "LambdaFunctionScheduled", "eventId": 1,
                                        "lambdaFunctionScheduledEventAttributes": None}]):
        decisions: list[dict[str, Any]] = decide(wf, events)  # type: ignore[arg-type, assignment]
        assert kinds(decisions) == ["FailWorkflowExecution"]


def test_history_without_a_start_event_fails_clearly() -> None:
    wf = pyflow.Workflow("W", "1")
    events = [{"eventId": 1, "eventType": "DecisionTaskScheduled",
               "decisionTaskScheduledEventAttributes": {"taskList": {"name": "d"}}}]
    assert "no WorkflowExecutionStarted" in fail_reason(decide(wf, events))  # type: ignore[arg-type]


def test_invalid_definition_fails_clearly_instead_of_raising(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=["Missing"]))
    assert "'Missing'" in fail_reason(decide(wf, swf().events))


def test_cancel_reaches_a_child_that_has_not_started_yet_by_workflow_id(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="C", workflow_version="1"))
    h = swf()
    step(wf, h)
    h.cancel_request()
    h.decision_task()
    decisions = step(wf, h)
    assert kinds(decisions) == ["RequestCancelExternalWorkflowExecution",
                                "CancelWorkflowExecution"]
    assert attrs(decisions[0]) == {"workflowId": f"order-17#Kid#1{RUN_SUFFIX}"}


def test_child_events_without_control_correlate_by_workflow_id(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="C", workflow_version="1"))
    h = swf()
    decisions: list[dict[str, Any]] = decide(wf, h.events)  # type: ignore[assignment]
    del attrs(decisions[0])["control"]
    h.respond(decisions)
    child_id = attrs(decisions[0])["workflowId"]
    h.child_closed(child_id, "ChildWorkflowExecutionCompleted", result="7")
    h.decision_task()
    assert kinds(decide(wf, h.events)) == ["CompleteWorkflowExecution"]  # type: ignore[arg-type]
