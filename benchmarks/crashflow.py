"""The workflow `crash_local_serve.py` runs through server crashes: a DAG with two Lambda
tasks, an activity and a timer, whose result says whether every step ran on the right input.

Input n: Double gives 2n (Lambda), AddOne gives 2n + 1 (activity), Nap waits 2 s (timer)
beside them, and Combine (Lambda) returns "n=<n> sum=<4n + 1>" once all three are done.
"""

from __future__ import annotations

from typing import Any

import pyflow

DOMAIN = "crash"


@pyflow.activity(name="crash-add-one", version="1", task_list="crash-workers",
                 start_to_close_timeout=5, schedule_to_start_timeout=120)
def add_one(value: int) -> int:
    return value + 1


def double(event: Any, context: Any = None) -> int:
    return int(event) * 2


def combine(event: Any, context: Any = None) -> str:
    doubled, plus_one = event["inputs"]["Double"], event["inputs"]["AddOne"]
    return f"n={doubled // 2} sum={doubled + plus_one}"


LAMBDAS = {"crash-double": double, "crash-combine": combine}


def expected(n: int) -> str:
    return f"n={n} sum={4 * n + 1}"


workflow = pyflow.Workflow("CrashDag", "1", task_list="crash-deciders", decision_timeout=5,
                           execution_timeout=600)
doubled = workflow.add(pyflow.LambdaTask(name="Double", lambda_function="crash-double",
                                         timeout=30, depends_on=[workflow.start_task]))
plus = workflow.add(pyflow.ActivityTask(name="AddOne", activity=add_one, depends_on=[doubled],
                                        num_retries=3))
nap = workflow.add(pyflow.TimerTask(name="Nap", duration=2, depends_on=[workflow.start_task]))
workflow.add(pyflow.LambdaTask(name="Combine", lambda_function="crash-combine", timeout=30,
                               depends_on=[doubled, plus, nap]))
