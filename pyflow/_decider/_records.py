"""The mutable per-task record the history pass fills in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple

from .._workflow._tasks import Task

Phase = Literal["waiting", "scheduled", "running", "retry_wait", "completed", "failed", "canceled"]
RetryTimer = Literal["none", "open", "fired"]

MAX_THROTTLES = 8
"""Throttled attempts (SWF rate or open-count limits) do not use up retries, up to this many;
after that they count like any failure, so a persistent limit still ends the workflow."""


class TaskError(NamedTuple):
    """Why an attempt of a task failed: SWF's reason and details for it."""

    reason: str
    details: str | None = None


@dataclass(slots=True, eq=False)
class TaskRecord:
    task: Task
    index: int
    attempt: int = 0
    """The highest attempt issued so far (scheduled, or rejected by SWF)."""
    phase: Phase = "waiting"
    failures: int = 0
    """Failed attempts counted against `num_retries`."""
    throttles: int = 0
    """Attempts SWF refused for rate or open-count limits; they do not use up retries."""
    retry_timer: RetryTimer = "none"
    """The back-off timer before the next attempt, while `phase` is retry_wait."""
    retry_delay: int = 0
    """Seconds to wait before the next attempt, while `phase` is retry_wait."""
    output: str | None = None
    """The raw payload of a completed task (None for tasks without output)."""
    last_error: TaskError | None = None
    permanent: bool = False
    """True when the last failure cannot be helped by retrying."""
    deps_left: int = 0
    """Signal tasks only: dependencies not completed yet."""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    changed_at: datetime | None = None
    """When the history last moved the task to its current phase."""

    @property
    def name(self) -> str:
        return self.task.name
