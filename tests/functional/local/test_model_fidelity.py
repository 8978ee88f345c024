"""Fidelity to botocore's SWF model. Every test's engine is checked on teardown (see
conftest: each response against its output shape, each history event against HistoryEvent);
these tests check the checker and that a broad workflow covers the event types pyflow uses."""

from __future__ import annotations

import threading
import time

from pyflow.local import LocalSWF
from tests.support.swf import (
    DOMAIN,
    activity,
    check_engine_fidelity,
    complete,
    decision,
    event_problems,
    lambda_,
    output_problems,
    timer,
)


def test_checker_rejects_misnamed_missing_and_mistyped_attributes() -> None:
    good = {"eventId": 1, "eventType": "TimerFired", "eventTimestamp": 1.5,
            "timerFiredEventAttributes": {"timerId": "t", "startedEventId": 2}}
    assert event_problems(good) == []
    renamed = {**good, "timerFiredEventAttributes": {"timerId": "t", "startedEventID": 2}}
    assert any("startedEventID" in p for p in event_problems(renamed))
    assert any("required" in p for p in event_problems(renamed))
    wrong_key = {"eventId": 1, "eventType": "TimerCancelled", "eventTimestamp": 1.0,
                 "timerCancelledEventAttributes": {}}
    assert event_problems(wrong_key) == ["unknown eventType 'TimerCancelled'"]
    mistyped = {**good, "timerFiredEventAttributes": {"timerId": "t", "startedEventId": "2"}}
    assert event_problems(mistyped)
    assert output_problems("DescribeDomain", {"domainInfo": {"name": "d"}})


def test_a_broad_workflow_produces_only_model_conformant_events(env) -> None:
    env.register_workflow("child", defaultTaskList={"name": "kids"})
    env.engine.add_lambda("ok", lambda event, context: event)
    env.engine.add_lambda("bad", lambda event, context: 1 / 0)
    release = threading.Event()
    env.engine.add_lambda("slow", lambda event, context: release.wait(5))
    env.start()
    first = env.poll()
    env.start("other")
    env.decide(first, lambda_("l1", "ok", 1), lambda_("l2", "bad", 2),
               lambda_("l3", "slow", 3, startToCloseTimeout="1"),
               activity("a1"), activity("a2", scheduleToStartTimeout="5"), timer("t1", 10),
               timer("t2", 99), decision("RecordMarker", markerName="m"),
               decision("StartChildWorkflowExecution", workflowId="c1",
                        workflowType={"name": "child", "version": "1"}),
               decision("SignalExternalWorkflowExecution", workflowId="other",
                        signalName="s"),
               decision("RequestCancelExternalWorkflowExecution", workflowId="nobody"),
               decision("CancelTimer", timerId="t2"), decision("CancelTimer", timerId="zz"))
    release.set()
    work = env.poll_activity()
    env.client.respond_activity_task_completed(taskToken=work["taskToken"], result="r")
    env.decide(env.poll("kids"), complete("child"))
    for _ in range(6):
        task = env.poll()
        if task["workflowExecution"]["workflowId"] == "w1":
            env.decide(task, decision("RequestCancelActivityTask", activityId="a2"),
                       decision("RequestCancelActivityTask", activityId="a2"))
            break
        env.decide(task)
    # Lambda handlers run on the engine's worker pool: wait until both have reported.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not {
        "LambdaFunctionCompleted", "LambdaFunctionFailed"
    } <= {e["eventType"] for e in env.history("w1")}:
        time.sleep(0.01)
    env.client.terminate_workflow_execution(domain=DOMAIN, workflowId="w1")
    check_engine_fidelity(env.engine)
    produced = {e["eventType"] for e in env.history("w1")}
    assert {"LambdaFunctionCompleted", "LambdaFunctionFailed", "ActivityTaskCompleted",
            "TimerCanceled", "CancelTimerFailed", "MarkerRecorded",
            "ChildWorkflowExecutionCompleted", "ExternalWorkflowExecutionSignaled",
            "RequestCancelExternalWorkflowExecutionFailed", "ActivityTaskCanceled",
            "RequestCancelActivityTaskFailed", "WorkflowExecutionTerminated"} <= produced


def test_real_time_engine_events_carry_wall_clock_timestamps() -> None:
    import time

    with LocalSWF() as engine:
        from tests.support.swf import Env

        env = Env(engine)
        env.start()
        stamp = env.history()[0]["eventTimestamp"].timestamp()
        assert abs(stamp - time.time()) < 5
        check_engine_fidelity(engine)
