"""Control-flow options of a task (trigger rules, `run_if`, loops), checked at definition time."""

# Trigger rules keep Airflow's names and meanings, so a user who knows Airflow's table knows
# pyflow's; the decider (`_decider._rules`) decides when each one fires or can no longer fire.

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from .._exceptions import DefinitionError
from ._durations import MAX_DURATION


class TriggerRule(StrEnum):
    """When a task runs, given how its dependencies ended (plain strings work too)."""

    ALL_SUCCESS = "all_success"
    """Every dependency completed (the default)."""
    ALL_DONE = "all_done"
    """Every dependency ended, however it ended."""
    ALL_FAILED = "all_failed"
    """Every dependency failed."""
    ONE_SUCCESS = "one_success"
    """At least one dependency completed; fires at the first."""
    ONE_FAILED = "one_failed"
    """At least one dependency failed; fires at the first."""
    NONE_FAILED = "none_failed"
    """Every dependency ended and none failed (completed or skipped)."""
    NONE_SKIPPED = "none_skipped"
    """Every dependency ended and none was skipped (completed or failed)."""


RULES: Final = frozenset(rule.value for rule in TriggerRule)
HANDLING_RULES: Final = frozenset({"all_done", "all_failed", "one_failed", "none_skipped"})
"""Rules under which a dependency's failure can trigger the task: a failed task with such a
dependent is handled, and the workflow goes on."""


@dataclass(frozen=True, slots=True)
class Loop:
    """`repeat_until`, checked: run again while it is false, at most `max_iterations` times."""

    until: Callable[[Any], bool]
    max_iterations: int
    delay: int
    """Whole seconds between iterations (an SWF timer takes whole seconds)."""


def check_trigger_rule(value: object, where: str) -> str:
    """The rule's plain name, or a DefinitionError listing the rules."""
    if isinstance(value, str) and value in RULES:
        return str(value)
    names = ", ".join(repr(rule.value) for rule in TriggerRule)
    raise DefinitionError(f"{where}: trigger_rule {value!r} is not one of {names}")


def predicate(value: object, what: str, where: str) -> Callable[[Any], bool] | None:
    if value is not None and not callable(value):
        raise DefinitionError(f"{where}: {what} {value!r} is not callable")
    return value


def loop(
    until: object, max_iterations: object, delay: object, where: str, *, loops: bool, kind: str
) -> Loop | None:
    """The loop `repeat_until`/`max_iterations`/`repeat_delay` describe, or None without one."""
    if until is None:
        if max_iterations is not None or delay != 0:
            raise DefinitionError(
                f"{where}: max_iterations and repeat_delay need repeat_until=, the test that "
                "ends the loop"
            )
        return None
    if not loops:
        raise DefinitionError(
            f"{where}: a {kind} task cannot repeat; repeat_until is for Lambda, activity and "
            "workflow tasks"
        )
    checked = predicate(until, "repeat_until", where)
    assert checked is not None
    if max_iterations is None:
        raise DefinitionError(
            f"{where}: repeat_until needs max_iterations=, the most times the task may run"
        )
    if isinstance(max_iterations, bool) or not isinstance(max_iterations, int):
        raise DefinitionError(
            f"{where}: max_iterations must be a whole number, not {max_iterations!r}"
        )
    if max_iterations < 1:
        raise DefinitionError(f"{where}: max_iterations must be at least 1, not {max_iterations}")
    if (
        isinstance(delay, bool)
        or not isinstance(delay, (int, float))
        or not math.isfinite(delay)
        or not 0 <= delay <= MAX_DURATION
    ):
        raise DefinitionError(
            f"{where}: repeat_delay must be a number of seconds between 0 and {MAX_DURATION}, "
            f"not {delay!r}"
        )
    return Loop(checked, max_iterations, math.ceil(delay))
