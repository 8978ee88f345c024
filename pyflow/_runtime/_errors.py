"""The runtime's exceptions: SWF faults translated into errors that say what to do.

    PyflowError
    └── SWFError                      an SWF call failed for a reason the caller can fix
        ├── UnknownDomainError        the domain does not exist
        ├── DeprecatedError           the domain or type is deprecated
        ├── UnknownTypeError          the workflow type is not registered
        ├── WorkflowAlreadyStartedError  an open execution already has that workflow id
        ├── UnknownExecutionError     no (open) execution with that workflow id / run id
        └── OutcomeTimeoutError       wait_for_outcome gave up before the execution closed
    ActivityCanceledError             raised inside an activity whose cancellation was requested
"""

from __future__ import annotations

from .._errors import PyflowError


class SWFError(PyflowError):
    """An SWF call failed; `code` is SWF's fault name (e.g. 'UnknownResourceFault')."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class UnknownDomainError(SWFError):
    """The SWF domain does not exist (create it with ensure_domain_registered or the CDK stack)."""


class DeprecatedError(SWFError):
    """The domain or type is deprecated, so SWF refuses new executions or types in it."""


class UnknownTypeError(SWFError):
    """The workflow type is not registered in the domain."""


class WorkflowAlreadyStartedError(SWFError):
    """An open execution with this workflow id already exists in the domain."""


class UnknownExecutionError(SWFError):
    """No execution with this workflow id (and run id) exists, or it is no longer open."""


class OutcomeTimeoutError(SWFError, TimeoutError):
    """The execution was still open when wait_for_outcome's timeout expired."""


class ActivityCanceledError(PyflowError):
    """Raised by `heartbeat()` when the decider asked to cancel the running activity.

    Let it propagate: the worker then reports the activity as canceled. Catch it only to clean
    up, and re-raise.
    """
