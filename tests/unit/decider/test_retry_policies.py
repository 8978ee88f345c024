"""Retry policies in the decider: the timers it waits on, what it retries, what it gives up."""

from __future__ import annotations

from typing import Any

import pyflow
from pyflow._decider import decide, execution_state

from .test_failures import attrs, failure_of, kinds, step


def flaky(**policy: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=[wf.start_task],
                             retry=pyflow.RetryPolicy(**policy)))
    return wf


def test_back_off_timers_double_and_the_fourth_attempt_succeeds(swf: Any) -> None:
    wf = flaky(max_attempts=4, initial_interval=2, backoff_rate=2, jitter="none")
    h = swf('"x"')
    step(wf, h)
    timers = []
    for attempt in (1, 2, 3):
        h.lambda_failed(f"L#{attempt}")
        (timer,) = step(wf, h)
        timers.append((attrs(timer)["timerId"], attrs(timer)["startToFireTimeout"]))
        task = execution_state(wf, h.events).tasks["L"]
        assert (task.state, task.wait) == ("retry_wait", float(2 ** attempt))
        h.timer_fired(attrs(timer)["timerId"])
        assert kinds(step(wf, h)) == ["ScheduleLambdaFunction"]
    assert timers == [("L#2#retry", "2"), ("L#3#retry", "4"), ("L#4#retry", "8")]
    h.lambda_completed("L#4", "ok")
    assert kinds(step(wf, h)) == ["CompleteWorkflowExecution"]


def test_full_jitter_waits_whole_seconds_under_the_ceiling_the_same_on_every_replay(
    swf: Any,
) -> None:
    wf = flaky(max_attempts=3, initial_interval=60)
    h = swf('"x"')
    step(wf, h)
    h.lambda_failed("L#1")
    (timer,) = step(wf, h)
    seconds = int(attrs(timer)["startToFireTimeout"])
    assert 0 < seconds <= 60
    h.events.pop()  # replay the same history again: the same wait
    h.events.pop()
    again: Any = decide(wf, h.events, execution=h.execution)
    assert again == [timer]


def test_a_non_retryable_error_fails_at_once_saying_why(swf: Any) -> None:
    wf = flaky(max_attempts=5, non_retryable=["ValueError"])
    h = swf('"x"')
    step(wf, h)
    h.lambda_failed("L#1", details='{"errorType": "ValueError", "errorMessage": "bad"}')
    reason, details = failure_of(step(wf, h))
    assert reason == ("task 'L' failed after 1 attempt (ValueError is non_retryable): "
                      "UnhandledError (ValueError: bad)")
    assert details["attempts"] == 1


def test_retry_on_retries_timeouts_only(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="A", activity_type="a", activity_version="1", timeout=30,
                               depends_on=[wf.start_task],
                               retry=pyflow.RetryPolicy(max_attempts=3, retry_on=["Timeout"],
                                                        initial_interval=0)))
    h = swf('"x"')
    (first,) = step(wf, h)
    assert attrs(first)["startToCloseTimeout"] == "30"
    h.activity_timed_out("A#1")
    assert kinds(step(wf, h)) == ["ScheduleActivityTask"]  # a timeout is retried at once
    h.activity_failed("A#2", reason="PermissionError")
    reason, _ = failure_of(step(wf, h))
    assert reason.startswith("task 'A' failed after 2 attempts (PermissionError is not in "
                             "retry_on): PermissionError")


def test_schedule_refusals_carry_schedule_failed_and_the_cause(swf: Any) -> None:
    wf = flaky(max_attempts=3, non_retryable=["ACTIVITY_TYPE_DEPRECATED", "ID_ALREADY_IN_USE"],
               initial_interval=0)
    h = swf('"x"')
    first: Any = decide(wf, h.events, execution=h.execution)
    h.respond(first, reject={"L#1": "ID_ALREADY_IN_USE"})
    h.decision_task()
    reason, _ = failure_of(step(wf, h))
    assert "(ID_ALREADY_IN_USE is non_retryable)" in reason


def test_a_child_workflow_timeout_is_its_execution_timeout(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="C", workflow_name="Child", workflow_version="1",
                               timeout=600, depends_on=[wf.start_task]))
    (start,) = step(wf, swf('"x"'))
    assert attrs(start)["executionStartToCloseTimeout"] == "600"
