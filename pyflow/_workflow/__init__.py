"""The workflow model: pure declarations of what to run and how tasks connect, with no I/O."""

# The decider reads these declarations and the runtime registers them; nothing here knows
# about SWF histories, so the model can be built and checked without AWS.

from ._activity import Activity, activity
from ._control import TriggerRule
from ._definition import StartTask, Task, Workflow
from ._retry import RetryPolicy
from ._tasks import ActivityTask, LambdaTask, SignalTask, TimerTask, WorkflowTask

__all__ = [
    "Activity",
    "ActivityTask",
    "LambdaTask",
    "RetryPolicy",
    "SignalTask",
    "StartTask",
    "Task",
    "TimerTask",
    "TriggerRule",
    "Workflow",
    "WorkflowTask",
    "activity",
]
