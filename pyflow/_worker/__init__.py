"""The long-running pollers: the shared poll loop, the stateless decider loop and the
activity worker."""

from ._activities import ActivityContext, activity_context, poll_for_activities
from ._decider import DeciderStats, poll_for_executions

__all__ = [
    "ActivityContext",
    "DeciderStats",
    "activity_context",
    "poll_for_activities",
    "poll_for_executions",
]
