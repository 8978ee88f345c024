"""The mutable per-task record the history pass fills in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal, NamedTuple

from .._workflow._map import ITEM_SEPARATOR
from .._workflow._retry import SCHEDULE_FAILED
from .._workflow._tasks import Task

Phase = Literal[
    "waiting",
    "scheduled",
    "running",
    "retry_wait",
    "repeat_wait",
    "completed",
    "failed",
    "skipped",
    "canceled",
]
RetryTimer = Literal["none", "open", "fired"]
ENDED: Final = ("completed", "failed", "skipped")
"""The phases a task never leaves; each counts for its dependents' trigger rules."""
UNDECODED: Final[Any] = object()

MAX_THROTTLES = 8
"""Throttled attempts (SWF rate or open-count limits) do not use up retries, up to this many;
after that they count like any failure, so a persistent limit still ends the workflow."""


class TaskError(NamedTuple):
    """Why an attempt of a task failed: SWF's reason and details for it, and the error
    names a `RetryPolicy` matches (`retry_on`, `non_retryable`)."""

    reason: str
    details: str | None = None
    names: tuple[str, ...] = ()


def refused(cause: str) -> tuple[str, ...]:
    """The error names of a request SWF refused (or could not carry out) with `cause`."""
    return (SCHEDULE_FAILED, cause)


@dataclass(slots=True, eq=False)
class TaskRecord:
    task: Task
    index: int
    attempt: int = 0
    """The highest attempt issued so far (scheduled, or rejected by SWF), counted over all
    iterations of a repeating task."""
    phase: Phase = "waiting"
    failures: int = 0
    """Failed attempts counted against `num_retries` (in the current iteration)."""
    throttles: int = 0
    """Attempts SWF refused for rate or open-count limits; they do not use up retries."""
    retry_timer: RetryTimer = "none"
    """The back-off timer before the next attempt, while `phase` is retry_wait."""
    retry_delay: float = 0
    """Seconds to wait before the next attempt or iteration, while `phase` is retry_wait or
    repeat_wait (an SWF timer waits the whole seconds above it)."""
    output: str | None = None
    """The raw payload of a completed task (None for tasks without output); while a
    repeating task waits for its next iteration, the last iteration's."""
    last_error: TaskError | None = None
    permanent: bool = False
    """True when the last failure cannot be helped by retrying."""
    ready: bool = False
    """Its trigger rule fired (and `run_if`, if any, said yes): it may start."""
    fired_with: frozenset[int] | None = None
    """The dependencies that had ended when the rule fired, when not all had (one_success,
    one_failed): only they feed the task's input."""
    deps_ok: int = 0
    deps_failed: int = 0
    deps_skipped: int = 0
    """How its dependencies (the start task aside) have ended so far."""
    iteration: int = 0
    """The iteration the latest attempt belongs to, from 1 (a task that does not repeat has
    one); 0 before the first attempt."""
    value: Any = UNDECODED
    """`output` decoded, once some input or test needed it."""
    notified: int = 0
    deadline: int = 0
    """Signal tasks: the latest attempt whose notifier call and deadline timer were issued."""
    waits: dict[int, float] = field(default_factory=dict)
    """Seconds the history's retry and repeat timers waited before each attempt they led to."""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    changed_at: datetime | None = None
    """When the history last moved the task to its current phase."""
    item: int | None = None
    """For one item of a mapped task: its position in the list (the record of the task
    itself has None)."""
    map: MapState | None = None
    """For a mapped task, once its trigger rule fired: its items and how far they are."""

    @property
    def name(self) -> str:
        """The task's name; for an item, the base of its attempts' ids (``resize@3``)."""
        if self.item is None:
            return self.task.name
        return f"{self.task.name}{ITEM_SEPARATOR}{self.item}"


@dataclass(slots=True, eq=False)
class MapState:
    """The items of a mapped task and what each has come to."""

    items: list[Any]
    """The decoded list the task maps over."""
    issued: int = 0
    """Items whose first attempt was issued: always the first `issued` of the list."""
    active: dict[int, TaskRecord] = field(default_factory=dict)
    """Items issued and not completed (running, or waiting to retry), by position."""
    outputs: dict[int, str | None] = field(default_factory=dict)
    """The raw output of each completed item, by position."""
    chunk: int = 0
    """Items per chunk when the items run in chunks (child executions, see `_chunks`),
    whose positions then count chunks; 0 when each item runs in this execution."""
    runner: Task | None = None
    """The child workflow task a chunk runs as (None without chunks)."""

    @property
    def units(self) -> int:
        """How many items, or chunks of items, the task runs."""
        total = len(self.items)
        return -(-total // self.chunk) if self.chunk else total

    def span(self, position: int) -> range:
        """The items a position (an item, or a chunk) covers."""
        if not self.chunk:
            return range(position, position + 1)
        first = position * self.chunk
        return range(first, min(len(self.items), first + self.chunk))
