"""Request validation driven by botocore's SWF model, so the HTTP transport rejects what
AWS rejects (lengths, enums, required members, SWF's character rules) with
`ValidationException`, and the in-process client gets the same server-side checks."""

from __future__ import annotations

import functools
import re
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel, Shape

from ._faults import SWFFault, invalid

_FORBIDDEN = re.compile(r"[:/|\u0000-\u001f\u007f-\u009f]")
# Shapes whose values SWF documents as "must not contain ':', '/', '|', control characters
# or the literal 'arn'".
_NAME_SHAPES = {"DomainName", "Name", "Version", "VersionOptional", "WorkflowId", "ActivityId",
                "TimerId"}
_NO_EDGE_SPACE = {"DomainName", "Name"}


@functools.cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("swf")


def operation_model(name: str) -> OperationModel:
    try:
        return service_model().operation_model(name)
    except Exception as exc:  # botocore raises OperationNotFoundError
        raise SWFFault("UnknownOperationException", f"Unknown operation {name!r}") from exc


def validate(op: OperationModel, params: Any) -> None:
    """Raise ValidationException naming the first invalid member of the request."""
    if op.input_shape is None:
        return
    if not isinstance(params, dict):
        raise invalid("The request body must be a JSON object")
    _check(op.input_shape, params, "")


def _fail(value: Any, path: str, constraint: str) -> SWFFault:
    shown = value if not isinstance(value, str) or len(value) <= 80 else value[:80] + "..."
    return invalid(
        f"1 validation error detected: Value {shown!r} at '{path or 'request'}' failed to "
        f"satisfy constraint: {constraint}"
    )


def _check(shape: Shape, value: Any, path: str) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(shape, value, path)
    elif kind == "list":
        _check_list(shape, value, path)
    elif kind == "string":
        _check_string(shape, value, path)
    elif kind in ("integer", "long"):
        _check_number(shape, value, path)
    elif kind == "boolean" and not isinstance(value, bool):
        raise _fail(value, path, "Member must be a boolean")
    elif kind == "timestamp" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _fail(value, path, "Member must be a timestamp in epoch seconds")


def _check_structure(shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        raise _fail(value, path, "Member must be an object")
    members = shape.members  # type: ignore[attr-defined]
    for name in shape.required_members:
        if value.get(name) is None:
            raise _fail(None, _join(path, name), "Member must not be null")
    for name, item in value.items():
        if name in members and item is not None:
            _check(members[name], item, _join(path, name))


def _check_list(shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise _fail(value, path, "Member must be a list")
    limit = shape.metadata.get("max")
    if limit is not None and len(value) > limit:
        raise _fail(value, path, f"Member must have length less than or equal to {limit}")
    for i, item in enumerate(value):
        _check(shape.member, item, f"{path}.{i + 1}.member")  # type: ignore[attr-defined]


def _check_string(shape: Shape, value: Any, path: str) -> None:
    if not isinstance(value, str):
        raise _fail(value, path, "Member must be a string")
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and len(value) < low:
        raise _fail(value, path, f"Member must have length greater than or equal to {low}")
    if high is not None and len(value) > high:
        raise _fail(value, path, f"Member must have length less than or equal to {high}")
    enum: list[str] = getattr(shape, "enum", [])
    if enum and value not in enum:
        raise _fail(value, path, f"Member must satisfy enum value set: {enum}")
    if shape.name in _NAME_SHAPES and value:
        _check_name(shape.name, value, path)
    if shape.name.startswith("DurationInSeconds") and value and value != "NONE":
        if not value.isdigit():
            raise _fail(value, path, "Member must be a whole number of seconds or NONE")
    if shape.name == "TaskPriority" and not re.fullmatch(r"[+-]?\d{1,10}", value):
        raise _fail(value, path, "Member must be a string holding a Java int")


def _check_name(shape_name: str, value: str, path: str) -> None:
    bad = _FORBIDDEN.search(value)
    if bad:
        raise _fail(value, path, "Member must not contain ':', '/', '|' or control characters")
    if value == "arn":
        raise _fail(value, path, "Member must not be the literal string 'arn'")
    if shape_name in _NO_EDGE_SPACE and value != value.strip():
        raise _fail(value, path, "Member must not start or end with whitespace")


def _check_number(shape: Shape, value: Any, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(value, path, "Member must be an integer")
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is not None and value < low:
        raise _fail(value, path, f"Member must have value greater than or equal to {low}")
    if high is not None and value > high:
        raise _fail(value, path, f"Member must have value less than or equal to {high}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
