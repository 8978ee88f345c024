"""The decider Lambda: on each scheduled invocation, run pyflow's decider loop for a while.

The work is pyflow's: this module only wires it to Lambda. It loads every workflow defined in the
`workflows` package (the layer), registers their types once per cold start, then polls the task
list until `PYFLOW_ITERATIONS` polls are done or too little time is left to finish another long
poll (SWF holds a poll up to 60 s), so no decision task is ever taken and then abandoned by a
timed-out invocation. State lives in SWF, so invocations can stop and overlap freely.

Environment (set by the CDK stack): PYFLOW_DOMAIN, PYFLOW_TASK_LIST, PYFLOW_LAMBDA_ROLE (the
types' default Lambda role), PYFLOW_WORKFLOWS (package to load, default `workflows`),
PYFLOW_ITERATIONS (default 100), plus Powertools' POWERTOOLS_SERVICE_NAME and
POWERTOOLS_METRICS_NAMESPACE.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.utils import copy_config_to_registered_loggers
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

import pyflow

POLL_MARGIN_MS = 70_000
"""Stop when less than this is left: a long poll takes up to 60 s, plus network time."""

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "pyflow-decider"))
tracer = Tracer(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "pyflow-decider"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "pyflow"))

# pyflow logs through the "pyflow" logger tree with `workflow_id` and `run_id` as record
# attributes; Powertools' JSON formatter turns them into keys of each log line.
logging.getLogger("pyflow")
copy_config_to_registered_loggers(source_logger=logger, include={"pyflow"})

_METRICS = {
    "DecisionTasks": "decision_tasks",
    "Decisions": "decisions",
    "DeciderErrors": "errors",
    "HistoryPages": "history_pages",
    "EmptyPolls": "empty_polls",
}
"""CloudWatch metric name -> `pyflow.DeciderStats` field."""

_workflows: list[pyflow.Workflow] | None = None


@dataclasses.dataclass(frozen=True)
class _Config:
    domain: str
    task_list: str
    lambda_role: str | None
    package: str
    iterations: int

    @classmethod
    def from_environment(cls) -> _Config:
        required = ("PYFLOW_DOMAIN", "PYFLOW_TASK_LIST")
        missing = [name for name in required if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                f"the decider needs the environment variable(s) {', '.join(missing)}"
            )
        return cls(
            domain=os.environ["PYFLOW_DOMAIN"],
            task_list=os.environ["PYFLOW_TASK_LIST"],
            lambda_role=os.environ.get("PYFLOW_LAMBDA_ROLE") or None,
            package=os.environ.get("PYFLOW_WORKFLOWS", "workflows"),
            iterations=int(os.environ.get("PYFLOW_ITERATIONS", "100")),
        )


def _registered_workflows(config: _Config) -> list[pyflow.Workflow]:
    """Load and register the workflows on the first invocation of this Lambda instance.

    Done in the handler rather than at import so a failure (a broken workflow module, a
    throttled registration) is logged with the invocation and retried by the next one.
    """
    global _workflows
    if _workflows is None:
        workflows = pyflow.load_workflows(config.package)
        for workflow in workflows:
            pyflow.ensure_workflow_registered(
                workflow,
                domain=config.domain,
                task_list=config.task_list,
                lambda_role=config.lambda_role,
            )
        logger.info(
            "registered workflows",
            extra={"workflows": [f"{w.name} {w.version}" for w in workflows]},
        )
        _workflows = workflows
    return _workflows


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    """Decide executions until the iterations are spent or the deadline is near."""
    config = _Config.from_environment()
    metrics.add_dimension(name="Domain", value=config.domain)
    tracer.put_annotation(key="domain", value=config.domain)
    tracer.put_annotation(key="task_list", value=config.task_list)
    try:
        workflows = _registered_workflows(config)
        stats = pyflow.poll_for_executions(
            workflows,
            domain=config.domain,
            task_list=config.task_list,
            num_iterations=config.iterations,
            identity=f"pyflow-decider:{context.aws_request_id}",
            should_stop=lambda: context.get_remaining_time_in_millis() < POLL_MARGIN_MS,
        )
    except Exception:
        # A missing domain, a broken workflow module, denied permissions: count it, log it
        # with the invocation, and fail the invocation (the next scheduled one tries again).
        metrics.add_metric(name="DeciderErrors", unit=MetricUnit.Count, value=1)
        logger.exception("decider invocation failed")
        raise
    result = dataclasses.asdict(stats)
    for metric, field in _METRICS.items():
        metrics.add_metric(name=metric, unit=MetricUnit.Count, value=result[field])
    logger.info("decider invocation done", extra=result)
    return result
