"""Benchmark the embedded engine: a fan-out of no-op Lambda tasks through the in-process
boto3 client, decided by pyflow's decider.

    python benchmarks/local_engine.py [--tasks 1000]

Prints tasks per second and where the time went: inside the engine (its request handler,
long-poll waits excluded), in the decider, and the rest (boto3 serialising and parsing,
the loop itself).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import pyflow
from pyflow._decider import decide
from pyflow.local import LocalSWF

DOMAIN, TASK_LIST = "bench", "bench-decider"


def fan_out(tasks: int) -> pyflow.Workflow:
    workflow = pyflow.Workflow("FanOut", version="1.0")
    for i in range(tasks):
        workflow.add(pyflow.LambdaTask(name=f"t{i}", lambda_function="noop",
                                       depends_on=[workflow.start_task]))
    return workflow


def register(client: Any, workflow: pyflow.Workflow) -> None:
    client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(
        domain=DOMAIN, name=workflow.name, version=workflow.version,
        defaultTaskList={"name": TASK_LIST}, defaultChildPolicy="TERMINATE",
        defaultExecutionStartToCloseTimeout="3600", defaultTaskStartToCloseTimeout="300")


def run(tasks: int) -> dict[str, float]:
    workflow = fan_out(tasks)
    with LocalSWF(virtual_time=True, poll_timeout=10) as engine:
        engine.add_lambda("noop", lambda event, context: None)
        client = engine.client()
        register(client, workflow)
        pages = client.get_paginator("poll_for_decision_task")
        busy_before = engine.stats.busy_seconds
        began = time.perf_counter()
        run_id = client.start_workflow_execution(
            domain=DOMAIN, workflowId="fan-out", input="null",
            workflowType={"name": workflow.name, "version": workflow.version},
            lambdaRole="arn:aws:iam::123456789012:role/bench")["runId"]
        execution: Any = {"workflowId": "fan-out", "runId": run_id}
        decider_seconds, decision_tasks = 0.0, 0
        while True:
            task = pages.paginate(domain=DOMAIN, taskList={"name": TASK_LIST}).build_full_result()
            if not task.get("taskToken"):
                continue
            decision_tasks += 1
            t0 = time.perf_counter()
            decisions = decide(workflow, task["events"], execution=task["workflowExecution"])
            decider_seconds += time.perf_counter() - t0
            client.respond_decision_task_completed(taskToken=task["taskToken"],
                                                   decisions=decisions)
            if any(d["decisionType"].endswith("WorkflowExecution") for d in decisions):
                break
        elapsed = time.perf_counter() - began
        info = client.describe_workflow_execution(domain=DOMAIN, execution=execution)
        status = info["executionInfo"].get("closeStatus", "OPEN")
        engine_seconds = engine.stats.busy_seconds - busy_before
    if status != "COMPLETED":
        raise SystemExit(f"the fan-out ended {status}, not COMPLETED")
    return {"tasks": tasks, "seconds": elapsed, "engine": engine_seconds,
            "decider": decider_seconds, "decision_tasks": decision_tasks}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--tasks", type=int, default=1000)
    result = run(parser.parse_args().tasks)
    seconds = result["seconds"]
    print(f"{int(result['tasks'])} no-op Lambda tasks in {seconds:.2f} s "
          f"({result['decision_tasks']:.0f} decision tasks): "
          f"{result['tasks'] / seconds:.0f} tasks/s")
    print(f"engine {result['engine'] / seconds:.0%} of the time, decider "
          f"{result['decider'] / seconds:.0%}, boto3 and loop "
          f"{max(0.0, 1 - (result['engine'] + result['decider']) / seconds):.0%}")


if __name__ == "__main__":
    main()
