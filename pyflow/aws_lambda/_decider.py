"""The decider Lambda's work for one invocation: decide executions until too little time is
left to finish another long poll (or an optional count of polls is spent).

SWF holds a poll up to 60 s, so a poll never starts with less than `POLL_MARGIN_MS` left: no
decision task is taken and then abandoned by a timed-out invocation. State lives in SWF, so
invocations can stop and overlap freely. The workflows are loaded and registered once per
Lambda instance, in the first invocation rather than at import, so that a failure (a broken
workflow module, a throttled registration) is logged with an invocation and retried by the next.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import Any, Protocol

from .._client._session import Session
from .._exceptions import ConfigurationError
from .._loading import load_workflows
from .._payloads import PayloadStore, S3PayloadStore
from .._payloads._s3 import DEFAULT_PREFIX
from .._worker import DeciderStats, poll_for_executions
from .._workflow import Workflow

POLL_MARGIN_MS = 70_000
"""Stop when less than this is left: a long poll takes up to 60 s, plus network time."""
METRICS = {
    "DecisionTasks": "decision_tasks",
    "Decisions": "decisions",
    "DeciderErrors": "errors",
    "HistoryPages": "history_pages",
    "EmptyPolls": "empty_polls",
}
"""CloudWatch metric name -> `pyflow.DeciderStats` field."""
PENDING_METRIC = "PendingDecisionTasks"
"""The backlog SWF reports (CountPendingDecisionTasks) as an invocation starts: the stack
alarms on it, since decisions that wait mean too few or too slow invocations."""

log = logging.getLogger("pyflow.aws_lambda")


class MetricsSink(Protocol):
    """What the decider needs of Powertools' `Metrics`."""

    def add_metric(self, *, name: str, unit: Any, value: float) -> None: ...
    def add_dimension(self, *, name: str, value: str) -> None: ...


class TraceSink(Protocol):
    """What the decider needs of Powertools' `Tracer`."""

    def put_annotation(self, *, key: str, value: str) -> None: ...


class LambdaContext(Protocol):
    aws_request_id: str

    def get_remaining_time_in_millis(self) -> int: ...


@dataclasses.dataclass(frozen=True)
class DeciderConfig:
    """The decider's settings, as the CDK stack sets them in the function's environment."""

    domain: str
    task_list: str
    lambda_role: str | None = None
    """The workflow types' default Lambda role."""
    package: str = "workflows"
    """The module or package (in the layer) whose workflows are decided."""
    iterations: int | None = None
    """Most polls per invocation; None: the deadline alone stops it, so a busy decider
    decides for the whole invocation rather than a fixed number of tasks."""
    payload_bucket: str | None = None
    """The S3 bucket of the payload store (None: no store; payloads over 32,768 characters
    fail their task)."""
    payload_prefix: str = DEFAULT_PREFIX
    """The key prefix of the payload store's objects in `payload_bucket`."""

    @classmethod
    def from_environment(cls) -> DeciderConfig:
        """PYFLOW_DOMAIN and PYFLOW_TASK_LIST (required), PYFLOW_LAMBDA_ROLE,
        PYFLOW_WORKFLOWS (default `workflows`), PYFLOW_ITERATIONS (optional upper bound),
        PYFLOW_PAYLOAD_BUCKET and PYFLOW_PAYLOAD_PREFIX (the payload store, optional)."""
        missing = [n for n in ("PYFLOW_DOMAIN", "PYFLOW_TASK_LIST") if not os.environ.get(n)]
        if missing:
            raise ConfigurationError(
                f"the decider needs the environment variable(s) {', '.join(missing)}",
                hint="the pyflow CDK stack sets them; set them on the function",
            )
        text = os.environ.get("PYFLOW_ITERATIONS", "").strip()
        if text and (not text.isdigit() or int(text) < 1):
            raise ConfigurationError(
                f"PYFLOW_ITERATIONS must be a whole number >= 1, not {text!r}"
            )
        return cls(
            domain=os.environ["PYFLOW_DOMAIN"],
            task_list=os.environ["PYFLOW_TASK_LIST"],
            lambda_role=os.environ.get("PYFLOW_LAMBDA_ROLE") or None,
            package=os.environ.get("PYFLOW_WORKFLOWS", "workflows"),
            iterations=int(text) if text else None,
            payload_bucket=os.environ.get("PYFLOW_PAYLOAD_BUCKET") or None,
            payload_prefix=os.environ.get("PYFLOW_PAYLOAD_PREFIX", DEFAULT_PREFIX),
        )


