"""The workflow the UI's end-to-end tests watch: a slow Lambda beside a signal gate.

`pyflow local serve --lambdas/--register` and `pyflow decider` load it in their own
processes, so it lives in a module rather than inline in a test.
"""

from __future__ import annotations

import time
from typing import Any

import pyflow

SLOW_SECONDS = 3.0
"""Long enough for the page to show the task running before it completes."""


def slow(event: Any, context: Any) -> Any:
    time.sleep(SLOW_SECONDS)
    return {"slept": SLOW_SECONDS}


def shout(event: Any, context: Any) -> Any:
    return str(event).upper()


LAMBDAS = {"ui-slow": slow, "ui-shout": shout}

gated = pyflow.Workflow("UiGated", version="1")
nap = gated.add(pyflow.LambdaTask(name="Slow", lambda_function="ui-slow",
                                  depends_on=[gated.start_task]))
gate = gated.add(pyflow.SignalTask(name="Gate", signal_name="Approved",
                                   depends_on=[gated.start_task]))
gated.add(pyflow.LambdaTask(name="Finish", lambda_function="ui-shout", depends_on=[nap, gate],
                            transform_input=lambda inp: inp["inputs"]["Gate"]))
