"""A RespondDecisionTaskCompleted batch is checked whole before anything is recorded: an
invalid value is a ValidationException naming the decision and attribute, the history is
untouched and the task token stays valid. An engine bug while applying never answers twice."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from pyflow.local import _decisions
from pyflow.local._ops import OPERATIONS
from tests.support.swf import attrs, complete, decision, lambda_, timer


def _child(**extra: Any) -> dict[str, Any]:
    return decision("StartChildWorkflowExecution", workflowId="c1",
                    workflowType={"name": "wf", "version": "1"}, **extra)


INVALID = [
    pytest.param(lambda_("l1", "f", startToCloseTimeout="NONE"),
                 "scheduleLambdaFunctionDecisionAttributes.startToCloseTimeout", id="lambda-NONE"),
    pytest.param(lambda_("l1", "f", startToCloseTimeout="901"),
                 "scheduleLambdaFunctionDecisionAttributes.startToCloseTimeout", id="lambda-901"),
    pytest.param(lambda_("l1", "f", startToCloseTimeout="0"),
                 "scheduleLambdaFunctionDecisionAttributes.startToCloseTimeout", id="lambda-0"),
    pytest.param(decision("StartTimer", timerId="t2", startToFireTimeout="NONE"),
                 "startTimerDecisionAttributes.startToFireTimeout", id="timer-NONE"),
    pytest.param(_child(executionStartToCloseTimeout="NONE"),
                 "startChildWorkflowExecutionDecisionAttributes.executionStartToCloseTimeout",
                 id="child-NONE"),
    pytest.param(_child(executionStartToCloseTimeout="31536001"),
                 "startChildWorkflowExecutionDecisionAttributes.executionStartToCloseTimeout",
                 id="child-over-a-year"),
    pytest.param(decision("ContinueAsNewWorkflowExecution", executionStartToCloseTimeout="NONE"),
                 "continueAsNewWorkflowExecutionDecisionAttributes.executionStartToCloseTimeout",
                 id="continue-as-new-NONE"),
]


@pytest.mark.parametrize(("bad", "attribute"), INVALID)
def test_an_invalid_value_rejects_the_whole_batch_and_keeps_the_token(
    env, bad: dict[str, Any], attribute: str
) -> None:
    env.start()
    task = env.poll()
    before = env.history()
    with pytest.raises(ClientError) as info:
        env.decide(task, timer("t1", 5), bad)
    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert f"decisions.2.member.{attribute}" in error["Message"]
    assert env.history() == before  # nothing recorded, not even DecisionTaskCompleted
    env.decide(task, complete("ok"))  # the same token still completes the task, once
    assert env.types().count("DecisionTaskCompleted") == 1
    assert env.status() == "COMPLETED"


def test_the_largest_lambda_timeout_is_accepted_as_given(env) -> None:
    env.engine.add_lambda("f", lambda event, context: 1)
    env.start()
    env.decide(env.poll(), lambda_("l1", "f", startToCloseTimeout="900"))
    scheduled = next(e for e in env.history() if e["eventType"] == "LambdaFunctionScheduled")
    assert attrs(scheduled)["startToCloseTimeout"] == "900"


def test_an_engine_bug_mid_batch_completes_the_task_once_and_reschedules(
    env, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setitem(_decisions._APPLY, "RecordMarker", broken)
    env.engine.add_lambda("f", lambda event, context: 7)
    env.start()
    task = env.poll()
    with pytest.raises(ClientError) as info:
        env.decide(task, lambda_("l1", "f"), decision("RecordMarker", markerName="m"),
                   timer("t2", 5))
    error = info.value.response["Error"]
    assert error["Code"] == "InternalFailure"
    assert "decision 2 (RecordMarker)" in error["Message"]
    types = env.types()
    assert types[3:6] == ["DecisionTaskCompleted", "LambdaFunctionScheduled",
                          "DecisionTaskScheduled"]
    assert "TimerStarted" not in types and types.count("DecisionTaskCompleted") == 1
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.decide(task, complete())  # the token was used up: no second completion
    for _ in range(3):  # the applied decision's Lambda still runs and reports back
        task = env.poll()
        if "LambdaFunctionCompleted" in [e["eventType"] for e in task["events"]]:
            break
        env.decide(task)
    env.decide(task, complete("recovered"))
    assert env.status() == "COMPLETED"


def test_only_a_body_that_is_not_json_is_a_serialization_exception(
    engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, body = engine.handle_json("ListDomains", b"{not json")
    assert status == 400 and b"SerializationException" in body

    def broken(core: Any, params: Any) -> Any:
        raise ValueError("an internal bug")

    monkeypatch.setitem(OPERATIONS, "ListDomains", broken)
    status, body = engine.handle_json("ListDomains", b'{"registrationStatus": "REGISTERED"}')
    assert status == 400
    assert b"InternalFailure" in body and b"SerializationException" not in body
