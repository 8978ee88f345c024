"""Durations as SWF takes them: whole seconds, at most one year."""

from __future__ import annotations

from typing import Final

from .._exceptions import DefinitionError

MAX_DURATION: Final = 31_536_000
"""SWF caps every timeout and timer at one year (seconds)."""


def whole_seconds(value: object, what: str, *, minimum: int, maximum: int = MAX_DURATION) -> int:
    """`value` checked to be an int, since SWF takes durations as strings of whole seconds."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"{what} must be a whole number of seconds, not {value!r}")
    if not minimum <= value <= maximum:
        raise DefinitionError(
            f"{what} must be between {minimum} and {maximum} seconds, not {value}"
        )
    return value


def optional_seconds(value: object, what: str, *, maximum: int = MAX_DURATION) -> int | None:
    """None passes through: the option is left out of the decision and SWF's default applies."""
    return None if value is None else whole_seconds(value, what, minimum=1, maximum=maximum)
