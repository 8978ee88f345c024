"""The example workflow's Lambda functions (string-upcase, string-reverse, string-concat).

Each takes the task's input as the Lambda event and returns a JSON value, which SWF records
as the task's result. A wrong input type raises TypeError, which SWF records as a
LambdaFunctionFailed with the message in its details.
"""

from __future__ import annotations

from typing import Any


def _string(event: Any, function: str) -> str:
    if not isinstance(event, str):
        raise TypeError(f"{function} expects a string, got {type(event).__name__}: {event!r}")
    return event


def upcase(event: Any, context: Any = None) -> str:
    """'World' -> 'WORLD'."""
    return _string(event, "string-upcase").upper()


def reverse(event: Any, context: Any = None) -> str:
    """'WORLD' -> 'DLROW'."""
    return _string(event, "string-reverse")[::-1]


def concat(event: Any, context: Any = None) -> str:
    """['Hello', ' ', 'DLROW'] -> 'Hello DLROW'."""
    if not isinstance(event, list) or not all(isinstance(item, str) for item in event):
        raise TypeError(
            f"string-concat expects a list of strings, got {type(event).__name__}: {event!r}"
        )
    return "".join(event)


LAMBDAS = {"string-upcase": upcase, "string-reverse": reverse, "string-concat": concat}
"""Function name -> handler, for `pyflow.local.run(..., lambdas=LAMBDAS)`."""
