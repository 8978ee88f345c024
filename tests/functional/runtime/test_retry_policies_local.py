"""Retry policies, timeouts and the one-year default end to end on `pyflow.local.run`."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

import pyflow
import pyflow.local

pytestmark = pytest.mark.timeout(60)


def one_lambda(**options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("Flaky", "1")
    wf.add(pyflow.LambdaTask(name="Call", lambda_function="call", depends_on=[wf.start_task],
                             **options))
    return wf


def fails(times: int, error: type[Exception] = ConnectionError) -> Any:
    calls: Counter[str] = Counter()

    def handler(event: Any, context: Any) -> str:
        calls["n"] += 1
        if calls["n"] <= times:
            raise error(f"attempt {calls['n']}")
        return f"ok after {calls['n']}"

    return handler


def timers(outcome: pyflow.local.RunOutcome) -> list[tuple[str, str]]:
    return [(e["timerStartedEventAttributes"]["timerId"],
             e["timerStartedEventAttributes"]["startToFireTimeout"])
            for e in outcome.history if e["eventType"] == "TimerStarted"]


def test_a_flaky_lambda_succeeds_on_its_fourth_attempt_after_2_4_and_8_seconds() -> None:
    policy = pyflow.RetryPolicy(max_attempts=4, initial_interval=2, backoff_rate=2,
                                jitter="none")
    outcome = pyflow.local.run(one_lambda(retry=policy), input="x", lambdas={"call": fails(3)})
    assert (outcome.status, outcome.result) == ("COMPLETED", "ok after 4"), outcome.reason
    assert timers(outcome) == [("Call#2#retry", "2"), ("Call#3#retry", "4"),
                               ("Call#4#retry", "8")]
    assert outcome.tasks["Call"].attempts == 4


def test_a_non_retryable_error_fails_at_once() -> None:
    policy = pyflow.RetryPolicy(max_attempts=5, non_retryable=["PermissionError"])
    outcome = pyflow.local.run(one_lambda(retry=policy), input="x",
                               lambdas={"call": fails(9, PermissionError)})
    assert outcome.status == "FAILED"
    assert outcome.reason == ("task 'Call' failed after 1 attempt (PermissionError is "
                              "non_retryable): UnhandledError (PermissionError: attempt 1)")
    assert timers(outcome) == []


def test_a_lambda_that_runs_past_its_timeout_is_retried_then_fails_with_a_timeout() -> None:
    def slow(event: Any, context: Any) -> str:
        time.sleep(1.6)
        return "too late"

    policy = pyflow.RetryPolicy(max_attempts=2, initial_interval=0, retry_on=["Timeout"])
    outcome = pyflow.local.run(one_lambda(timeout=1, retry=policy), input="x",
                               lambdas={"call": slow})
    assert outcome.status == "FAILED"
    assert outcome.reason == (
        "task 'Call' failed after 2 attempts: Lambda function timed out (START_TO_CLOSE)")
    kinds = [e["eventType"] for e in outcome.history]
    assert kinds.count("LambdaFunctionTimedOut") == 2
    error = outcome.tasks["Call"].last_error
    assert error is not None and error.names == ("Timeout",)


def test_a_one_day_timer_with_default_settings_completes_on_virtual_time() -> None:
    wf = pyflow.Workflow("Tomorrow", "1")
    wf.add(pyflow.TimerTask(name="Day", duration=86_400, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Then", lambda_function="call", depends_on=["Day"]))
    outcome = pyflow.local.run(wf, input="x", lambdas={"call": fails(0)})
    assert (outcome.status, outcome.result) == ("COMPLETED", "ok after 1"), outcome.reason
    started = outcome.history[0]["workflowExecutionStartedEventAttributes"]
    assert started["executionStartToCloseTimeout"] == "31536000"


def test_an_activity_timeout_is_its_start_to_close_and_counts_as_a_failure() -> None:
    @pyflow.activity(name="nap", version="1", task_list="nappers")
    def nap(value: Any) -> str:
        time.sleep(1.6)
        return "woke"

    wf = pyflow.Workflow("Naps", "1")
    wf.add(pyflow.ActivityTask(name="Nap", activity=nap, timeout=1, depends_on=[wf.start_task],
                               retry=pyflow.RetryPolicy(max_attempts=2, initial_interval=0)))
    outcome = pyflow.local.run(wf, input="x", activities=[nap], virtual_time=False)
    assert outcome.status == "FAILED"
    assert outcome.reason == (
        "task 'Nap' failed after 2 attempts: activity timed out (START_TO_CLOSE)")
