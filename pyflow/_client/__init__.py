"""Everything done to SWF on a caller's behalf: `Client`, the one boto3 factory, registration,
starting, signalling, cancelling, terminating, listing and reading executions, and the one
translation of SWF's faults into pyflow errors.

The session (`_session`: what the pollers hold), the factory and registration are imported
here; `Client`, the module-level functions and the names that are only theirs to export on
first use (`_lazy`): the decider Lambda calls none of them.
"""

from typing import TYPE_CHECKING

from .._lazy import exports
from ._factory import default_client, swf_client
from ._register import DEFAULT_DECIDER_TASK_LIST
from ._session import DEFAULT_DOMAIN

if TYPE_CHECKING:
    from ._client import Client, as_client
    from ._functions import (
        cancel_workflow,
        complete_signal,
        describe_execution,
        ensure_activity_registered,
        ensure_domain_registered,
        ensure_workflow_registered,
        get_outcome,
        list_executions,
        signal_workflow,
        start_workflow,
        terminate_workflow,
        wait_for_outcome,
    )
    from ._outcome import Outcome
    from ._pages import ExecutionPage

__all__ = [
    "DEFAULT_DECIDER_TASK_LIST",
    "DEFAULT_DOMAIN",
    "Client",
    "ExecutionPage",
    "Outcome",
    "as_client",
    "cancel_workflow",
    "complete_signal",
    "default_client",
    "describe_execution",
    "ensure_activity_registered",
    "ensure_domain_registered",
    "ensure_workflow_registered",
    "get_outcome",
    "list_executions",
    "signal_workflow",
    "start_workflow",
    "swf_client",
    "terminate_workflow",
    "wait_for_outcome",
]

__getattr__, __dir__ = exports(__name__, {
    "_client": ("Client", "as_client"),
    "_functions": (
        "cancel_workflow", "complete_signal", "describe_execution", "ensure_activity_registered",
        "ensure_domain_registered", "ensure_workflow_registered", "get_outcome",
        "list_executions", "signal_workflow", "start_workflow", "terminate_workflow",
        "wait_for_outcome",
    ),
    "_outcome": ("Outcome",),
    "_pages": ("ExecutionPage",),
}, globals())
