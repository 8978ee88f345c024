"""Skipped tasks and iterations as `pyflow run`, `describe` and `graph` show them."""

from __future__ import annotations

import json
from collections.abc import Callable

from click.testing import CliRunner, Result

import pyflow
import pyflow.local
from pyflow.cli._app import cli
from pyflow.cli._graph import dot, mermaid
from pyflow.cli._options import AwsOptions
from pyflow.cli._render import state_label
from tests.support import control_flows as cf

FLOWS = "tests.support.control_flows"


def test_run_shows_the_skipped_branch(invoke: Callable[..., Result]) -> None:
    result = invoke("run", f"{FLOWS}:branch", "--input", "3", "--lambdas", FLOWS)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == ["small:3"]
    events = [line.split()[1:3] for line in result.stderr.splitlines()[1:-1]]
    assert ["skipped", "Big"] in events
    assert ["started", "Big"] not in events
    assert ["completed", "Join"] in events


def test_run_shows_each_iteration_of_a_loop(invoke: Callable[..., Result]) -> None:
    result = invoke("run", f"{FLOWS}:poll", "--input", '{"job": "cli-3", "needed": 3}',
                    "--lambdas", FLOWS)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert sum("started" in line and "iteration" in line for line in lines) == 3
    assert any("repeating" in line and "next: iteration 2/5" in line for line in lines)
    assert any("completed" in line and "after 3 iterations" in line for line in lines)


def test_run_json_and_describe_carry_state_and_iteration(invoke: Callable[..., Result]) -> None:
    result = invoke("run", f"{FLOWS}:poll", "--input", '{"job": "cli-json", "needed": 2}',
                    "--lambdas", FLOWS, "--json")
    assert result.exit_code == 0, result.output
    (wait,) = json.loads(result.stdout)["tasks"]
    assert (wait["state"], wait["iteration"], wait["maxIterations"]) == ("completed", 2, 5)


def test_labels_name_the_iteration_and_the_skip() -> None:
    assert state_label("repeat_wait", 2, 2, 5) == "repeating (iteration 3/5)"
    assert state_label("running", 3, 3, 5) == "running (iteration 3/5)"
    assert state_label("retry_wait", 3, 2, 5) == "retrying (attempt 4, iteration 2/5)"
    assert state_label("skipped", 0) == "skipped"
    assert state_label("completed", 1) == "completed"


def test_graph_colours_skipped_and_failed_tasks() -> None:
    outcome = pyflow.local.run(cf.branch, input=3, lambdas=cf.LAMBDAS)
    text = mermaid(cf.branch, outcome.tasks)
    assert "classDef skipped fill:#fce4ec" in text
    skipped_class = next(line for line in text.splitlines() if line.endswith(" skipped")
                         and line.strip().startswith("class "))
    assert skipped_class.split()[1] == "t2"  # Big, the third task
    assert "<i>skipped</i>" in text
    assert "<small>none_failed</small>" in text and "<small>run_if</small>" in text
    graph = dot(cf.poll, pyflow.local.run(
        cf.poll, input={"job": "graph-2", "needed": 2}, lambdas=cf.LAMBDAS).tasks)
    assert "(completed (iteration 2/5))" in graph  # one attempt per iteration: no count
    assert "lambda cf-status\\nrepeats up to 5\\n" in graph


def test_describe_shows_skipped_tasks_and_the_iteration_of_a_waiting_loop() -> None:
    with pyflow.local.LocalSWF(virtual_time=False, poll_timeout=0.2) as engine:
        for name, handler in cf.LAMBDAS.items():
            engine.add_lambda(name, handler)
        client = pyflow.Client(engine.client(), domain="views")
        client.register_domain()
        for wf in (cf.branch, cf.poll):
            client.register(wf, lambda_role="arn:aws:iam::123456789012:role/swf-lambda")
        client.start(cf.branch, input=3, workflow_id="b-1")
        client.start(cf.poll, input={"job": "describe", "needed": 9}, workflow_id="p-1")
        pyflow.poll_for_executions([cf.branch, cf.poll], domain="views", num_iterations=12,
                                   client=client)
        runner = CliRunner()
        options = AwsOptions(_client=engine.client())

        def describe(*args: str) -> Result:
            result = runner.invoke(cli, ["describe", *args, "--domain", "views",
                                         "--workflows", FLOWS], obj=options)
            assert result.exit_code == 0, result.output
            return result

        text = describe("b-1").stdout
        assert "COMPLETED" in text
        assert "Tasks (4/4 done, 1 skipped)" in text
        assert any(line.split()[:2] == ["Big", "lambda"] and "skipped" in line
                   for line in text.splitlines())
        text = describe("p-1").stdout  # open: waiting 60 s (real time) for iteration 2
        assert "repeating in 60.0s (iteration 2/5)" in text
        wait = json.loads(describe("p-1", "--json").stdout)["tasks"][0]
        assert (wait["state"], wait["iteration"], wait["maxIterations"]) == (
            "repeat_wait", 1, 5)
