"""How a task retries a failed attempt: its retry options, checked at definition time."""

from __future__ import annotations

import math

from .._exceptions import DefinitionError


def check_retries(where: str, num_retries: object, time_between_retries: object) -> None:
    if isinstance(num_retries, bool) or not isinstance(num_retries, int) or num_retries < 0:
        raise DefinitionError(
            f"{where}: num_retries must be a whole number >= 0, not {num_retries!r}"
        )
    if (
        isinstance(time_between_retries, bool)
        or not isinstance(time_between_retries, (int, float))
        or not math.isfinite(time_between_retries)
        or time_between_retries < 0
    ):
        raise DefinitionError(
            f"{where}: time_between_retries must be a number of seconds >= 0, "
            f"not {time_between_retries!r}"
        )
