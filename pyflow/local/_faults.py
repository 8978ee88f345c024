"""SWF faults as the engine raises them; both transports turn them into SWF's JSON error body."""

from __future__ import annotations

from .._exceptions import PyflowError

_SWF_NS = "com.amazonaws.swf.base.model"
_VALIDATE_NS = "com.amazon.coral.validate"


class SWFFault(PyflowError):
    """An error SWF reports to the caller, named as in the service model so boto3 raises
    the same exception class (`client.exceptions.UnknownResourceFault`, ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    @property
    def wire_type(self) -> str:
        """The `__type` value of the JSON error body, namespaced as AWS sends it."""
        ns = _VALIDATE_NS if self.code == "ValidationException" else _SWF_NS
        return f"{ns}#{self.code}"


def unknown(message: str) -> SWFFault:
    return SWFFault("UnknownResourceFault", message)


def invalid(message: str) -> SWFFault:
    return SWFFault("ValidationException", message)


def not_permitted(message: str) -> SWFFault:
    return SWFFault("OperationNotPermittedFault", message)
