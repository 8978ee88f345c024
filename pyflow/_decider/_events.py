"""Facts about SWF history events that the decider, the runtime and the CLI all read."""

from __future__ import annotations

from typing import Final

CLOSE_STATUS: Final[dict[str, str]] = {
    "WorkflowExecutionCompleted": "COMPLETED",
    "WorkflowExecutionFailed": "FAILED",
    "WorkflowExecutionCanceled": "CANCELED",
    "WorkflowExecutionTimedOut": "TIMED_OUT",
    "WorkflowExecutionTerminated": "TERMINATED",
    "WorkflowExecutionContinuedAsNew": "CONTINUED_AS_NEW",
}
"""The event that closes an execution, mapped to the close status SWF reports for it."""
