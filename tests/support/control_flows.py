"""Workflows that branch, clean up, notify and loop, with the Lambdas and activity they run.

Used in-process (`pyflow.local.run`) and by `pyflow local serve --lambdas` in a subprocess,
so the Lambdas are plain functions of their event; the status check counts calls per job,
as the external system a polling loop waits on would.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyflow

_CALLS: Counter[str] = Counter()


def check(event: Any, context: Any = None) -> Any:
    return event


def label(event: Any, context: Any = None) -> str:
    return f"{event['param']}:{event['inputs']['Check']}"


def join(event: Any, context: Any = None) -> Any:
    return sorted(event["inputs"].values())


def fail(event: Any, context: Any = None) -> Any:
    raise ValueError(f"cannot process {event!r}")


def notify(event: Any, context: Any = None) -> str:
    return "told: " + event["error"]["reason"]


def status(event: Any, context: Any = None) -> str:
    """'DONE' on the job's `needed`-th call, 'RUNNING' before."""
    _CALLS[event["job"]] += 1
    return "DONE" if _CALLS[event["job"]] >= event["needed"] else "RUNNING"


def increment(event: Any, context: Any = None) -> int:
    return int(event) + 1


LAMBDAS = {
    "cf-check": check,
    "cf-label": label,
    "cf-join": join,
    "cf-fail": fail,
    "cf-notify": notify,
    "cf-status": status,
    "cf-increment": increment,
}


@pyflow.activity(name="cf-cleanup", version="1", task_list="cf-workers")
def cleanup(value: Any) -> str:
    return f"cleaned after {sorted(value)}" if isinstance(value, dict) else "cleaned"


# A branch: two run_if paths joined by none_failed.
branch = pyflow.Workflow("CfBranch", "1")
branch.add(pyflow.LambdaTask(name="Check", lambda_function="cf-check",
                             depends_on=[branch.start_task]))
branch.add(pyflow.LambdaTask(name="Big", lambda_function="cf-label", param="big",
                             depends_on=["Check"], run_if=lambda v: v["inputs"]["Check"] > 10))
branch.add(pyflow.LambdaTask(name="Small", lambda_function="cf-label", param="small",
                             depends_on=["Check"], run_if=lambda v: v["inputs"]["Check"] <= 10))
branch.add(pyflow.LambdaTask(name="Join", lambda_function="cf-join", depends_on=["Big", "Small"],
                             trigger_rule="none_failed"))

# Whatever happens, clean up (an activity); on failure, notify (a Lambda given the error).
cleanup_flow = pyflow.Workflow("CfCleanup", "1")
cleanup_flow.add(pyflow.LambdaTask(name="Work", lambda_function="cf-fail", num_retries=1,
                                   depends_on=[cleanup_flow.start_task]))
cleanup_flow.add(pyflow.LambdaTask(name="Notify", lambda_function="cf-notify",
                                   depends_on=["Work"], trigger_rule="one_failed"))
cleanup_flow.add(pyflow.ActivityTask(name="Clean", activity=cleanup, depends_on=["Work"],
                                     trigger_rule=pyflow.TriggerRule.ALL_DONE))


def polling(max_iterations: int) -> pyflow.Workflow:
    """Call cf-status every 60 s until it says DONE."""
    wf = pyflow.Workflow(f"CfPoll{max_iterations}", "1")
    wf.add(pyflow.LambdaTask(name="Wait", lambda_function="cf-status",
                             depends_on=[wf.start_task], repeat_until=lambda s: s == "DONE",
                             max_iterations=max_iterations, repeat_delay=60))
    return wf


poll = polling(5)
poll_limited = polling(2)

# A child workflow as a loop body: each child's output is the next child's input.
step = pyflow.Workflow("CfStep", "1")
step.add(pyflow.LambdaTask(name="Inc", lambda_function="cf-increment",
                           depends_on=[step.start_task]))
counter = pyflow.Workflow("CfCounter", "1")
counter.add(pyflow.WorkflowTask(name="Body", workflow=step, depends_on=[counter.start_task],
                                repeat_until=lambda n: n >= 3, max_iterations=10))

WORKFLOWS = [branch, cleanup_flow, poll, poll_limited, counter]
