"""pyflow: declare a workflow as a graph of tasks in Python and run it on Amazon SWF.

The public API is exactly what `__all__` lists; every other module is private.
"""

from ._activity import Activity, activity
from ._errors import (
    CycleError,
    DefinitionError,
    DependencyError,
    DuplicateTaskError,
    InvalidNameError,
    PayloadTooLargeError,
    PyflowError,
    TaskInputError,
)
from ._tasks import (
    ActivityTask,
    LambdaTask,
    SignalTask,
    StartTask,
    Task,
    TimerTask,
    WorkflowTask,
)
from ._workflow import Workflow

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "ActivityTask",
    "CycleError",
    "DefinitionError",
    "DependencyError",
    "DuplicateTaskError",
    "InvalidNameError",
    "LambdaTask",
    "PayloadTooLargeError",
    "PyflowError",
    "SignalTask",
    "StartTask",
    "Task",
    "TaskInputError",
    "TimerTask",
    "Workflow",
    "WorkflowTask",
    "activity",
]
