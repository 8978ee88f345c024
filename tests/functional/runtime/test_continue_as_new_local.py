"""Continue-as-new end to end on `pyflow.local.run`: loops, maps and long static DAGs whose
histories pass the budget finish as one logical execution with the result of a single run."""

from __future__ import annotations

import itertools

import pytest

import pyflow
import pyflow.local
import pyflow.testing
from pyflow._client._outcome import read_history

pytestmark = pytest.mark.timeout(240)
BUDGET = 1000


def test_a_long_loop_and_a_long_timer_finish_across_runs_with_the_result_of_one_run() -> None:
    counter = itertools.count(1)
    wf = pyflow.Workflow("Loop", "1", history_budget=BUDGET)
    wf.add(pyflow.LambdaTask(name="Count", lambda_function="count", depends_on=[wf.start_task],
                             repeat_until=lambda n: n >= 400, max_iterations=1000))
    wf.add(pyflow.TimerTask(name="Nap", duration=5000, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Done", lambda_function="done", depends_on=["Count", "Nap"]))
    outcome = pyflow.local.run(wf, input=0, lambdas={
        "count": lambda n, c: next(counter), "done": lambda x, c: x})
    assert (outcome.status, outcome.result) == ("COMPLETED", 400), outcome.reason
    assert len(outcome.runs) >= 3
    count, nap = outcome.tasks["Count"], outcome.tasks["Nap"]
    assert (count.state, count.iteration) == ("completed", 400)
    # The timer was carried with what it had left: it still waited its 5,000 s in all.
    assert nap.state == "completed" and nap.started_at and nap.ended_at
    assert (nap.ended_at - nap.started_at).total_seconds() >= 5000
    assert outcome.history[0]["workflowExecutionStartedEventAttributes"].get(
        "continuedExecutionRunId") == outcome.runs[-2]


def test_a_map_and_a_static_chain_past_the_budget_keep_every_output_in_order() -> None:
    wf = pyflow.Workflow("Big", "1", history_budget=BUDGET)
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="split", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="double", depends_on=["Split"],
                             for_each="Split", max_concurrency=25))
    before: pyflow.Task | str = "Each"
    for i in range(250):
        before = wf.add(pyflow.LambdaTask(name=f"Step{i}", lambda_function="inc",
                                          depends_on=[before]))
    env_outcome = pyflow.local.run(wf, input=90, lambdas={
        "split": lambda n, c: list(range(n)),
        "double": lambda x, c: 2 * x,
        "inc": lambda v, c: sum(v) if isinstance(v, list) else v + 1,
    })
    assert env_outcome.status == "COMPLETED", env_outcome.reason
    assert env_outcome.tasks["Each"].output == [2 * i for i in range(90)]
    assert env_outcome.result == sum(2 * i for i in range(90)) + 249
    assert len(env_outcome.runs) >= 2


def test_every_run_of_the_chain_stays_near_its_budget() -> None:
    counter = itertools.count(1)
    wf = pyflow.Workflow("Loop2", "1", history_budget=BUDGET)
    wf.add(pyflow.LambdaTask(name="Count", lambda_function="count", depends_on=[wf.start_task],
                             repeat_until=lambda n: n >= 300, max_iterations=1000))
    with pyflow.testing.LocalEnvironment(wf, lambdas={"count": lambda n, c: next(counter)}) as env:
        workflow_id = env.start(wf, 0)
        outcome = env.wait(workflow_id, workflow=wf, timeout=200)
        assert outcome.status == "COMPLETED", outcome.reason
        sizes = [len(read_history(env.client.swf, env.client.domain, workflow_id, run))
                 for run in outcome.runs]
    assert len(sizes) >= 2
    assert max(sizes) <= BUDGET + 20  # the drain adds only what was open at the budget
