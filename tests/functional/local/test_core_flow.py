"""The core path a decider and workers take: start, poll, decide, Lambda, activity, timer,
signal, close, history and describe."""

from __future__ import annotations

import json
import threading
import time

import pytest

import pyflow
from pyflow.local import LocalSWF
from tests.support.swf import DOMAIN, activity, attrs, complete, fail, lambda_, timer


def test_start_records_started_and_schedules_a_decision_task(env) -> None:
    run_id = env.start(input="hello", tagList=["t1"])
    assert "+" in run_id or "/" in run_id or len(run_id) >= 40
    events = env.history()
    assert [e["eventType"] for e in events] == ["WorkflowExecutionStarted", "DecisionTaskScheduled"]
    started = attrs(events[0])
    assert started["input"] == "hello"
    assert started["taskList"] == {"name": "decider"}
    assert started["childPolicy"] == "TERMINATE"
    assert started["tagList"] == ["t1"]
    assert started["lambdaRole"].startswith("arn:aws:iam::")
    assert attrs(events[1])["startToCloseTimeout"] == "60"


def test_first_decision_task_carries_the_whole_history(env) -> None:
    env.start()
    task = env.poll(identity="decider-1")
    assert task["startedEventId"] == 3
    assert task["previousStartedEventId"] == 0
    assert task["workflowType"] == {"name": "wf", "version": "1"}
    assert [e["eventType"] for e in task["events"]] == [
        "WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted"]
    assert attrs(task["events"][2]) == {"identity": "decider-1", "scheduledEventId": 2}


def test_empty_poll_has_no_task_token_and_started_event_id_zero(engine: LocalSWF) -> None:
    engine.client().register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    with LocalSWF(poll_timeout=0.05) as quick:
        client = quick.client()
        client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
        began = time.monotonic()
        task = client.poll_for_decision_task(domain="d", taskList={"name": "none"})
        activity_task = client.poll_for_activity_task(domain="d", taskList={"name": "none"})
        assert time.monotonic() - began < 1.0
    assert "taskToken" not in task and task["startedEventId"] == 0
    assert "taskToken" not in activity_task and activity_task["startedEventId"] == 0


def test_long_poll_returns_as_soon_as_a_task_is_scheduled(env) -> None:
    result: dict = {}

    def poller() -> None:
        result.update(env.engine.client().poll_for_decision_task(
            domain=DOMAIN, taskList={"name": "decider"}))

    thread = threading.Thread(target=poller)
    thread.start()
    time.sleep(0.05)  # let the poll start waiting; the test is that it is woken, not timed out
    began = time.monotonic()
    env.start()
    thread.join(timeout=5)
    assert result.get("taskToken")
    assert time.monotonic() - began < 1.0  # well before the engine's 2 s poll timeout


def test_lambda_task_runs_the_added_handler(env) -> None:
    seen: list = []

    def upcase(event, context):
        seen.append((event, context.function_name, context.get_remaining_time_in_millis()))
        return event.upper()

    env.engine.add_lambda("string-upcase", upcase)
    env.start()
    env.decide(env.poll(), lambda_("up", "string-upcase", "abc", startToCloseTimeout="30"))
    task = env.poll()
    types = [e["eventType"] for e in task["events"]]
    assert types[4:8] == ["LambdaFunctionScheduled", "LambdaFunctionStarted",
                          "LambdaFunctionCompleted", "DecisionTaskScheduled"]
    done = attrs(task["events"][6])
    assert json.loads(done["result"]) == "ABC"
    assert done["scheduledEventId"] == 5 and done["startedEventId"] == 6
    assert seen[0][0] == "abc" and seen[0][1] == "string-upcase"
    assert 0 < seen[0][2] <= 30_000
    assert task["previousStartedEventId"] == 3


