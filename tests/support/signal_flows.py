"""A workflow whose signal task's notifier writes its callback where a test can read it, for
runs under `pyflow local serve` (the Lambda runs inside the server process)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyflow


def write_callback(event: Any, context: Any = None) -> str:
    Path(os.environ["PYFLOW_TEST_CALLBACKS"]).joinpath(f"{event['workflow_id']}.json").write_text(
        json.dumps(event)
    )
    return "asked"


def ship(event: Any, context: Any = None) -> str:
    return f"shipped: {event}"


LAMBDAS = {"write-callback": write_callback, "ship": ship}

approval = pyflow.Workflow("ServeApproval", "1")
approval.add(pyflow.SignalTask(name="Approve", signal_name="Approved", notify="write-callback",
                               depends_on=[approval.start_task]))
approval.add(pyflow.LambdaTask(name="Ship", lambda_function="ship", depends_on=["Approve"]))
