"""Child workflows, child policies, external signals and cancel requests, continue-as-new."""

from __future__ import annotations

import pytest

from tests.support.swf import DOMAIN, attrs, complete, decision, fail, timer


@pytest.fixture
def kids(env):
    env.register_workflow("child", defaultTaskList={"name": "kids"})
    return env


def _start_child(workflow_id: str = "c1", **extra) -> dict:
    return decision("StartChildWorkflowExecution", workflowId=workflow_id,
                    workflowType={"name": "child", "version": "1"}, input="in", **extra)


def _events(env, workflow_id: str, event_type: str) -> list[dict]:
    return [attrs(e) for e in env.history(workflow_id) if e["eventType"] == event_type]


def test_child_runs_and_its_result_reaches_the_parent(kids) -> None:
    env = kids
    parent_run = env.start()
    env.decide(env.poll(), _start_child(control="ctl"))
    child_task = env.poll("kids")
    started = attrs(child_task["events"][0])
    assert started["parentWorkflowExecution"] == {"workflowId": "w1", "runId": parent_run}
    assert started["parentInitiatedEventId"] == 5
    assert started["input"] == "in"
    assert env.describe("c1")["executionInfo"]["parent"]["workflowId"] == "w1"
    env.decide(child_task, complete("child-result"))
    types = env.types()
    assert types[4:8] == ["StartChildWorkflowExecutionInitiated", "ChildWorkflowExecutionStarted",
                          "DecisionTaskScheduled", "ChildWorkflowExecutionCompleted"]
    done = _events(env, "w1", "ChildWorkflowExecutionCompleted")[0]
    assert done["result"] == "child-result"
    assert done["initiatedEventId"] == 5 and done["startedEventId"] == 6
    assert done["workflowExecution"]["workflowId"] == "c1"
    assert _events(env, "w1", "StartChildWorkflowExecutionInitiated")[0]["control"] == "ctl"


def test_failed_child_reports_reason_and_details(kids) -> None:
    env = kids
    env.start()
    env.decide(env.poll(), _start_child())
    env.decide(env.poll("kids"), fail("bad", "worse"))
    failed = _events(env, "w1", "ChildWorkflowExecutionFailed")[0]
    assert failed["reason"] == "bad" and failed["details"] == "worse"


def test_child_of_unknown_type_fails_without_an_initiated_event(kids) -> None:
    env = kids
    env.start()
    env.decide(env.poll(), decision("StartChildWorkflowExecution", workflowId="c1",
                                    workflowType={"name": "ghost", "version": "1"}))
    failed = _events(env, "w1", "StartChildWorkflowExecutionFailed")[0]
    assert failed["cause"] == "WORKFLOW_TYPE_DOES_NOT_EXIST"
    assert failed["initiatedEventId"] == 0
    assert "StartChildWorkflowExecutionInitiated" not in env.types()


def test_child_with_a_running_workflow_id_fails(kids) -> None:
    env = kids
    env.start("c1", workflow="child")
    env.start()
    env.decide(env.poll(), _start_child("c1"))
    failed = _events(env, "w1", "StartChildWorkflowExecutionFailed")[0]
    assert failed["cause"] == "WORKFLOW_ALREADY_RUNNING"
    assert failed["initiatedEventId"] == 5


def test_terminate_child_policy_applies_when_the_parent_completes(kids) -> None:
    env = kids
    env.start(childPolicy="TERMINATE")
    env.decide(env.poll(), _start_child(childPolicy="ABANDON"))
    env.decide(env.poll(), complete())
    assert env.status("c1") == "TERMINATED"
    assert _events(env, "c1", "WorkflowExecutionTerminated")[0] == {
        "childPolicy": "ABANDON", "cause": "CHILD_POLICY_APPLIED"}
    assert env.types()[-1] == "WorkflowExecutionCompleted"  # parent records nothing after


def test_request_cancel_child_policy_asks_the_child_to_cancel(kids) -> None:
    env = kids
    parent_run = env.start(childPolicy="REQUEST_CANCEL")
    env.decide(env.poll(), _start_child())
    env.decide(env.poll(), complete())
    assert env.status("c1") == "OPEN"
    requested = _events(env, "c1", "WorkflowExecutionCancelRequested")[0]
    assert requested == {"cause": "CHILD_POLICY_APPLIED",
                         "externalWorkflowExecution": {"workflowId": "w1", "runId": parent_run}}


def test_abandon_child_policy_leaves_the_child_running(kids) -> None:
    env = kids
    env.start(childPolicy="ABANDON")
    env.decide(env.poll(), _start_child())
    env.decide(env.poll(), complete())
    assert env.status("c1") == "OPEN"
    assert "WorkflowExecutionCancelRequested" not in env.types("c1")


