"""pyflow's exceptions: one root, so callers can catch everything pyflow raises.

    PyflowError
    ├── DefinitionError            an invalid workflow definition, raised while it is built
    │   ├── DuplicateTaskError     two tasks with one name, or one task added twice
    │   ├── DependencyError        a dependency that is not part of this workflow
    │   ├── CycleError             dependencies that form a cycle
    │   └── InvalidNameError       a name or id that SWF or Lambda would reject
    ├── TaskInputError             a task's input could not be built (user code raised,
    │                              or a value is not JSON)
    └── PayloadTooLargeError       a payload over SWF's 32,768-character limit

Messages name the workflow and the task, so the error can be fixed without a debugger.
"""

from __future__ import annotations


class PyflowError(Exception):
    """The root of every exception pyflow raises on purpose."""


class DefinitionError(PyflowError, ValueError):
    """A workflow or task definition is invalid."""


class DuplicateTaskError(DefinitionError):
    """A task name is used twice, or a task object is added twice."""


class DependencyError(DefinitionError):
    """A task depends on something that is not a task of the same workflow."""


class CycleError(DefinitionError):
    """The dependencies of a workflow form a cycle."""


class InvalidNameError(DefinitionError):
    """A name or id that SWF or Lambda would reject."""


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
