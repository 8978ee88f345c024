"""A large `for_each` of no-op Lambda functions on the embedded engine, and the histories it
makes.

`python benchmarks/for_each_map.py [--items N] [--budget EVENTS] [--concurrency K]` runs a
workflow whose one task maps over N items (default 10,000) on `pyflow.local` (in-process,
virtual time), checks that every output came back in order, and prints items per second, the
number of runs and child executions, and the largest history of any run, which must stay
within the history budget plus what was open when it was reached (the issue's target: no
run over the budget, and none anywhere near SWF's 25,000).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import pyflow
from pyflow.testing import LocalEnvironment

SWF_CAP = 25_000


def workflow(budget: int, concurrency: int | None) -> pyflow.Workflow:
    wf = pyflow.Workflow("BenchMap", "1", history_budget=budget)
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="split", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="noop", depends_on=["Split"],
                             for_each="Split", max_concurrency=concurrency))
    return wf


def executions(env: LocalEnvironment) -> list[dict[str, Any]]:
    """Every execution the run made (the parent's runs and the chunks'), closed by now."""
    swf, domain = env.client.swf, env.client.domain
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = swf.list_closed_workflow_executions(
            domain=domain, startTimeFilter={"oldestDate": 0}, maximumPageSize=1000,
            **({"nextPageToken": token} if token else {}),
        )
        found.extend(page["executionInfos"])
        token = page.get("nextPageToken")
        if not token:
            return found


def history_length(env: LocalEnvironment, execution: dict[str, Any]) -> int:
    swf, domain = env.client.swf, env.client.domain
    count, token = 0, None
    while True:
        page = swf.get_workflow_execution_history(
            domain=domain, execution=execution, maximumPageSize=1000,
            **({"nextPageToken": token} if token else {}),
        )
        count += len(page["events"])
        token = page.get("nextPageToken")
        if not token:
            return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--budget", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=None)
    args = parser.parse_args()
    wf = workflow(args.budget, args.concurrency)
    lambdas = {"split": lambda n, c: list(range(n)), "noop": lambda x, c: x}
    with LocalEnvironment(wf, lambdas=lambdas) as env:
        started = time.perf_counter()
        workflow_id = env.start(wf, args.items)
        outcome = env.wait(workflow_id, workflow=wf, timeout=1800)
        seconds = time.perf_counter() - started
        assert outcome.status == "COMPLETED", outcome.reason
        assert outcome.result == list(range(args.items)), "outputs out of order or missing"
        runs = executions(env)
        sizes = [history_length(env, info["execution"]) for info in runs]
    children = sum(1 for info in runs if info["execution"]["workflowId"] != workflow_id)
    parent_runs = len(runs) - children
    largest = max(sizes)
    print(f"items                      {args.items:>10,}")
    print(f"history_budget             {args.budget:>10,}")
    print(f"wall time                  {seconds:>10.2f} s")
    print(f"items per second           {args.items / seconds:>10,.0f}")
    print(f"runs of the workflow       {parent_runs:>10,}")
    print(f"child executions (chunks)  {children:>10,}")
    print(f"largest history of any run {largest:>10,} events "
          f"(budget {args.budget:,}, SWF ends a run at {SWF_CAP:,})")
    verdict = "met" if largest <= args.budget else "NOT met"
    print(f"target: no run over the budget: {verdict}")


if __name__ == "__main__":
    main()