def test_activity_task_round_trip(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1", input="in"))
    work = env.poll_activity()
    assert work["activityId"] == "a1" and work["input"] == "in"
    assert work["activityType"] == {"name": "act", "version": "1"}
    env.client.respond_activity_task_completed(taskToken=work["taskToken"], result="out")
    task = env.poll()
    assert [e["eventType"] for e in task["events"]][4:8] == [
        "ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskCompleted",
        "DecisionTaskScheduled"]
    scheduled = attrs(task["events"][4])
    assert scheduled["taskList"] == {"name": "workers"}
    assert scheduled["startToCloseTimeout"] == "300"
    assert attrs(task["events"][6])["result"] == "out"
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.respond_activity_task_completed(taskToken=work["taskToken"], result="again")


def test_failed_activity_reports_reason_and_details(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"))
    work = env.poll_activity()
    env.client.respond_activity_task_failed(taskToken=work["taskToken"], reason="boom",
                                            details="trace")
    failed = attrs(env.poll()["events"][6])
    assert failed == {"reason": "boom", "details": "trace", "scheduledEventId": 5,
                      "startedEventId": 6}


def test_thirty_second_timer_fires_instantly_on_virtual_time(env) -> None:
    env.start()
    began_virtual, began = env.engine.now(), time.monotonic()
    env.decide(env.poll(), timer("nap", 30))
    task = env.poll()
    assert time.monotonic() - began < 1.5
    fired = [e for e in task["events"] if e["eventType"] == "TimerFired"]
    assert attrs(fired[0]) == {"timerId": "nap", "startedEventId": 5}
    assert env.engine.now() - began_virtual >= 30


def test_timer_fires_after_real_seconds_on_real_time() -> None:
    from tests.support.swf import Env

    with LocalSWF(virtual_time=False, poll_timeout=5) as engine:
        env = Env(engine)
        env.start()
        env.decide(env.poll(), timer("t", 1))
        began = time.monotonic()
        task = env.poll()
        assert 0.8 <= time.monotonic() - began < 4
        assert "TimerFired" in [e["eventType"] for e in task["events"]]


def test_complete_closes_the_execution_with_its_result(env) -> None:
    env.start()
    env.decide(env.poll(), complete("42"))
    info = env.describe()["executionInfo"]
    assert info["executionStatus"] == "CLOSED" and info["closeStatus"] == "COMPLETED"
    assert "closeTimestamp" in info
    assert attrs(env.history()[-1]) == {"result": "42", "decisionTaskCompletedEventId": 4}


def test_fail_closes_the_execution_as_failed(env) -> None:
    env.start()
    env.decide(env.poll(), fail("broken", "why"))
    assert env.status() == "FAILED"
    assert env.types()[-1] == "WorkflowExecutionFailed"
    assert attrs(env.history()[-1])["reason"] == "broken"


def test_signal_is_recorded_and_schedules_a_decision_task(env) -> None:
    env.start()
    env.decide(env.poll())
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="Go",
                                         input='{"x": 1}')
    task = env.poll()
    signaled = [e for e in task["events"] if e["eventType"] == "WorkflowExecutionSignaled"]
    assert attrs(signaled[0]) == {"signalName": "Go", "input": '{"x": 1}'}


def test_signal_without_input_is_accepted(env) -> None:
    env.start()
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="Go")
    assert env.types()[-1] == "WorkflowExecutionSignaled"


def test_signalling_a_closed_execution_raises_unknown_resource(env) -> None:
    env.start()
    env.decide(env.poll(), complete())
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="Go")


def test_decision_task_history_pages_with_next_page_token(env) -> None:
    env.start()
    for i in range(3):
        env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName=f"s{i}")
    first = env.poll(maximumPageSize=2)
    assert len(first["events"]) == 2 and first["nextPageToken"]
    second = env.client.poll_for_decision_task(
        domain=DOMAIN, taskList={"name": "decider"}, maximumPageSize=2,
        nextPageToken=first["nextPageToken"])
    assert second["taskToken"] == first["taskToken"]
    assert [e["eventId"] for e in second["events"]] == [3, 4]
    pages = env.client.get_paginator("poll_for_decision_task")
    env.decide(first)
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName="late")
    full = pages.paginate(domain=DOMAIN, taskList={"name": "decider"},
                          maximumPageSize=3).build_full_result()
    assert [e["eventId"] for e in full["events"]] == list(range(1, full["startedEventId"] + 1))


def test_reverse_order_puts_the_newest_event_first(env) -> None:
    env.start()
    task = env.poll(reverseOrder=True)
    assert [e["eventId"] for e in task["events"]] == [3, 2, 1]


def test_describe_counts_open_work(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"), timer("t", 100),
               lambda_("l", "never-added", "x"))
    counts = env.describe()["openCounts"]
    assert counts["openActivityTasks"] == 1
    assert counts["openTimers"] == 1
    assert counts["openDecisionTasks"] == 1  # StartLambdaFunctionFailed woke the decider
    assert counts["openLambdaFunctions"] == 0


def test_starting_an_open_workflow_id_twice_raises(env) -> None:
    env.start()
    with pytest.raises(env.client.exceptions.WorkflowExecutionAlreadyStartedFault):
        env.start()


def test_closed_workflow_id_may_be_reused(env) -> None:
    first = env.start()
    env.decide(env.poll(), complete())
    assert env.start() != first


def test_missing_defaults_raise_default_undefined(env) -> None:
    env.client.register_workflow_type(domain=DOMAIN, name="bare", version="1")
    with pytest.raises(env.client.exceptions.DefaultUndefinedFault):
        env.start(workflow="bare")


def test_closing_the_engine_releases_waiting_pollers() -> None:
    engine = LocalSWF(poll_timeout=30)
    client = engine.client()
    client.register_domain(name="d", workflowExecutionRetentionPeriodInDays="1")
    result: dict = {}
    thread = threading.Thread(target=lambda: result.update(client.poll_for_decision_task(
        domain="d", taskList={"name": "t"})))
    thread.start()
    time.sleep(0.05)
    engine.close()
    thread.join(timeout=5)
    assert not thread.is_alive() and "taskToken" not in result
    assert result.get("startedEventId") == 0  # an empty poll, not an exception in the thread


def test_advance_needs_virtual_time() -> None:
    with LocalSWF() as engine, pytest.raises(pyflow.PyflowError, match="virtual_time"):
        engine.advance(5)
