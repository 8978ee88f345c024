"""Loggers for the runtime, with the execution's ids on every record about an execution.

Records carry `workflow_id` and `run_id` as attributes (for structured handlers such as
Powertools' Logger or a JSON formatter) and start with the workflow id for plain formatters.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping
from typing import Any

decider_log = logging.getLogger("pyflow.decider")
worker_log = logging.getLogger("pyflow.worker")
runtime_log = logging.getLogger("pyflow.runtime")


class ExecutionLogger(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Adds `workflow_id` and `run_id` to every record (and keeps the caller's own extras)."""

    def __init__(self, logger: logging.Logger, workflow_id: str, run_id: str) -> None:
        super().__init__(logger, {"workflow_id": workflow_id, "run_id": run_id})

    def process(
        self, msg: Any, kwargs: MutableMapping[str, Any]
    ) -> tuple[Any, MutableMapping[str, Any]]:
        ids: Mapping[str, object] = self.extra or {}
        kwargs["extra"] = {**ids, **kwargs.get("extra", {})}
        return f"[{ids.get('workflow_id')}] {msg}", kwargs


def for_execution(logger: logging.Logger, execution: Mapping[str, Any] | None) -> ExecutionLogger:
    """An adapter for the execution `{'workflowId': ..., 'runId': ...}` (missing keys -> '?')."""
    execution = execution or {}
    return ExecutionLogger(
        logger, str(execution.get("workflowId", "?")), str(execution.get("runId", "?"))
    )
