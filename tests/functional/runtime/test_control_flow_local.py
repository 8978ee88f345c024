"""Branches, cleanup, notification and loops end to end on `pyflow.local.run` (virtual time)."""

from __future__ import annotations

import json

import pytest

import pyflow.local
from tests.support import control_flows as cf

pytestmark = pytest.mark.timeout(60)


def states(outcome: pyflow.local.RunOutcome) -> dict[str, str]:
    return {name: task.state for name, task in outcome.tasks.items() if name != "start"}


@pytest.mark.parametrize(
    ("number", "ran", "skipped"), [(3, "Small", "Big"), (42, "Big", "Small")]
)
def test_a_branch_runs_one_path_and_the_join_gets_its_output(
    number: int, ran: str, skipped: str
) -> None:
    outcome = pyflow.local.run(cf.branch, input=number, lambdas=cf.LAMBDAS)
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == [f"{ran.lower()}:{number}"]
    assert states(outcome) == {"Check": "completed", ran: "completed", skipped: "skipped",
                               "Join": "completed"}
    scheduled = [e["eventType"] for e in outcome.history].count("LambdaFunctionScheduled")
    assert scheduled == 3  # the skipped task never reached SWF


def test_cleanup_and_notifier_run_after_a_failure_and_the_workflow_completes() -> None:
    outcome = pyflow.local.run(cf.cleanup_flow, input="order-1", lambdas=cf.LAMBDAS,
                               activities=[cf.cleanup])
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == {
        "Notify": "told: UnhandledError (ValueError: cannot process 'order-1')",
        "Clean": "cleaned after ['error']",
    }
    work = outcome.tasks["Work"]
    assert (work.state, work.attempts) == ("failed", 2)  # its retry was used first
    assert states(outcome) == {"Work": "failed", "Notify": "completed", "Clean": "completed"}


def test_a_polling_loop_ends_after_three_iterations_on_virtual_time() -> None:
    outcome = pyflow.local.run(cf.poll, input={"job": "poll-3", "needed": 3},
                               lambdas=cf.LAMBDAS)
    assert (outcome.status, outcome.result) == ("COMPLETED", "DONE"), outcome.reason
    wait = outcome.tasks["Wait"]
    assert (wait.state, wait.iteration, wait.attempts, wait.max_iterations) == (
        "completed", 3, 3, 5)
    timers = [e["timerStartedEventAttributes"] for e in outcome.history
              if e["eventType"] == "TimerStarted"]
    assert [(t["timerId"], t["startToFireTimeout"]) for t in timers] == [
        ("Wait#2#repeat", "60"), ("Wait#3#repeat", "60")]
    assert wait.ended_at is not None and wait.started_at is not None
    assert (wait.ended_at - wait.started_at).total_seconds() >= 120  # two 60 s waits


def test_a_loop_that_hits_max_iterations_fails_the_workflow_saying_so() -> None:
    outcome = pyflow.local.run(cf.poll_limited, input={"job": "poll-limit", "needed": 5},
                               lambdas=cf.LAMBDAS)
    assert outcome.status == "FAILED"
    assert outcome.reason == (
        "task 'Wait': repeat_until was still false after 2 iterations (max_iterations=2)"
    )
    assert json.loads(outcome.details or "{}")["error"]["details"] == '"RUNNING"'
    assert outcome.tasks["Wait"].state == "failed"


def test_a_child_workflow_loop_passes_each_result_to_the_next_child() -> None:
    outcome = pyflow.local.run(cf.counter, input=0, lambdas=cf.LAMBDAS)
    assert (outcome.status, outcome.result) == ("COMPLETED", 3), outcome.reason
    children = [e["startChildWorkflowExecutionInitiatedEventAttributes"]["input"]
                for e in outcome.history
                if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
    assert children == ["0", "1", "2"]
    assert outcome.tasks["Body"].iteration == 3