class Decider:
    """One per Lambda instance (a module-level object in the handler): it remembers the
    workflows it registered at the instance's cold start."""

    def __init__(self) -> None:
        self.workflows: list[Workflow] | None = None
        self.payload_store: PayloadStore | None = None
        """Kept across invocations, with its cache of payloads already read."""

    def invoke(
        self,
        context: LambdaContext,
        *,
        metrics: MetricsSink | None = None,
        tracer: TraceSink | None = None,
    ) -> dict[str, int]:
        """Decide executions until the deadline is near (or the iterations are spent); the
        counters are returned and added to `metrics`. Failures are counted, logged and raised
        (the next scheduled invocation tries again)."""
        config = DeciderConfig.from_environment()
        if metrics is not None:
            metrics.add_dimension(name="Domain", value=config.domain)
        if tracer is not None:
            tracer.put_annotation(key="domain", value=config.domain)
            tracer.put_annotation(key="task_list", value=config.task_list)
        client = Session(domain=config.domain)
        if metrics is not None:
            _publish_backlog(client, config.task_list, metrics)
        try:
            stats = self._decide(config, client, context)
        except Exception:
            if metrics is not None:
                metrics.add_metric(name="DeciderErrors", unit="Count", value=1)
            log.exception("decider invocation failed")
            raise
        result = dataclasses.asdict(stats)
        if metrics is not None:
            for metric, field in METRICS.items():
                metrics.add_metric(name=metric, unit="Count", value=result[field])
        log.info("decider invocation done", extra=result)
        return result

    def _decide(
        self, config: DeciderConfig, client: Session, context: LambdaContext
    ) -> DeciderStats:
        return poll_for_executions(
            self._registered(config, client),
            domain=config.domain,
            task_list=config.task_list,
            num_iterations=config.iterations,
            identity=f"pyflow-decider:{context.aws_request_id}",
            client=client.swf,
            should_stop=lambda: context.get_remaining_time_in_millis() < POLL_MARGIN_MS,
            payload_store=self._payload_store(config),
        )

    def _payload_store(self, config: DeciderConfig) -> PayloadStore | None:
        if config.payload_bucket is None:
            return None
        store = self.payload_store
        if not (isinstance(store, S3PayloadStore) and store.bucket == config.payload_bucket
                and store.prefix == config.payload_prefix):
            store = self.payload_store = S3PayloadStore(
                config.payload_bucket, config.payload_prefix
            )
        return store

    def _registered(self, config: DeciderConfig, client: Session) -> list[Workflow]:
        if self.workflows is None:
            workflows = load_workflows(config.package)
            for workflow in workflows:
                client.register(
                    workflow, task_list=config.task_list, lambda_role=config.lambda_role
                )
            log.info(
                "registered workflows",
                extra={"workflows": [f"{w.name} {w.version}" for w in workflows]},
            )
            self.workflows = workflows
        return self.workflows


def _publish_backlog(client: Session, task_list: str, metrics: MetricsSink) -> None:
    """Add the pending decision tasks to `metrics`; a failed count is logged, never fatal:
    the invocation's work is deciding, and the alarm on DeciderErrors covers a broken SWF."""
    try:
        count = client.swf.count_pending_decision_tasks(
            domain=client.domain, taskList={"name": task_list}
        )["count"]
    except Exception:  # noqa: BLE001 - any failure of this side call must not stop deciding
        log.warning("could not count pending decision tasks", exc_info=True)
        return
    metrics.add_metric(name=PENDING_METRIC, unit="Count", value=count)
