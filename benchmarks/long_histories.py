"""Executions whose histories are far past SWF's 25,000 events, finished by continue-as-new.

`python benchmarks/long_histories.py [--iterations N] [--tasks M]` runs on `pyflow.local`
(in-process, virtual time, the default in-memory payload store) a Lambda task looping N times
with `repeat_until` (default 10,000: about 40,000 events in all) and a static fan-out of M
no-op Lambda tasks joined by one task (default 9,000), and prints for each the wall time, the
number of runs, the events of all runs together and the largest run, with whether the result
equals that of one run and whether any run came near SWF's cap.
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable
from typing import Any

import pyflow
from pyflow._client._outcome import read_history
from pyflow.testing import LocalEnvironment

SWF_CAP = 25_000


def loop(iterations: int) -> tuple[pyflow.Workflow, dict[str, Callable[[Any, Any], Any]], Any]:
    counter = itertools.count(1)
    wf = pyflow.Workflow("BenchLoop", "1")
    wf.add(pyflow.LambdaTask(name="Count", lambda_function="count", depends_on=[wf.start_task],
                             repeat_until=lambda n: n >= iterations,
                             max_iterations=iterations))
    return wf, {"count": lambda _, c: next(counter)}, iterations


def fan_out(tasks: int) -> tuple[pyflow.Workflow, dict[str, Callable[[Any, Any], Any]], Any]:
    wf = pyflow.Workflow("BenchWide", "1")
    names = [f"T{i}" for i in range(tasks)]
    for name in names:
        wf.add(pyflow.LambdaTask(name=name, lambda_function="one", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Sum", lambda_function="sum", depends_on=names))
    lambdas = {"one": lambda _, c: 1, "sum": lambda v, c: sum(v["inputs"].values())}
    return wf, lambdas, tasks


def measure(label: str, built: tuple[pyflow.Workflow, dict[str, Any], Any]) -> None:
    wf, lambdas, expected = built
    with LocalEnvironment(wf, lambdas=lambdas) as env:
        started = time.perf_counter()
        workflow_id = env.start(wf, None)
        outcome = env.wait(workflow_id, workflow=wf, timeout=3600)
        seconds = time.perf_counter() - started
        sizes = [len(read_history(env.client.swf, env.client.domain, workflow_id, run))
                 for run in outcome.runs]
    right = outcome.status == "COMPLETED" and outcome.result == expected
    print(f"{label}")
    print(f"  status, result right       {outcome.status}, {right}")
    print(f"  wall time                  {seconds:.1f} s")
    print(f"  runs                       {len(sizes)}")
    print(f"  events in all runs         {sum(sizes):,}")
    print(f"  largest run                {max(sizes):,} events "
          f"(history_budget {wf.history_budget:,}; SWF ends a run at {SWF_CAP:,})")
    print(f"  target: every run under the cap: {'met' if max(sizes) < SWF_CAP else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--tasks", type=int, default=9_000)
    args = parser.parse_args()
    measure(f"Lambda loop, {args.iterations:,} iterations", loop(args.iterations))
    measure(f"static fan-out, {args.tasks:,} tasks and a join", fan_out(args.tasks))


if __name__ == "__main__":
    main()
