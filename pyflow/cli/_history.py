"""History events as people read them: one line per event with its telling attributes.

Pure functions over the events boto3 returns; ids that only point at other events
(`decisionTaskCompletedEventId`, ...) are left out because the table already orders events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .._decider._events import attributes
from . import _render as r

_PAYLOAD_KEYS = ("input", "result", "details", "control")
_SKIP_KEYS = ("taskPriority", "identity", "executionContext")


def _value(key: str, value: Any, width: int | None) -> str | None:
    if key.endswith("EventId") or key in _SKIP_KEYS:
        return None
    if isinstance(value, Mapping):
        if "name" in value and "version" in value:  # a workflow or activity type
            return f"{value['name']} {value['version']}"
        if "name" in value and len(value) == 1:  # a task list
            return str(value["name"])
        if "workflowId" in value:
            return str(value["workflowId"])
        return r.short(dict(value), width or 10_000)
    if key in _PAYLOAD_KEYS and isinstance(value, str):
        return r.short(value, width) if width else value
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def summary(event: Mapping[str, Any], width: int | None = 80) -> str:
    """`key=value` pairs for the attributes worth reading, payloads cut to `width`."""
    parts = []
    for key, value in attributes(event).items():
        text = _value(key, value, width)
        if text is not None:
            parts.append(f"{key}={text}")
    return "  ".join(parts)


def event_rows(events: Sequence[Mapping[str, Any]], width: int | None = 80) -> list[list[str]]:
    """Rows of (id, time of day UTC, seconds since the first event, type, summary)."""
    first: datetime | None = events[0]["eventTimestamp"] if events else None
    rows = []
    for event in events:
        offset = r.between(first, event["eventTimestamp"])
        rows.append(
            [
                str(event["eventId"]),
                r.clock(event["eventTimestamp"]),
                f"+{offset:.3f}s" if offset is not None else "",
                str(event["eventType"]),
                summary(event, width),
            ]
        )
    return rows
