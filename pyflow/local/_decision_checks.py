"""Value checks on a RespondDecisionTaskCompleted batch, all made before anything is
recorded: SWF rejects a batch with an invalid value as a whole (ValidationException), and
only problems that SWF reports with a cause (an unknown type, an id in use, ...) become
`*Failed` events when the batch is applied."""

from __future__ import annotations

from collections.abc import Callable

from ._faults import SWFFault, invalid
from ._model import JSON

ONE_YEAR = 31_536_000
LAMBDA_MAX_TIMEOUT = 900
CLOSE_DECISIONS = {"CompleteWorkflowExecution", "FailWorkflowExecution",
                   "CancelWorkflowExecution", "ContinueAsNewWorkflowExecution"}

Rule = tuple[str, Callable[[str], bool], str]
"""(attribute, accepts(value), what the attribute must be)."""

_EXECUTION_TIMEOUT: Rule = (
    "executionStartToCloseTimeout", lambda v: v.isdigit() and int(v) <= ONE_YEAR,
    f"a whole number of seconds up to {ONE_YEAR} (one year); NONE is not allowed")
_RULES: dict[str, list[Rule]] = {
    "ScheduleLambdaFunction": [(
        "startToCloseTimeout", lambda v: v.isdigit() and 1 <= int(v) <= LAMBDA_MAX_TIMEOUT,
        f"a whole number of seconds from 1 to {LAMBDA_MAX_TIMEOUT}")],
    "StartTimer": [("startToFireTimeout", str.isdigit,
                    "a whole number of seconds, 0 or more (NONE is not allowed)")],
    "StartChildWorkflowExecution": [_EXECUTION_TIMEOUT],
    "ContinueAsNewWorkflowExecution": [_EXECUTION_TIMEOUT],
}


def attributes_key(decision_type: str) -> str:
    return decision_type[0].lower() + decision_type[1:] + "DecisionAttributes"


def check_batch(decisions: list[JSON]) -> None:
    """Raise ValidationException naming the first invalid decision and attribute."""
    for i, decision in enumerate(decisions):
        kind = decision["decisionType"]
        key = attributes_key(kind)
        where = f"decisions.{i + 1}.member.{key}"
        if kind in CLOSE_DECISIONS and i != len(decisions) - 1:
            raise invalid(f"{kind} must be the last decision in the list (it is decision "
                          f"{i + 1} of {len(decisions)})")
        attributes = decision.get(key)
        if attributes is None:
            if kind in CLOSE_DECISIONS:
                continue
            raise invalid(f"{where} is required for a {kind} decision")
        for name, accepts, expected in _RULES.get(kind, []):
            value = attributes.get(name)
            if value is not None and not accepts(value):
                raise _bad_value(value, f"{where}.{name}", expected)


def _bad_value(value: str, path: str, expected: str) -> SWFFault:
    return invalid(f"1 validation error detected: Value {value!r} at '{path}' failed to "
                   f"satisfy constraint: Member must be {expected}")
