"""Every exception pyflow raises on purpose, under one root, so callers can catch them all.

    PyflowError
    ├── DefinitionError (ValueError)   an invalid workflow or activity definition, raised as it
    │   │                              is built
    │   ├── DuplicateTaskError         two tasks with one name, or one task added twice
    │   ├── DependencyError            a dependency that is not part of this workflow
    │   ├── CycleError                 dependencies that form a cycle
    │   ├── InvalidNameError           a name or id that SWF or Lambda would reject
    │   └── DefinitionTypeError (TypeError)   a definition given an object of the wrong type
    ├── UnknownTaskError (KeyError)    a workflow asked for a task name it does not have
    ├── InvalidArgumentError (ValueError)     a bad argument to a runtime call (retention days,
    │   │                                     tags, timeouts, iterations)
    │   └── ArgumentTypeError (TypeError)     an argument of the wrong type (a non-JSON input)
    ├── LoadError                      a module or package named by the user could not be
    │                                  imported, or holds no workflows or activities
    ├── ConfigurationError             no region, credentials or usable endpoint for SWF
    ├── TaskInputError                 a task's input could not be built (user code raised,
    │                                  or a value is not JSON)
    ├── PayloadTooLargeError           a payload over SWF's 32,768-character limit
    ├── PayloadStoreError              a payload store could not write or read a payload,
    │                                  or a reference arrived where no store is configured
    ├── SWFError                       an SWF call failed for a reason the caller can fix
    │   ├── UnknownDomainError         the domain does not exist
    │   ├── DeprecatedError            the domain or type is deprecated
    │   ├── UnknownTypeError           the workflow type is not registered
    │   ├── WorkflowAlreadyStartedError   an open execution already has that workflow id
    │   ├── UnknownExecutionError      no (open) execution with that workflow id / run id
    │   └── OutcomeTimeoutError (TimeoutError)  wait_for_outcome gave up before the close
    └── ActivityCanceledError          raised inside an activity whose cancellation was requested

The command line's one-line errors (`pyflow.cli`) and the embedded engine's SWF faults
(`pyflow.local.SWFFault`, which boto3 sees as SWF's own error codes) subclass PyflowError too.
Builtin bases are kept where callers would expect them (`except ValueError` around a
definition still works). Messages name the workflow, the task and the fix, so an error can be
mended without a debugger.
"""

from __future__ import annotations


class PyflowError(Exception):
    """The root of every exception pyflow raises on purpose."""


class DefinitionError(PyflowError, ValueError):
    """A workflow, task or activity definition is invalid."""


class DuplicateTaskError(DefinitionError):
    """A task name is used twice, or a task object is added twice."""


class DependencyError(DefinitionError):
    """A task depends on something that is not a task of the same workflow."""


class CycleError(DefinitionError):
    """The dependencies of a workflow form a cycle."""


class InvalidNameError(DefinitionError):
    """A name or id that SWF or Lambda would reject."""


class DefinitionTypeError(DefinitionError, TypeError):
    """A definition was given an object of the wrong type (a function not declared with
    `@pyflow.activity`, something that is not a `pyflow.Workflow`)."""


class UnknownTaskError(PyflowError, KeyError):
    """A workflow was asked for a task by a name none of its tasks has."""

    def __str__(self) -> str:
        # KeyError's own str() quotes the message as if it were the missing key.
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(PyflowError, ValueError):
    """An argument to a runtime call is out of range."""


class ArgumentTypeError(InvalidArgumentError, TypeError):
    """An argument to a runtime call is of the wrong type."""


class LoadError(PyflowError):
    """A module or package the user named could not be imported or holds nothing usable.

    The attributes let a one-line display (the CLI's "Error: ... / Hint: ...") say where the
    user's code failed without showing a traceback.
    """

    def __init__(
        self,
        message: str,
        *,
        module: str | None = None,
        hint: str | None = None,
        filename: str | None = None,
        lineno: int | None = None,
    ) -> None:
        super().__init__(message)
        self.module = module
        """The module being imported or searched, as the user named it."""
        self.hint = hint
        """What to do about it, for one-line error displays."""
        self.filename = filename
        """The file of the user's code where importing failed, if it did."""
        self.lineno = lineno
        """The line in `filename`."""


class ConfigurationError(PyflowError):
    """pyflow cannot build an SWF client: no region, no credentials, or a bad endpoint URL."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint
        """What to do about it, for one-line error displays."""


class TaskInputError(PyflowError):
    """A task's input could not be built.

    Retrying cannot help, so the decider fails the task at once with this message as the reason.
    """

    def __init__(self, message: str, *, task_name: str, details: str | None = None) -> None:
        super().__init__(message)
        self.task_name = task_name
        self.details = details


class PayloadTooLargeError(PyflowError):
    """A payload is longer than SWF accepts (32,768 characters)."""

    def __init__(self, message: str, *, size: int, limit: int) -> None:
        super().__init__(message)
        self.size = size
        self.limit = limit


class PayloadStoreError(PyflowError):
    """A payload store failed, or a payload reference cannot be resolved; `missing` is True
    when the store answered that the payload is not there (retrying cannot help)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


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
