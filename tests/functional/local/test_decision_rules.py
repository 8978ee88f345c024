"""SWF's decision-task rules, including the behaviours recorded from live SWF ([R] in the
semantics reference): batching, UNHANDLED_DECISION, timeouts and rescheduling."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.support.swf import DOMAIN, activity, attrs, complete, decision, timer


def _signal(env, name: str = "s", workflow_id: str = "w1") -> None:
    env.client.signal_workflow_execution(domain=DOMAIN, workflowId=workflow_id, signalName=name)


def test_events_join_a_scheduled_decision_task_instead_of_adding_another(env) -> None:
    env.start()
    _signal(env, "a")
    _signal(env, "b")
    task = env.poll()
    types = [e["eventType"] for e in task["events"]]
    assert types == ["WorkflowExecutionStarted", "DecisionTaskScheduled",
                     "WorkflowExecutionSignaled", "WorkflowExecutionSignaled",
                     "DecisionTaskStarted"]
    assert attrs(task["events"][-1])["scheduledEventId"] == 2


def test_events_during_a_started_task_yield_one_new_task_after_it(env) -> None:
    env.start()
    task = env.poll()
    _signal(env, "a")
    _signal(env, "b")
    assert env.describe()["openCounts"]["openDecisionTasks"] == 1
    env.decide(task)
    types = env.types()
    assert types[3:] == ["WorkflowExecutionSignaled", "WorkflowExecutionSignaled",
                         "DecisionTaskCompleted", "DecisionTaskScheduled"]
    assert types.count("DecisionTaskScheduled") == 2
    second = env.poll()
    assert second["previousStartedEventId"] == 3


def test_close_decision_racing_a_signal_fails_with_unhandled_decision(env) -> None:
    env.start()
    task = env.poll()
    _signal(env, "late")
    env.decide(task, complete("done"))  # the call itself succeeds
    events = env.history()
    assert [e["eventType"] for e in events][-3:] == [
        "DecisionTaskCompleted", "CompleteWorkflowExecutionFailed", "DecisionTaskScheduled"]
    assert attrs(events[-2]) == {"cause": "UNHANDLED_DECISION",
                                 "decisionTaskCompletedEventId": events[-3]["eventId"]}
    assert env.status() == "OPEN"
    env.decide(env.poll(), complete("done"))
    assert env.status() == "COMPLETED"


@pytest.mark.parametrize("close, failed", [
    (decision("FailWorkflowExecution", reason="r"), "FailWorkflowExecutionFailed"),
    (decision("CancelWorkflowExecution"), "CancelWorkflowExecutionFailed"),
    (decision("ContinueAsNewWorkflowExecution"), "ContinueAsNewWorkflowExecutionFailed"),
])
def test_every_close_decision_is_unhandled_when_events_are_pending(env, close, failed) -> None:
    env.start()
    task = env.poll()
    _signal(env)
    env.decide(task, close)
    assert failed in env.types()
    assert env.status() == "OPEN"


def test_work_in_progress_does_not_block_closing(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"), timer("t", 60))
    env.decide(_poll_again(env), complete())
    assert env.status() == "COMPLETED"
    assert env.describe()["openCounts"]["openActivityTasks"] == 0


def _poll_again(env) -> dict:
    _signal(env)
    return env.poll()


def test_close_decision_must_be_last(env) -> None:
    env.start()
    task = env.poll()
    with pytest.raises(ClientError) as info:
        env.decide(task, complete(), timer("t", 5))
    assert info.value.response["Error"]["Code"] == "ValidationException"
    assert "last" in info.value.response["Error"]["Message"]


def test_decision_task_times_out_and_is_rescheduled(engine) -> None:
    from tests.support.swf import Env

    env = Env(engine)
    env.register_workflow("quick", defaultTaskStartToCloseTimeout="1")
    env.start(workflow="quick")
    stale = env.poll()
    task = env.poll()  # the held task times out after one (real-rate) virtual second
    types = [e["eventType"] for e in task["events"]]
    assert types[3:6] == ["DecisionTaskTimedOut", "DecisionTaskScheduled", "DecisionTaskStarted"]
    assert attrs(task["events"][3]) == {"timeoutType": "START_TO_CLOSE", "scheduledEventId": 2,
                                        "startedEventId": 3}
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.decide(stale)
    env.decide(task, complete())
    assert env.status() == "COMPLETED"


def test_execution_context_is_recorded_and_described(env) -> None:
    env.start()
    env.decide(env.poll(), executionContext="ctx-1")
    assert env.describe()["latestExecutionContext"] == "ctx-1"


def test_record_marker_and_timer_cancel(env) -> None:
    env.start()
    env.decide(env.poll(), decision("RecordMarker", markerName="m", details="d"),
               timer("t", 100), decision("CancelTimer", timerId="t"),
               decision("CancelTimer", timerId="nope"))
    events = env.history()
    by_type = {e["eventType"]: attrs(e) for e in events}
    assert by_type["MarkerRecorded"] == {"markerName": "m", "details": "d",
                                         "decisionTaskCompletedEventId": 4}
    assert by_type["TimerCanceled"] == {"timerId": "t", "startedEventId": 6,
                                        "decisionTaskCompletedEventId": 4}
    assert by_type["CancelTimerFailed"]["cause"] == "TIMER_ID_UNKNOWN"
    assert events[-1]["eventType"] == "DecisionTaskScheduled"  # the failure wakes the decider


def test_timer_id_in_use_fails_start_timer(env) -> None:
    env.start()
    env.decide(env.poll(), timer("t", 100), timer("t", 100))
    failed = [attrs(e) for e in env.history() if e["eventType"] == "StartTimerFailed"]
    assert failed[0]["cause"] == "TIMER_ID_ALREADY_IN_USE"


def test_schedule_activity_of_unknown_type_fails_the_decision(env) -> None:
    env.start()
    env.decide(env.poll(), decision("ScheduleActivityTask", activityId="a",
                                    activityType={"name": "nope", "version": "1"}))
    failed = [attrs(e) for e in env.history() if e["eventType"] == "ScheduleActivityTaskFailed"]
    assert failed[0]["cause"] == "ACTIVITY_TYPE_DOES_NOT_EXIST"


def test_activity_without_timeout_defaults_fails_with_the_missing_default(env) -> None:
    env.client.register_activity_type(domain=DOMAIN, name="bare", version="1")
    env.start()
    env.decide(env.poll(), decision("ScheduleActivityTask", activityId="a",
                                    activityType={"name": "bare", "version": "1"},
                                    taskList={"name": "x"}))
    failed = [attrs(e) for e in env.history() if e["eventType"] == "ScheduleActivityTaskFailed"]
    assert failed[0]["cause"] == "DEFAULT_SCHEDULE_TO_START_TIMEOUT_UNDEFINED"


def test_closed_activity_id_may_be_reused(env) -> None:
    env.start()
    env.decide(env.poll(), activity("a1"))
    work = env.poll_activity()
    env.client.respond_activity_task_failed(taskToken=work["taskToken"])
    env.decide(env.poll(), activity("a1"))
    assert env.types().count("ActivityTaskScheduled") == 2
    assert "ScheduleActivityTaskFailed" not in env.types()


def test_start_at_previous_started_event_returns_only_recent_events(env) -> None:
    env.start()
    env.decide(env.poll(), timer("t", 10))
    task = env.poll(startAtPreviousStartedEvent=True)
    assert task["events"][0]["eventId"] == 3


def test_temporary_task_list_override_reverts_after_schedule_to_start(env) -> None:
    env.start()
    env.decide(env.poll(), timer("t", 10), taskList={"name": "elsewhere"},
               taskListScheduleToStartTimeout="5")
    task = env.poll()  # nobody polls "elsewhere": the override times out and is reverted
    types = [e["eventType"] for e in task["events"]]
    timed_out = attrs(task["events"][types.index("DecisionTaskTimedOut")])
    assert timed_out["timeoutType"] == "SCHEDULE_TO_START"
    assert timed_out["startedEventId"] == 0
    assert attrs(task["events"][-2])["taskList"] == {"name": "decider"}


def test_permanent_task_list_override_moves_later_decision_tasks(env) -> None:
    env.start()
    env.decide(env.poll(), timer("t", 10), taskList={"name": "elsewhere"})
    task = env.poll("elsewhere")
    assert task["workflowExecution"]["workflowId"] == "w1"
