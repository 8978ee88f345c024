"""The same activity/timer workflows on moto and on LocalSWF end the same way.

Both are driven through boto3 by the same tiny decider and worker below, so any difference
is a difference between the engines (moto's known defects, listed in the semantics
reference, do not affect these workflows)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from moto import mock_aws

from pyflow.local import LocalSWF
from tests.support.swf import check_engine_fidelity

DOMAIN, DECIDER, WORKERS = "parity", "decider", "workers"
Decide = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def _register(client: Any) -> None:
    client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(
        domain=DOMAIN, name="wf", version="1", defaultTaskList={"name": DECIDER},
        defaultChildPolicy="TERMINATE", defaultExecutionStartToCloseTimeout="600",
        defaultTaskStartToCloseTimeout="60")
    client.register_activity_type(
        domain=DOMAIN, name="shout", version="1", defaultTaskList={"name": WORKERS},
        defaultTaskScheduleToStartTimeout="60", defaultTaskScheduleToCloseTimeout="120",
        defaultTaskStartToCloseTimeout="60", defaultTaskHeartbeatTimeout="60")


def _schedule(activity_id: str, text: str) -> dict[str, Any]:
    return {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": {
        "activityId": activity_id, "activityType": {"name": "shout", "version": "1"},
        "input": text}}


def _close(kind: str, **attrs: Any) -> dict[str, Any]:
    return {"decisionType": kind, kind[0].lower() + kind[1:] + "DecisionAttributes": attrs}


def _results(events: list[dict[str, Any]]) -> dict[str, str]:
    """Completed activity results by activity id."""
    ids = {e["eventId"]: e["activityTaskScheduledEventAttributes"]["activityId"]
           for e in events if e["eventType"] == "ActivityTaskScheduled"}
    return {ids[e["activityTaskCompletedEventAttributes"]["scheduledEventId"]]:
            e["activityTaskCompletedEventAttributes"].get("result", "")
            for e in events if e["eventType"] == "ActivityTaskCompleted"}


def activity_then_timer(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    types = [e["eventType"] for e in events]
    if "ActivityTaskFailed" in types:
        failed = [e for e in events if e["eventType"] == "ActivityTaskFailed"][0]
        return [_close("FailWorkflowExecution",
                       reason=failed["activityTaskFailedEventAttributes"]["reason"])]
    if "TimerFired" in types:
        return [_close("CompleteWorkflowExecution", result=_results(events)["a1"])]
    if "ActivityTaskCompleted" in types and "TimerStarted" not in types:
        return [{"decisionType": "StartTimer", "startTimerDecisionAttributes": {
            "timerId": "pause", "startToFireTimeout": "1"}}]
    if "ActivityTaskScheduled" not in types:
        text = events[0]["workflowExecutionStartedEventAttributes"]["input"]
        return [_schedule("a1", text)]
    return []


def fan_out(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    types = [e["eventType"] for e in events]
    if "ActivityTaskScheduled" not in types:
        return [_schedule(f"a{i}", f"part{i}") for i in range(3)]
    results = _results(events)
    if len(results) == 3:
        return [_close("CompleteWorkflowExecution",
                       result=json.dumps([results[f"a{i}"] for i in range(3)]))]
    return []


def worker(text: str) -> tuple[str, str]:
    if text == "fail":
        return "failed", "refused"
    return "completed", text.upper()


def drive(client: Any, decide: Decide, text: str) -> tuple[str, dict[str, Any]]:
    """Start one execution and run decider and worker until it closes; return the close
    status and the closing event's attributes."""
    run_id = client.start_workflow_execution(domain=DOMAIN, workflowId="p1", input=text,
                                             workflowType={"name": "wf", "version": "1"})["runId"]
    execution = {"workflowId": "p1", "runId": run_id}
    for _ in range(30):
        task = client.poll_for_decision_task(domain=DOMAIN, taskList={"name": DECIDER})
        if task.get("taskToken"):
            decisions = decide(task["events"])
            client.respond_decision_task_completed(taskToken=task["taskToken"],
                                                   decisions=decisions)
            for _ in [d for d in decisions if d["decisionType"] == "ScheduleActivityTask"]:
                work = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": WORKERS})
                outcome, value = worker(work.get("input", ""))
                if outcome == "failed":
                    client.respond_activity_task_failed(taskToken=work["taskToken"],
                                                        reason=value)
                else:
                    client.respond_activity_task_completed(taskToken=work["taskToken"],
                                                           result=value)
        info = client.describe_workflow_execution(domain=DOMAIN, execution=execution)
        if info["executionInfo"]["executionStatus"] == "CLOSED":
            last = client.get_workflow_execution_history(
                domain=DOMAIN, execution=execution, reverseOrder=True)["events"][0]
            (key,) = [k for k in last if k.endswith("EventAttributes")]
            closing = {k: v for k, v in last[key].items() if k != "decisionTaskCompletedEventId"}
            return info["executionInfo"]["closeStatus"], closing
    raise AssertionError("the execution did not close")


def on_moto(decide: Decide, text: str) -> tuple[str, dict[str, Any]]:
    with mock_aws():
        client = boto3.client("swf", region_name="us-east-1", aws_access_key_id="x",
                              aws_secret_access_key="x")
        _register(client)
        return drive(client, decide, text)


def on_local(decide: Decide, text: str) -> tuple[str, dict[str, Any]]:
    with LocalSWF(virtual_time=True, poll_timeout=2) as engine:
        client = engine.client()
        _register(client)
        outcome = drive(client, decide, text)
        check_engine_fidelity(engine)
        return outcome


@pytest.mark.parametrize("decide, text, expected", [
    (activity_then_timer, "hello", ("COMPLETED", {"result": "HELLO"})),
    (activity_then_timer, "fail", ("FAILED", {"reason": "refused"})),
    (fan_out, "", ("COMPLETED", {"result": json.dumps(["PART0", "PART1", "PART2"])})),
])
def test_moto_and_local_swf_agree(decide: Decide, text: str, expected: tuple) -> None:
    local = on_local(decide, text)
    assert local == expected
    assert on_moto(decide, text) == local
