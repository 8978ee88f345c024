"""Maps larger than one history run in chunks of child executions, which users never see
as more than one task with a count of items."""

from __future__ import annotations

import pytest

import pyflow
import pyflow.local

pytestmark = pytest.mark.timeout(120)


def big_map(**options: object) -> pyflow.Workflow:
    wf = pyflow.Workflow("BigMap", "1", history_budget=1000)  # chunks of 100 items
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="split", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="each", depends_on=["Split"],
                             for_each="Split", **options))  # type: ignore[arg-type]
    return wf


def test_a_map_over_many_items_runs_in_child_chunks_and_returns_every_output_in_order() -> None:
    wf = big_map(max_concurrency=150, param={"add": 1})
    outcome = pyflow.local.run(wf, input=350, lambdas={
        "split": lambda n, c: list(range(n)),
        "each": lambda v, c: v["inputs"]["Split"] + v["param"]["add"]})
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == list(range(1, 351))
    each = outcome.tasks["Each"]
    assert (each.kind, each.state, each.items, each.items_done) == ("lambda", "completed", 350, 350)
    starts = [e["startChildWorkflowExecutionInitiatedEventAttributes"] for e in outcome.history
              if e["eventType"] == "StartChildWorkflowExecutionInitiated"]
    assert len(starts) == 4  # 100, 100, 100 and 50 items
    assert all(s["workflowType"] == {"name": "BigMap", "version": "1"} for s in starts)
    assert len(outcome.history) < 100  # the parent holds chunks, not items


def test_an_item_failing_in_a_chunk_fails_the_task_naming_the_items_and_the_reason() -> None:
    def each(value: int, context: object) -> int:
        if value == 234:
            raise ValueError("cannot take 234")
        return value

    wf = big_map(retry=pyflow.RetryPolicy(max_attempts=2, initial_interval=1))
    outcome = pyflow.local.run(wf, input=300, lambdas={
        "split": lambda n, c: list(range(n)), "each": each})
    assert outcome.status == "FAILED"
    reason = outcome.tasks["Each"].last_error.reason  # type: ignore[union-attr]
    assert reason.startswith("task 'Each': items 200-299 of 300 failed: child workflow failed")
    assert "cannot take 234" in (outcome.reason or "") + reason + str(outcome.details)
