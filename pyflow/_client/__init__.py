"""Everything done to SWF on a caller's behalf: the one boto3 factory, registration, starting,
signalling, cancelling and reading executions, with SWF's faults turned into pyflow errors."""

from ._executions import cancel_workflow, signal_workflow, start_workflow
from ._factory import default_client
from ._outcome import Outcome, get_outcome, wait_for_outcome
from ._register import (
    DEFAULT_DECIDER_TASK_LIST,
    ensure_activity_registered,
    ensure_domain_registered,
    ensure_workflow_registered,
)

__all__ = [
    "DEFAULT_DECIDER_TASK_LIST",
    "Outcome",
    "cancel_workflow",
    "default_client",
    "ensure_activity_registered",
    "ensure_domain_registered",
    "ensure_workflow_registered",
    "get_outcome",
    "signal_workflow",
    "start_workflow",
    "wait_for_outcome",
]
