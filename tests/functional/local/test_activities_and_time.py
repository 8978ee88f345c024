"""Activity heartbeats, cancellation and the four activity timeouts; execution timeouts,
termination and cancellation; all on virtual time."""

from __future__ import annotations

import time

import pytest

from tests.support.swf import DOMAIN, activity, attrs, decision, timer


def _timed_out(env) -> dict:
    task = env.poll()
    events = [e for e in task["events"] if e["eventType"] == "ActivityTaskTimedOut"]
    assert events, [e["eventType"] for e in task["events"]]
    return attrs(events[0])


def test_schedule_to_start_timeout_when_no_worker_polls(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", scheduleToStartTimeout="5"))
    assert _timed_out(env) == {"timeoutType": "SCHEDULE_TO_START", "scheduledEventId": 5,
                               "startedEventId": 0}


def test_schedule_to_close_timeout_covers_queue_time(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", scheduleToCloseTimeout="5"))
    assert _timed_out(env)["timeoutType"] == "SCHEDULE_TO_CLOSE"


def test_start_to_close_timeout_when_the_worker_never_answers(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", startToCloseTimeout="1"))
    work = env.poll_activity()  # held: virtual time now follows real time for one second
    timed_out = _timed_out(env)
    assert timed_out == {"timeoutType": "START_TO_CLOSE", "scheduledEventId": 5,
                         "startedEventId": 6}
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.respond_activity_task_completed(taskToken=work["taskToken"])


def test_heartbeat_timeout_reports_the_last_heartbeat_details(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", heartbeatTimeout="1"))
    work = env.poll_activity()
    status = env.client.record_activity_task_heartbeat(taskToken=work["taskToken"],
                                                       details="50%")
    assert status["cancelRequested"] is False
    timed_out = _timed_out(env)
    assert timed_out["timeoutType"] == "HEARTBEAT"
    assert timed_out["details"] == "50%"
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.record_activity_task_heartbeat(taskToken=work["taskToken"])


def test_heartbeats_keep_an_activity_alive_while_virtual_time_waits(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", heartbeatTimeout="10"), timer("t", 1000))
    work = env.poll_activity()
    for _ in range(3):
        time.sleep(0.1)  # a started task holds the clock to real time: no jump to 1000 s
        env.client.record_activity_task_heartbeat(taskToken=work["taskToken"])
    env.client.respond_activity_task_completed(taskToken=work["taskToken"], result="ok")
    assert "ActivityTaskTimedOut" not in env.types()
    assert "ActivityTaskCompleted" in env.types()


def test_cancelling_an_activity_before_it_starts_cancels_it_at_once(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"))
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="stop")
    env.decide(env.poll(), decision("RequestCancelActivityTask", activityId="a1"))
    events = env.history()
    types = [e["eventType"] for e in events]
    assert types[-3:] == ["ActivityTaskCancelRequested", "ActivityTaskCanceled",
                          "DecisionTaskScheduled"]
    requested, canceled = attrs(events[-3]), attrs(events[-2])
    assert requested["activityId"] == "a1"
    assert canceled["latestCancelRequestedEventId"] == events[-3]["eventId"]
    assert canceled["scheduledEventId"] == 5
    count = env.client.count_pending_activity_tasks(domain=DOMAIN, taskList={"name": "workers"})
    assert count["count"] == 0


def test_cancelling_a_started_activity_is_seen_by_its_heartbeat(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"))
    work = env.poll_activity()
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="stop")
    env.decide(env.poll(), decision("RequestCancelActivityTask", activityId="a1"))
    assert env.types()[-1] == "ActivityTaskCancelRequested"  # no decision task for it
    status = env.client.record_activity_task_heartbeat(taskToken=work["taskToken"])
    assert status["cancelRequested"] is True
    env.client.respond_activity_task_canceled(taskToken=work["taskToken"], details="stopped")
    canceled = attrs(env.history()[-2])
    assert canceled["details"] == "stopped" and canceled["startedEventId"] == 6


def test_cancelling_an_unknown_activity_fails_the_decision(env) -> None:
    env.start()
    env.decide(env.poll(), decision("RequestCancelActivityTask", activityId="nope"))
    failed = [attrs(e) for e in env.history()
              if e["eventType"] == "RequestCancelActivityTaskFailed"]
    assert failed[0]["cause"] == "ACTIVITY_ID_UNKNOWN"


def test_execution_times_out_on_virtual_time(env) -> None:
    env.start(executionStartToCloseTimeout="60")
    env.decide(env.poll(), timer("t", 3600))
    deadline = time.monotonic() + 5
    while env.status() == "OPEN" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert env.status() == "TIMED_OUT"
    assert attrs(env.history()[-1]) == {"timeoutType": "START_TO_CLOSE",
                                        "childPolicy": "TERMINATE"}


def test_execution_waiting_only_for_a_signal_is_not_timed_out_by_virtual_time(env) -> None:
    env.start(executionStartToCloseTimeout="60")
    env.decide(env.poll())
    time.sleep(0.4)  # nothing is due but the execution timeout: no jump may reach it
    assert env.status() == "OPEN"
    env.engine.advance(61)
    assert env.status() == "TIMED_OUT"


def test_terminate_closes_at_once_and_kills_task_tokens(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"))
    work = env.poll_activity()
    env.client.terminate_workflow_execution(domain=DOMAIN, workflowId="w1", reason="stop",
                                            details="by test")
    assert env.status() == "TERMINATED"
    assert attrs(env.history()[-1]) == {"reason": "stop", "details": "by test",
                                        "childPolicy": "TERMINATE",
                                        "cause": "OPERATOR_INITIATED"}
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.respond_activity_task_completed(taskToken=work["taskToken"])


def test_cancel_request_is_left_to_the_decider(env) -> None:
    env.start()
    env.decide(env.poll())
    env.client.request_cancel_workflow_execution(domain=DOMAIN, workflowId="w1")
    assert env.describe()["executionInfo"]["cancelRequested"] is True
    task = env.poll()
    assert "WorkflowExecutionCancelRequested" in [e["eventType"] for e in task["events"]]
    env.decide(task, decision("CancelWorkflowExecution", details="bye"))
    assert env.status() == "CANCELED"
    assert attrs(env.history()[-1])["details"] == "bye"


def test_activity_priority_orders_delivery(env) -> None:
    env.start()
    env.decide(env.poll(), activity("low", taskPriority="1"), activity("high", taskPriority="9"),
               activity("mid", taskPriority="5"))
    order = [env.poll_activity()["activityId"] for _ in range(3)]
    assert order == ["high", "mid", "low"]
