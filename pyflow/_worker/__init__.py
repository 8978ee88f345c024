"""The long-running pollers: the shared poll loop, the stateless decider loop and the
activity worker (imported on first use, `_lazy`: a decider process never runs one)."""

from typing import TYPE_CHECKING

from .._lazy import exports
from ._decider import DeciderStats, poll_for_executions

if TYPE_CHECKING:
    from ._activities import ActivityContext, activity_context, poll_for_activities

__all__ = [
    "ActivityContext",
    "DeciderStats",
    "activity_context",
    "poll_for_activities",
    "poll_for_executions",
]

__getattr__, __dir__ = exports(__name__, {
    "_activities": ("ActivityContext", "activity_context", "poll_for_activities"),
}, globals())
