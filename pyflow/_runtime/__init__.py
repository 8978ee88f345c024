"""The runtime: boto3 plumbing between the pure model/decider and SWF (AWS, moto or
`pyflow.local`). Public names are re-exported by `pyflow`."""

from ._client import default_client
from ._decider_loop import DeciderStats, poll_for_executions
from ._discovery import load_activities, load_workflows
from ._errors import (
    ActivityCanceledError,
    DeprecatedError,
    OutcomeTimeoutError,
    SWFError,
    UnknownDomainError,
    UnknownExecutionError,
    UnknownTypeError,
    WorkflowAlreadyStartedError,
)
from ._outcome import Outcome, get_outcome, wait_for_outcome
from ._register import (
    DEFAULT_DECIDER_TASK_LIST,
    ensure_activity_registered,
    ensure_domain_registered,
    ensure_workflow_registered,
)
from ._start import cancel_workflow, signal_workflow, start_workflow
from ._worker import ActivityContext, activity_context, poll_for_activities

__all__ = [
    "DEFAULT_DECIDER_TASK_LIST",
    "ActivityCanceledError",
    "ActivityContext",
    "DeciderStats",
    "DeprecatedError",
    "Outcome",
    "OutcomeTimeoutError",
    "SWFError",
    "UnknownDomainError",
    "UnknownExecutionError",
    "UnknownTypeError",
    "WorkflowAlreadyStartedError",
    "activity_context",
    "cancel_workflow",
    "default_client",
    "ensure_activity_registered",
    "ensure_domain_registered",
    "ensure_workflow_registered",
    "get_outcome",
    "load_activities",
    "load_workflows",
    "poll_for_activities",
    "poll_for_executions",
    "signal_workflow",
    "start_workflow",
    "wait_for_outcome",
]
