"""How a task retries a failed attempt: `RetryPolicy`, its shorthand, and its back-off delays."""

# Jitter comes from a hash of the run, the task and the attempt, never from a clock or a
# random source: the decider must make the same choice every time it replays a history.

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from .._exceptions import DefinitionError
from ._durations import MAX_DURATION

Jitter = Literal["none", "full"]
# The error names pyflow gives failures that carry no type of their own.
TIMEOUT: Final = "Timeout"
SCHEDULE_FAILED: Final = "ScheduleFailed"
CANCELED: Final = "Canceled"
TERMINATED: Final = "Terminated"
CHILD_FAILED: Final = "ChildWorkflowFailed"


def _seconds(value: object, what: str, *, minimum: float) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or not minimum <= value <= MAX_DURATION
    ):
        raise DefinitionError(
            f"RetryPolicy: {what} must be a number of seconds between {minimum:g} and "
            f"{MAX_DURATION}, not {value!r}"
        )
    return float(value)


def _names(value: object, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise DefinitionError(
            f"RetryPolicy: {what} must be a list of error names such as ['Timeout'], "
            f"not {value!r}"
        )
    names = tuple(value)
    for name in names:
        if not isinstance(name, str) or not name:
            raise DefinitionError(f"RetryPolicy: {what} holds {name!r}, not an error name")
    return names


@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """How many times a task runs and how long it waits between attempts.

    The wait before attempt k+1 is `initial_interval * backoff_rate ** (k - 1)`, at most
    `max_interval`; with `jitter='full'` it is a fraction of that, derived from the run id,
    the task and the attempt. A failure is retried when its error names (see the README's
    table) meet `retry_on` (default: every error) and none is in `non_retryable`.
    """

    max_attempts: int
    """Total attempts, the first included (at least 1)."""
    initial_interval: float = 1
    backoff_rate: float = 2.0
    max_interval: float = 300
    jitter: Jitter = "full"
    retry_on: tuple[str, ...] = field(default=())
    """Error names worth retrying; empty: every error."""
    non_retryable: tuple[str, ...] = field(default=())
    """Error names never retried, whatever `retry_on` says."""

    def __post_init__(self) -> None:
        attempts = self.max_attempts
        if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1:
            raise DefinitionError(
                f"RetryPolicy: max_attempts must be a whole number >= 1, not {attempts!r}"
            )
        _seconds(self.initial_interval, "initial_interval", minimum=0)
        _seconds(self.max_interval, "max_interval", minimum=0)
        rate = self.backoff_rate
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 1 <= rate <= 100:
            raise DefinitionError(
                f"RetryPolicy: backoff_rate must be a number from 1 to 100, not {rate!r}"
            )
        if self.jitter not in ("none", "full"):
            raise DefinitionError(
                f"RetryPolicy: jitter must be 'none' or 'full', not {self.jitter!r}"
            )
        object.__setattr__(self, "retry_on", _names(self.retry_on, "retry_on"))
        object.__setattr__(self, "non_retryable", _names(self.non_retryable, "non_retryable"))

    def retries(self, names: Iterable[str]) -> bool:
        """Whether a failure carrying these error names may be retried."""
        carried = set(names)
        if carried & set(self.non_retryable):
            return False
        return not self.retry_on or bool(carried & set(self.retry_on))

    def ceiling(self, failures: int) -> float:
        """The most seconds to wait after the `failures`-th failed attempt (from 1)."""
        if self.initial_interval == 0:
            return 0.0
        exponent = min(failures - 1, 4096)
        try:
            delay = self.initial_interval * self.backoff_rate**exponent
        except OverflowError:
            delay = math.inf
        return float(min(delay, self.max_interval))

    def delay(self, failures: int, *, run: str, task: str, attempt: int) -> float:
        """Seconds to wait after the `failures`-th failure, before `attempt`: the ceiling,
        or with full jitter a fraction of it taken from a hash of run, task and attempt."""
        ceiling = self.ceiling(failures)
        if self.jitter == "none" or ceiling == 0:
            return ceiling
        digest = hashlib.sha256(f"{run}\x00{task}\x00{attempt}".encode()).digest()
        fraction = int.from_bytes(digest[:8], "big") / 2**64
        return round(ceiling * fraction, 3)


def shorthand(num_retries: int, time_between_retries: float) -> RetryPolicy:
    """The policy `num_retries`/`time_between_retries` stand for: fixed waits, no jitter."""
    return RetryPolicy(
        max_attempts=num_retries + 1,
        initial_interval=time_between_retries,
        backoff_rate=1,
        max_interval=max(time_between_retries, 0),
        jitter="none",
    )


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


def resolve(
    where: str, retry: object, num_retries: int, time_between_retries: float, *, given: bool
) -> RetryPolicy:
    """The task's policy: `retry`, or the shorthand's; giving both is an error."""
    if retry is None:
        check_retries(where, num_retries, time_between_retries)
        return shorthand(num_retries, min(float(time_between_retries), MAX_DURATION))
    if not isinstance(retry, RetryPolicy):
        raise DefinitionError(f"{where}: retry must be a pyflow.RetryPolicy, not {retry!r}")
    if given:
        raise DefinitionError(
            f"{where}: give either retry= or num_retries/time_between_retries, not both"
        )
    return retry
