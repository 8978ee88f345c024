"""`pyflow.testing.LocalEnvironment`: an engine with deciders, workers and Lambda handlers, for
tests of a user's own workflows."""

from __future__ import annotations

import pytest

import pyflow
from pyflow.testing import LocalEnvironment


@pyflow.activity(name="double", version="1", task_list="env-maths")
def double(n: int) -> int:
    return 2 * n


def _workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("EnvFlow", "1")
    twice = wf.add(pyflow.ActivityTask(name="Twice", activity=double, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Plus", lambda_function="plus-one", depends_on=[twice]))
    return wf


def test_environment_runs_several_executions_with_lambdas_and_activities() -> None:
    wf = _workflow()
    with LocalEnvironment(wf, lambdas={"plus-one": lambda n, ctx: n + 1},
                          activities=[double]) as env:
        ids = [env.start(wf, n) for n in (1, 2, 3)]
        results = [env.wait(wid, workflow=wf, timeout=20).result for wid in ids]
        assert results == [3, 5, 7]
        listed = env.client.list_executions(status="COMPLETED")
        assert sorted(i["execution"]["workflowId"] for i in listed) == sorted(ids)


def test_a_poller_that_dies_is_reported_to_the_waiter() -> None:
    wf = _workflow()
    with LocalEnvironment(wf, lambdas={"plus-one": lambda n, ctx: n + 1}) as env:
        env._failures.append(RuntimeError("decider crashed"))  # as a dying thread records it
        wid = env.start(wf, 1)
        with pytest.raises(pyflow.PyflowError, match="a local poll loop failed"):
            env.wait(wid, timeout=5)


def test_the_engine_is_closed_when_the_block_ends() -> None:
    wf = _workflow()
    with LocalEnvironment(wf, lambdas={"plus-one": lambda n, ctx: n + 1},
                          activities=[double]) as env:
        threads = list(env._threads)
    assert threads and not any(t.is_alive() for t in threads)
