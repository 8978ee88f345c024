"""The decider loop is stateless: throwing it away between any two iterations (or while it
holds a decision task) and starting a new one gives the same outcome."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import pyflow
import pyflow.local
from pyflow.local import LocalSWF
from tests.support.harness import DECIDERS, register, running, start

pytestmark = pytest.mark.timeout(120)
DOMAIN = "restart"


@pyflow.activity(name="square", version="1", task_list="squares")
def square(value: int) -> int:
    return value * value


_calls = {"flaky": 0}


def flaky(event: Any, context: Any) -> Any:
    _calls["flaky"] += 1
    if _calls["flaky"] % 2:
        raise RuntimeError("odd attempts fail")
    return event + 1


def _workflow() -> pyflow.Workflow:
    child = pyflow.Workflow("RestartChild", "1")
    child.add(pyflow.ActivityTask(name="Square", activity=square, depends_on=[child.start_task]))
    wf = pyflow.Workflow("Restartable", "1", decision_timeout=2)
    inc = wf.add(pyflow.LambdaTask(name="Inc", lambda_function="flaky", num_retries=2,
                                   time_between_retries=5, depends_on=[wf.start_task]))
    nap = wf.add(pyflow.TimerTask(name="Nap", duration=60, depends_on=[inc]))
    kid = wf.add(pyflow.WorkflowTask(name="Kid", workflow=child, depends_on=[inc]))
    wf.add(pyflow.ActivityTask(name="Again", activity=square, depends_on=[nap, kid]))
    return wf


def _summary(outcome: pyflow.Outcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "result": outcome.result,
        "tasks": {n: (t.state, t.attempts, t.output) for n, t in outcome.tasks.items()},
    }


@pytest.fixture
def engine() -> Iterator[LocalSWF]:
    with LocalSWF(virtual_time=True, poll_timeout=0.5, idle_grace=0.5) as local:
        yield local


def _reference() -> dict[str, Any]:
    _calls["flaky"] = 0
    return _summary(pyflow.local.run(_workflow(), 2, lambdas={"flaky": flaky},
                                     activities=[square]))


def test_the_reference_run_exercises_retries_timers_children_and_activities() -> None:
    summary = _reference()
    assert summary["status"] == "COMPLETED"
    assert summary["result"] == 81
    assert summary["tasks"]["Inc"] == ("completed", 2, 3)


@pytest.mark.parametrize("iterations_per_loop", [1, 2, 3])
def test_a_new_loop_after_every_few_iterations_gives_the_same_outcome(
    engine: LocalSWF, iterations_per_loop: int
) -> None:
    expected = _reference()
    _calls["flaky"] = 0
    wf = _workflow()
    client = engine.client()
    engine.add_lambda("flaky", flaky)
    pyflow.ensure_domain_registered(DOMAIN, client=client)
    register(client, DOMAIN, wf)
    loops = 0
    with running(client, DOMAIN, [wf], [square], task_lists=()):
        workflow_id = start(client, DOMAIN, wf, 2, lambda_role="arn:aws:iam::1:role/r")
        while pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client).is_open:
            # A brand-new loop (and client) each time: nothing survives between them.
            pyflow.poll_for_executions(
                wf, domain=DOMAIN, task_list=DECIDERS, num_iterations=iterations_per_loop,
                client=engine.client(),
                should_stop=lambda: not pyflow.get_outcome(
                    domain=DOMAIN, workflow_id=workflow_id, client=client).is_open,
            )
            loops += 1
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf,
                                 client=client)
    assert _summary(outcome) == expected
    assert loops >= 4


def test_a_decider_that_dies_holding_a_task_delays_but_does_not_lose_the_execution(
    engine: LocalSWF,
) -> None:
    expected = _reference()
    _calls["flaky"] = 0
    wf = _workflow()
    client = engine.client()
    engine.add_lambda("flaky", flaky)
    pyflow.ensure_domain_registered(DOMAIN, client=client)
    register(client, DOMAIN, wf)
    workflow_id = start(client, DOMAIN, wf, 2, lambda_role="arn:aws:iam::1:role/r")
    pyflow.poll_for_executions(wf, domain=DOMAIN, task_list=DECIDERS, num_iterations=2,
                               client=client)
    # A decider takes the next task and dies before answering it.
    client.poll_for_decision_task(domain=DOMAIN, taskList={"name": DECIDERS})
    with running(client, DOMAIN, [wf], [square]):
        outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf,
                                          timeout=60, client=client)
    assert _summary(outcome) == expected
    assert any(e["eventType"] == "DecisionTaskTimedOut" for e in outcome.history)
