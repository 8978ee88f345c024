"""Task context, signal notifiers and deadlines: how the outside world learns where to signal."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pyflow
from pyflow._decider import decide, execution_state
from pyflow._workflow._tokens import decode_token, encode_token

from .conftest import PARENT_ID, RUN_ID
from .test_failures import attrs, failure_of, kinds


def step(wf: pyflow.Workflow, h: Any) -> list[dict[str, Any]]:
    decisions: Any = decide(wf, h.events, execution=h.execution, domain="orders")
    h.respond(decisions)
    return list(decisions)


def approval(**signal: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("Approval", "1")
    wf.add(pyflow.SignalTask(name="Approve", signal_name="Approved", param={"order": 7},
                             depends_on=[wf.start_task], **signal))
    wf.add(pyflow.LambdaTask(name="Ship", lambda_function="ship", depends_on=["Approve"]))
    return wf


def test_pass_context_wraps_the_input_with_where_the_task_runs(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=[wf.start_task],
                             pass_context=True, num_retries=1))
    h = swf('"x"')
    (first,) = step(wf, h)
    context = {"domain": "orders", "workflow_id": PARENT_ID, "run_id": RUN_ID, "task": "L",
               "attempt": 1}
    assert json.loads(attrs(first)["input"]) == {"input": "x", "context": context}
    h.lambda_failed("L#1")
    (second,) = step(wf, h)
    assert json.loads(attrs(second)["input"])["context"]["attempt"] == 2


def test_a_waiting_signal_task_calls_its_notifier_with_a_callback_and_starts_its_deadline(
    swf: Any,
) -> None:
    wf, h = approval(notify="ask-approver", timeout=3600), swf('"x"')
    notify, deadline = step(wf, h)
    assert (kinds([notify, deadline])) == ["ScheduleLambdaFunction", "StartTimer"]
    call = attrs(notify)
    assert (call["id"], call["name"]) == ("Approve#1#notify", "ask-approver")
    callback = json.loads(call["input"])
    assert callback == {"domain": "orders", "workflow_id": PARENT_ID, "run_id": RUN_ID,
                        "signal_name": "Approved", "token": callback["token"], "attempt": 1,
                        "input": {"param": {"order": 7}, "inputs": {"start": "x"}}}
    assert decode_token(callback["token"]) == ("orders", PARENT_ID, "Approved")
    assert (attrs(deadline)["timerId"], attrs(deadline)["startToFireTimeout"]) == (
        "Approve#1#timeout", "3600")
    h.lambda_completed("Approve#1#notify", "asked")
    assert step(wf, h) == []  # the notifier is done; the task goes on waiting
    assert execution_state(wf, h.events).tasks["Approve"].state == "running"
    h.signal("Approved", '"yes"')
    (ship,) = step(wf, h)
    assert json.loads(attrs(ship)["input"]) == "yes"


def test_no_signal_within_the_timeout_fails_the_task(swf: Any) -> None:
    wf, h = approval(timeout=60), swf('"x"')
    step(wf, h)
    h.timer_fired("Approve#1#timeout")
    reason, details = failure_of(step(wf, h))
    assert reason == ("task 'Approve' failed after 1 attempt: no signal 'Approved' arrived "
                      "within 60 s")
    assert details["error"]["type"] == "Timeout"


def test_a_retried_signal_task_notifies_again_and_a_late_signal_still_counts(swf: Any) -> None:
    retry = pyflow.RetryPolicy(max_attempts=2, initial_interval=0)
    wf, h = approval(notify="ask-approver", timeout=60, retry=retry), swf('"x"')
    step(wf, h)
    h.lambda_completed("Approve#1#notify", None)
    h.timer_fired("Approve#1#timeout")
    again = step(wf, h)
    assert [attrs(d).get("id") or attrs(d)["timerId"] for d in again] == [
        "Approve#2#notify", "Approve#2#timeout"]
    assert json.loads(attrs(again[0])["input"])["attempt"] == 2
    h.signal("Approved", '"ok"')
    assert kinds(step(wf, h)) == ["ScheduleLambdaFunction"]  # Ship
    assert execution_state(wf, h.events).tasks["Approve"].attempts == 2


def test_a_failed_notifier_fails_the_attempt(swf: Any) -> None:
    wf, h = approval(notify="ask-approver"), swf('"x"')
    step(wf, h)
    h.lambda_failed("Approve#1#notify")
    reason, _ = failure_of(step(wf, h))
    assert reason.startswith("task 'Approve' failed after 1 attempt: the notifier failed: "
                             "UnhandledError")


def test_a_signal_that_came_before_the_task_was_active_needs_no_notifier(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.TimerTask(name="First", duration=5, depends_on=[wf.start_task]))
    wf.add(pyflow.SignalTask(name="Go", notify="ask", timeout=60, depends_on=["First"]))
    h = swf('"x"')
    step(wf, h)
    h.signal("Go", '"early"')
    h.timer_fired("First#1")
    assert kinds(step(wf, h)) == ["CompleteWorkflowExecution"]


def test_an_activity_can_be_the_notifier(swf: Any) -> None:
    @pyflow.activity(name="page", version="1", task_list="humans")
    def page(callback: Any) -> None:
        return None

    wf, h = approval(notify=page), swf('"x"')
    (call,) = step(wf, h)
    assert attrs(call)["activityId"] == "Approve#1#notify"
    assert attrs(call)["taskList"] == {"name": "humans"}
    h.activity_completed("Approve#1#notify", None)
    assert step(wf, h) == []


@pytest.mark.parametrize("token", ["", "nope", "pyflow-signal-1.!!!", 7,
                                   "pyflow-signal-1." + "W10"])
def test_a_token_pyflow_did_not_make_is_refused(token: Any) -> None:
    with pytest.raises(pyflow.InvalidArgumentError, match="signal token|is not a pyflow signal"):
        decode_token(token)


def test_tokens_round_trip() -> None:
    token = encode_token(None, "order-17#Ship#1", "Approved")
    assert decode_token(token) == (None, "order-17#Ship#1", "Approved")
    assert all(c.isalnum() or c in "-_." for c in token)


def test_bad_notify_and_timeout_are_definition_errors() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'S': notify must be a Lambda"):
        pyflow.SignalTask(name="S", notify=3)  # type: ignore[arg-type]
    with pytest.raises(pyflow.DefinitionError, match="task 'S': timeout must be"):
        pyflow.SignalTask(name="S", timeout=0)
