"""simpleflow's side of `compare_simpleflow.py`, run only in the benchmark's own simpleflow
0.36 virtualenv (simpleflow is not a dependency of pyflow): N independent activities, then
the execution closes with their results (a list).

Written as simpleflow's quickstart and examples write a fan-out: `self.submit` for each
activity, then `futures.wait(*futures)`. simpleflow replays `run` from the top on every
decision task; the submits come first, so one pass schedules everything it may (its
executor caps an answer at 100 decisions and adds a wake-up timer, as pyflow does).
"""

from __future__ import annotations

from typing import Any

from simpleflow import Workflow, activity, futures

DECIDER_TASK_LIST = "bench-simpleflow-deciders"
WORKER_TASK_LIST = "bench-simpleflow-workers"
ACTIVITY_NAME = "fanout_simpleflow.echo"
"""simpleflow names an activity type after the function's module and name; its worker
imports the function by that name."""


@activity.with_attributes(task_list=WORKER_TASK_LIST, version="1")
def echo(value: int) -> int:
    return value


class FanOut(Workflow):
    name = "SimpleflowFanOut"
    version = "1"
    task_list = DECIDER_TASK_LIST

    def run(self, activities: int) -> list[Any]:
        pending = [self.submit(echo, i) for i in range(activities)]
        futures.wait(*pending)
        return [future.result for future in pending]
