"""JSON payloads as SWF carries them: strings of at most 32,768 characters."""

from __future__ import annotations

import json
from typing import Any

from .._exceptions import PayloadTooLargeError

MAX_DATA = 32_768
"""SWF's limit for input, result, details and control (characters)."""
MAX_REASON = 256
"""SWF's limit for a failure reason (characters)."""
TRUNCATION_MARKER = "...[truncated by pyflow]"
STORE_HINT = (
    "set a payload store to pass larger ones (payload_store=pyflow.S3PayloadStore(bucket, "
    "prefix), PYFLOW_PAYLOAD_BUCKET, or locally local serve --payload-dir)"
)
"""How to get past SWF's limit, for every message about an oversize payload; short, because
it ends up in failure reasons (256 characters)."""


def decode(text: object) -> Any:
    """Decode an SWF payload. Text that is not valid JSON is taken as a plain string.

    This makes `aws swf start-workflow-execution --input World` mean the string 'World'.
    Anything but a string (no payload; a malformed history's) is returned as it is.
    """
    if not isinstance(text, str):
        return text
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than Python decodes: keep the text
        return text


def encode(value: Any, *, what: str = "payload", limit: int | None = MAX_DATA) -> str:
    """Encode `value` as JSON, raising if it is not JSON or longer than `limit` (None: no
    limit, for a caller with a payload store that offloads what SWF cannot carry).

    Raises TypeError/ValueError from `json` for values that are not JSON-serialisable, and
    PayloadTooLargeError for oversize results.
    """
    text = dumps(value)
    if limit is not None and len(text) > limit:
        raise PayloadTooLargeError(
            f"{what} is {len(text)} characters of JSON; SWF accepts at most {limit}: "
            f"{STORE_HINT}",
            size=len(text),
            limit=limit,
        )
    return text


def dumps(value: Any) -> str:
    """JSON text SWF can carry, or ValueError/TypeError saying why not.

    Two failures json itself lets through or reports badly: a value nested deeper than Python
    can recurse (RecursionError, which no caller expects), and lone surrogates, which
    json.dumps writes out but which are not Unicode text that HTTP can carry to SWF.
    """
    try:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except RecursionError:
        raise ValueError("it is nested too deeply to encode as JSON") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start:exc.end].encode("unicode_escape").decode()
        raise ValueError(
            f"it holds a lone surrogate ({bad}), which is not valid Unicode text"
        ) from None
    return text


def json_problem(value: Any) -> str | None:
    """Why `value` cannot be an SWF payload, or None if it can."""
    try:
        dumps(value)
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None


def is_json(value: Any) -> bool:
    """True if `value` survives JSON encoding (what SWF payloads can carry)."""
    return json_problem(value) is None


def truncate(text: str, limit: int = MAX_DATA) -> str:
    """Cut `text` to at most `limit` characters, marking the cut so nobody mistakes it
    for the whole message."""
    if len(text) <= limit:
        return text
    keep = max(0, limit - len(TRUNCATION_MARKER))
    return text[:keep] + TRUNCATION_MARKER[: limit - keep]
