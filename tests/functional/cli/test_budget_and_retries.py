"""`pyflow graph --budget` and the retry waits `pyflow run` reports."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import Result

FLOWS = """
import pyflow

calls = {"n": 0}

def flaky(event, context=None):
    calls["n"] += 1
    if calls["n"] < 3:
        raise ConnectionError("try again")
    return "ok"

retrying = pyflow.Workflow("Retrying", "1")
retrying.add(pyflow.LambdaTask(name="Call", lambda_function="flaky",
                               depends_on=[retrying.start_task],
                               retry=pyflow.RetryPolicy(max_attempts=3, initial_interval=2,
                                                        jitter="none")))

late = pyflow.Workflow("Late", "1", execution_timeout=60)
nap = late.add(pyflow.TimerTask(name="Nap", duration=50, depends_on=[late.start_task]))
late.add(pyflow.TimerTask(name="Again", duration=50, depends_on=[nap]))
"""


def test_graph_budget_prints_the_estimate(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("budget_flows", FLOWS)
    result = invoke("graph", "budget_flows:retrying", "--budget")
    assert result.exit_code == 0, result.output
    lines = dict(line.split(":", 1) for line in result.stdout.splitlines())
    assert lines["history events"].split()[:2] == ["about", "11"]
    assert lines["longest path"].split()[:2] == ["6.0s", "(start"]  # waits of 2 s and 4 s
    assert lines["widest rank"].strip() == "1 task"


def test_graph_budget_of_a_workflow_that_cannot_fit_exits_1_naming_the_path(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("budget_flows", FLOWS)
    result = invoke("graph", "budget_flows:late", "--budget", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["longestSeconds"], data["longestPath"]) == (100, ["start", "Nap", "Again"])
    assert "the path start -> Nap -> Again can take 100 s" in result.stderr
    refused = invoke("graph", "budget_flows:late")
    assert refused.exit_code != 0 and "more than execution_timeout=60 s" in refused.stderr


def test_run_says_how_long_each_retry_waits(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("budget_flows", FLOWS)
    result = invoke("run", "budget_flows:retrying", "--input", '"x"', "--lambdas",
                    "budget_flows")
    assert result.exit_code == 0, result.output
    retries = [line for line in result.stderr.splitlines() if "retrying" in line]
    assert len(retries) == 2
    assert any("in 2.0s" in line for line in retries), retries
