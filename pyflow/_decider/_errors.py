"""A task failure as users act on it: error type, message and traceback, from SWF's reason
and details as Lambda reports them and as activity workers send them."""

from __future__ import annotations

import json
from typing import Any

from .._workflow._payload import TRUNCATION_MARKER
from ._records import TaskError

TRACEBACK_LIMIT = 12_000
"""Characters of traceback a workflow failure's details keep, head and tail, so the rest of
the details still fits SWF's 32,768."""


def head_and_tail(text: str, limit: int) -> str:
    """`text` within `limit` characters, keeping its start and its end (a traceback's most
    useful lines: where it began and what finally raised), the cut marked in the middle."""
    if len(text) <= limit:
        return text
    room = max(0, limit - len(TRUNCATION_MARKER))
    head = room // 2
    return text[:head] + TRUNCATION_MARKER[: limit - room] + text[len(text) - (room - head):]


def error_fields(error: TaskError | None) -> dict[str, Any]:
    """{'type', 'message', 'traceback'} of a failure, as far as its details tell them."""
    if error is None:
        return {"type": None, "message": None, "traceback": None}
    details = error.details
    payload = json_object(details)
    if payload is not None and ("errorType" in payload or "errorMessage" in payload):
        frames = payload.get("stackTrace")
        if isinstance(frames, list):
            frames = "".join(f if str(f).endswith("\n") else f"{f}\n" for f in map(str, frames))
        return _fields(payload.get("errorType"), payload.get("errorMessage"), frames)
    kind = error.names[-1] if error.names else None
    if isinstance(details, str) and kind and details.startswith(f"{kind}: "):
        # pyflow's activity worker: "Type: message\n\n<traceback>"
        message, _, trace = details[len(kind) + 2:].partition("\n\n")
        return _fields(kind, message, trace or None)
    return _fields(kind, error.reason, details if isinstance(details, str) else None)


def _fields(kind: object, message: object, trace: object) -> dict[str, Any]:
    text = trace if isinstance(trace, str) and trace else None
    return {
        "type": kind if isinstance(kind, str) else None,
        "message": None if message is None else str(message),
        "traceback": None if text is None else head_and_tail(text, TRACEBACK_LIMIT),
    }


def json_object(text: object) -> dict[str, Any] | None:
    """`text` parsed, if it is a JSON object (Lambda's error details are)."""
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
