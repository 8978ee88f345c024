"""The workflow model: tasks, `Workflow`, `@activity`, the input rule, names and payloads.

Pure declarations with no I/O: what to run and how tasks connect. The decider reads them,
the runtime registers them, and nothing here knows about SWF histories.
"""

from ._activity import Activity, activity
from ._definition import StartTask, Task, Workflow
from ._tasks import ActivityTask, LambdaTask, SignalTask, TimerTask, WorkflowTask

__all__ = [
    "Activity",
    "ActivityTask",
    "LambdaTask",
    "SignalTask",
    "StartTask",
    "Task",
    "TimerTask",
    "Workflow",
    "WorkflowTask",
    "activity",
]