def test_terminate_applies_its_child_policy_override(kids) -> None:
    env = kids
    env.start(childPolicy="ABANDON")
    env.decide(env.poll(), _start_child())
    env.client.terminate_workflow_execution(domain=DOMAIN, workflowId="w1",
                                            childPolicy="TERMINATE")
    assert env.status("c1") == "TERMINATED"


def test_child_timing_out_is_reported_to_the_parent(kids) -> None:
    env = kids
    env.start()
    env.decide(env.poll(), _start_child(executionStartToCloseTimeout="30"))
    env.decide(env.poll("kids"), timer("forever", 3600))
    timed_out = _events(env, "w1", "ChildWorkflowExecutionTimedOut")
    while not timed_out:
        env.decide(env.poll())
        timed_out = _events(env, "w1", "ChildWorkflowExecutionTimedOut")
    assert timed_out[0]["timeoutType"] == "START_TO_CLOSE"


def test_signal_external_delivers_to_the_target(kids) -> None:
    env = kids
    env.start("target")
    env.decide(env.poll())
    source_run = env.start("source")
    env.decide(env.poll(), decision("SignalExternalWorkflowExecution", workflowId="target",
                                    signalName="hello", input="hi", control="c"))
    signaled = _events(env, "target", "WorkflowExecutionSignaled")[0]
    initiated_id = [e for e in env.history("source")
                    if e["eventType"] == "SignalExternalWorkflowExecutionInitiated"][0]["eventId"]
    assert signaled == {"signalName": "hello", "input": "hi",
                        "externalWorkflowExecution": {"workflowId": "source",
                                                      "runId": source_run},
                        "externalInitiatedEventId": initiated_id}
    ack = _events(env, "source", "ExternalWorkflowExecutionSignaled")[0]
    assert ack["initiatedEventId"] == initiated_id


def test_signal_to_an_unknown_execution_fails_after_the_initiated_event(env) -> None:
    env.start()
    env.decide(env.poll(), decision("SignalExternalWorkflowExecution", workflowId="nobody",
                                    signalName="hello"))
    types = env.types()
    assert types.index("SignalExternalWorkflowExecutionInitiated") < types.index(
        "SignalExternalWorkflowExecutionFailed")
    failed = _events(env, "w1", "SignalExternalWorkflowExecutionFailed")[0]
    assert failed["cause"] == "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION"


def test_cancelling_a_child_that_cancels_reports_child_canceled(kids) -> None:
    env = kids
    env.start()
    env.decide(env.poll(), _start_child())
    env.decide(env.poll("kids"))
    env.decide(env.poll(), decision("RequestCancelExternalWorkflowExecution", workflowId="c1"))
    assert _events(env, "w1", "ExternalWorkflowExecutionCancelRequested")
    child_task = env.poll("kids")
    requested = [attrs(e) for e in child_task["events"]
                 if e["eventType"] == "WorkflowExecutionCancelRequested"][0]
    assert requested["externalWorkflowExecution"]["workflowId"] == "w1"
    env.decide(child_task, decision("CancelWorkflowExecution", details="as asked"))
    assert _events(env, "w1", "ChildWorkflowExecutionCanceled")[0]["details"] == "as asked"


def test_continue_as_new_starts_a_linked_run(env) -> None:
    first = env.start(input="one")
    env.decide(env.poll(), decision("ContinueAsNewWorkflowExecution", input="two"))
    continued = attrs(env.history("w1", first)[-1])
    assert env.describe("w1", first)["executionInfo"]["closeStatus"] == "CONTINUED_AS_NEW"
    second = continued["newExecutionRunId"]
    started = attrs(env.history("w1", second)[0])
    assert started["continuedExecutionRunId"] == first
    assert started["input"] == "two"
    assert env.poll()["workflowExecution"] == {"workflowId": "w1", "runId": second}


def test_terminating_a_child_is_reported_to_the_parent(kids) -> None:
    env = kids
    env.start()
    env.decide(env.poll(), _start_child())
    env.client.terminate_workflow_execution(domain=DOMAIN, workflowId="c1")
    terminated = _events(env, "w1", "ChildWorkflowExecutionTerminated")[0]
    assert terminated["workflowExecution"]["workflowId"] == "c1"
    task = env.poll()  # the event joined the decision task ChildWorkflowExecutionStarted woke
    assert "ChildWorkflowExecutionTerminated" in [e["eventType"] for e in task["events"]]
