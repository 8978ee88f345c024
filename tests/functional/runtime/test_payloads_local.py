"""Payloads beyond SWF's 32,768 characters on `pyflow.local` (its in-memory payload store):
megabytes between Lambda and activity tasks, big signals and results, big maps; and the
clear failure without a store."""

from __future__ import annotations

from typing import Any

import pytest

import pyflow
import pyflow.local
import pyflow.testing
from pyflow._payloads import is_reference

pytestmark = pytest.mark.timeout(120)
MB = 1_000_000


@pyflow.activity(name="measure", version="1", task_list="payload-workers")
def measure(text: str) -> dict[str, Any]:
    return {"length": len(text), "echo": text}


def chain() -> pyflow.Workflow:
    wf = pyflow.Workflow("Payloads", "1")
    wf.add(pyflow.LambdaTask(name="Make", lambda_function="make", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Upper", lambda_function="upper", depends_on=["Make"]))
    wf.add(pyflow.ActivityTask(name="Measure", activity=measure, depends_on=["Upper"]))
    wf.add(pyflow.SignalTask(name="Note", depends_on=["Measure"]))
    wf.add(pyflow.LambdaTask(name="Join", lambda_function="join", depends_on=["Measure", "Note"]))
    return wf


LAMBDAS = {
    "make": lambda n, c: "a" * n,
    "upper": lambda s, c: s.upper(),
    "join": lambda v, c: {"length": v["inputs"]["Measure"]["length"],
                          "echo": v["inputs"]["Measure"]["echo"],
                          "note": len(v["inputs"]["Note"])},
}


def test_a_megabyte_flows_through_lambda_and_activity_tasks_to_the_result() -> None:
    outcome = pyflow.local.run(chain(), input=MB, lambdas=LAMBDAS, activities=[measure],
                               signals={"Note": "n" * 50_000})
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == {"length": MB, "echo": "A" * MB, "note": 50_000}


def test_swf_itself_carries_only_references_to_the_long_payloads() -> None:
    wf = chain()
    with pyflow.testing.LocalEnvironment(wf, lambdas=LAMBDAS, activities=[measure]) as env:
        workflow_id = env.start(wf, MB)
        env.client.signal(workflow_id, "Note", "n" * 50_000)
        assert env.wait(workflow_id, workflow=wf).status == "COMPLETED"
        raw = env.client.swf.get_workflow_execution_history(
            domain=env.client.domain,
            execution={"workflowId": workflow_id, "runId": env.run_id(workflow_id)},
            maximumPageSize=1000)["events"]
    done = [e["lambdaFunctionCompletedEventAttributes"].get("result", "") for e in raw
            if e["eventType"] == "LambdaFunctionCompleted"]
    signal = next(e for e in raw if e["eventType"] == "WorkflowExecutionSignaled")
    assert all(len(text) < 1000 for text in done) and any(is_reference(t) for t in done)
    assert is_reference(signal["workflowExecutionSignaledEventAttributes"]["input"])


def test_without_a_store_an_oversize_payload_fails_naming_the_setting() -> None:
    outcome = pyflow.local.run(chain(), input=MB, lambdas=LAMBDAS, activities=[measure],
                               payload_store=None)
    assert outcome.status == "FAILED"
    assert "payload store" in (outcome.reason or "") + str(outcome.details)
    assert "S3PayloadStore" in (outcome.reason or "") + str(outcome.details)


def test_a_ten_thousand_item_map_completes_in_order_with_no_run_over_the_budget() -> None:
    wf = pyflow.Workflow("TenK", "1")
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="split", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="inc", depends_on=["Split"],
                             for_each="Split"))
    outcome = pyflow.local.run(wf, input=10_000, lambdas={
        "split": lambda n, c: list(range(n)), "inc": lambda x, c: x + 1})
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == list(range(1, 10_001))
    assert outcome.tasks["Each"].items_done == 10_000
    children = [e for e in outcome.history
                if e["eventType"] == "ChildWorkflowExecutionCompleted"]
    assert len(children) == 10  # chunks of 1,000 at the default budget
    assert len(outcome.history) < wf.history_budget
