"""The names SWF and Lambda accept, checked so a bad name fails at definition time."""

# Caught here, a bad name is an error at import; caught by SWF, it is a rejected decision
# in production.

from __future__ import annotations

import re

from .._exceptions import InvalidNameError

# SWF's rule for ids, type names, versions, task lists and domains (botocore model docs):
# no ':', '/', '|', no control characters, and not the literal 'arn'.
_FORBIDDEN = re.compile(r"[:/|\u0000-\u001f\u007f-\u009f]")

# Lambda function names: a plain name with an optional version or alias qualifier.
# SWF's ScheduleLambdaFunction `name` holds at most 64 characters.
_LAMBDA_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$")
_LAMBDA_ARN = re.compile(
    r"^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:function:"
    r"[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$"
)
LAMBDA_NAME_MAX = 64


def swf_name_problem(value: object, *, max_length: int = 256) -> str | None:
    """Return why SWF would reject `value` as an id or name, or None if it is acceptable."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if not value:
        return "must not be empty"
    if len(value) > max_length:
        return f"is {len(value)} characters long; SWF allows at most {max_length}"
    bad = _FORBIDDEN.search(value)
    if bad:
        return f"contains {bad.group()!r}; SWF forbids ':', '/', '|' and control characters"
    if value == "arn":
        return "is the literal 'arn', which SWF forbids"
    if value != value.strip():
        return "starts or ends with whitespace"
    return None


def check_swf_name(value: object, what: str, *, max_length: int = 256) -> str:
    """Raise InvalidNameError naming `what` if SWF would reject `value`."""
    problem = swf_name_problem(value, max_length=max_length)
    if problem:
        raise InvalidNameError(f"{what} {value!r} {problem}")
    assert isinstance(value, str)
    return value


def lambda_name_problem(value: object) -> str | None:
    """Return why Lambda or SWF would reject `value` as a function name, or None."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if len(value) > LAMBDA_NAME_MAX:
        return f"is {len(value)} characters long; SWF's ScheduleLambdaFunction allows at most 64"
    if _LAMBDA_NAME.match(value) or _LAMBDA_ARN.match(value):
        return None
    return (
        "is not a valid Lambda function name (letters, digits, '-' and '_', "
        "optionally ':' and a version or alias)"
    )
