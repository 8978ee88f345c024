"""The example workers in Ruby and Node.js run their workflow's activity on `pyflow local
serve` as the README's JSON contract says: results, failures (reason and details) and
heartbeats, and a canceled activity given up at its next heartbeat."""

from __future__ import annotations

import json
import time

import pytest

import pyflow
from examples.interop import HEARTBEAT_TIMEOUT, node_workflow, ruby_workflow
from tests.integration.interop.workers import Engine, Process, Worker, wait_until_closed

# Left out of `make test` (the default addopts deselect the marker): `make test-interop`
# installs the workers' SDKs first and runs these.
pytestmark = [pytest.mark.interop, pytest.mark.timeout(180)]
WORKFLOWS = {"ruby": ruby_workflow, "node": node_workflow}


def _start(engine: Engine, worker: Worker, case: str, job: object) -> tuple[str, pyflow.Workflow]:
    workflow = WORKFLOWS[worker.language]
    workflow_id = f"{worker.language}-{case}-{time.monotonic_ns()}"
    return engine.client.start(workflow, input=job, workflow_id=workflow_id), workflow


def test_worker_completes_its_activity_heartbeating_past_the_heartbeat_timeout(
    engine: Engine, worker: tuple[Worker, Process]
) -> None:
    spec, process = worker
    words, pause = ["hello", "swf", "from", spec.language], 0.75
    # Only heartbeats keep the task open this long: without them SWF times it out.
    assert len(words) * pause > HEARTBEAT_TIMEOUT
    workflow_id, workflow = _start(engine, spec, "ok", {"words": words, "pause": pause})

    outcome = wait_until_closed(engine, workflow_id, workflow, process)

    assert outcome.status == "COMPLETED", (outcome.reason, outcome.details, process.output())
    assert outcome.result == {
        "worker": spec.language,
        "words": ["HELLO", "SWF", "FROM", spec.language.upper()],
        "letters": 12 + len(spec.language),
        "heartbeats": 4,
    }
    started = [e for e in outcome.history if e["eventType"] == "ActivityTaskStarted"]
    assert [e["activityTaskStartedEventAttributes"]["identity"].split("-")[0]
            for e in started] == [spec.language]


def test_worker_failure_gives_the_workflow_its_reason_and_details(
    engine: Engine, worker: tuple[Worker, Process]
) -> None:
    spec, process = worker
    workflow_id, workflow = _start(engine, spec, "fail", {"words": ["fine", 42]})

    outcome = wait_until_closed(engine, workflow_id, workflow, process)

    assert outcome.status == "FAILED", process.output()
    assert outcome.reason == "task 'Shout' failed after 1 attempt: TypeError"
    assert outcome.details is not None
    error = json.loads(outcome.details)["error"]
    assert (error["reason"], error["type"]) == ("TypeError", "TypeError")
    assert error["message"] == "word 2 is 42, not a string"
    # The details carry the worker's own stack, naming its source file.
    worker_file = spec.command[1].rsplit("/", 1)[-1]
    assert worker_file in error["traceback"]
    assert outcome.tasks["Shout"].state == "failed"


def test_worker_drops_a_canceled_activity_at_its_next_heartbeat(
    engine: Engine, worker: tuple[Worker, Process]
) -> None:
    spec, process = worker
    slow = {"words": ["slow"] * 100, "pause": 0.2}
    workflow_id, workflow = _start(engine, spec, "cancel", slow)
    deadline = time.monotonic() + 30
    while engine.client.describe(workflow_id, workflow=workflow).tasks["Shout"].state != "running":
        process.check_alive()
        assert time.monotonic() < deadline, process.output()
        time.sleep(0.05)

    canceled_at = time.monotonic()
    engine.client.cancel(workflow_id)
    canceled = wait_until_closed(engine, workflow_id, workflow, process, timeout=15)
    # The worker runs one task at a time: the next one completes only once it has given up
    # the canceled one, which a heartbeat tells it to do (its own work had 20 s to go).
    next_id, _ = _start(engine, spec, "after-cancel", {"words": ["next"]})
    after = wait_until_closed(engine, next_id, workflow, process, timeout=15)

    assert canceled.status == "CANCELED", process.output()
    assert "ActivityTaskCancelRequested" in [e["eventType"] for e in canceled.history]
    assert (after.status, after.result["words"]) == ("COMPLETED", ["NEXT"])
    assert time.monotonic() - canceled_at < 10, process.output()
