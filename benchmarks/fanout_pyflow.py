"""pyflow's side of `compare_simpleflow.py`: N independent activities, then the execution
closes with their outputs (a dict by task name). `pyflow decider fanout_pyflow` and
`pyflow worker fanout_pyflow` load it; N comes from BENCH_ACTIVITIES (default 200), since
those commands take a module, not arguments.

The activity returns its input, as simpleflow's side does: what is measured is the
libraries and the server, not the work.
"""

from __future__ import annotations

import os

import pyflow

DECIDER_TASK_LIST = "bench-pyflow-deciders"
WORKER_TASK_LIST = "bench-pyflow-workers"


@pyflow.activity(name="bench-echo", version="1", task_list=WORKER_TASK_LIST)
def echo(value: int) -> int:
    return value


def fan_out(activities: int) -> pyflow.Workflow:
    """No `depends_on`: every task is ready at the start, so the first decision schedules
    them all (99 at a time, SWF's cap on decisions per answer, with a wake-up timer)."""
    workflow = pyflow.Workflow("PyflowFanOut", "1", task_list=DECIDER_TASK_LIST)
    for i in range(activities):
        workflow.add(pyflow.ActivityTask(name=f"a{i:04d}", activity=echo, param=i))
    return workflow


workflow = fan_out(int(os.environ.get("BENCH_ACTIVITIES", "200")))
