"""A workflow whose Lambda tasks make and pass payloads beyond SWF's limit, for tests that run
it over `pyflow local serve` (`--lambdas tests.support.payload_flows`)."""

from __future__ import annotations

from typing import Any

import pyflow

big = pyflow.Workflow("BigPayloads", version="1")
big.add(pyflow.LambdaTask(name="Make", lambda_function="make", depends_on=[big.start_task]))
big.add(pyflow.LambdaTask(name="Upper", lambda_function="upper", depends_on=["Make"]))

LAMBDAS: dict[str, Any] = {
    "make": lambda n, context: "a" * n,
    "upper": lambda text, context: text.upper(),
}
