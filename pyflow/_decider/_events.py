"""Facts about SWF history events that the decider, the runtime and the CLI all read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

CLOSE_STATUS: Final[dict[str, str]] = {
    "WorkflowExecutionCompleted": "COMPLETED",
    "WorkflowExecutionFailed": "FAILED",
    "WorkflowExecutionCanceled": "CANCELED",
    "WorkflowExecutionTimedOut": "TIMED_OUT",
    "WorkflowExecutionTerminated": "TERMINATED",
    "WorkflowExecutionContinuedAsNew": "CONTINUED_AS_NEW",
}
"""The event that closes an execution, mapped to the close status SWF reports for it."""


def attributes_key(event_type: str) -> str:
    """The key SWF files an event's attributes under: its type, first letter lowered, plus
    'EventAttributes' (`TimerFired` -> `timerFiredEventAttributes`)."""
    return event_type[:1].lower() + event_type[1:] + "EventAttributes"


def attributes(event: Mapping[str, Any]) -> dict[str, Any]:
    """The event's attributes (empty for an event that has none, or a malformed one)."""
    event_type = event.get("eventType")
    if not isinstance(event_type, str):
        return {}
    value = event.get(attributes_key(event_type))
    return dict(value) if isinstance(value, Mapping) else {}
