"""Each task's state, attempts and timing as table rows, and the Gantt charts drawn from them.

The rows come from the decider's `execution_state`, with or without the definition.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .._decider import TaskState
from . import _render as r

DONE_STATES = ("completed", "failed", "skipped", "canceled")
ENDED = ("completed", "failed", "skipped")
"""The states a task reached by running its course (canceled work did not)."""


@dataclass
class TaskRow:
    name: str
    kind: str
    what: str
    state: str = "waiting"
    attempts: int = 0
    started_at: datetime | None = None
    ended_at: datetime | None = None
    error: str | None = None
    changed_at: datetime | None = None
    """When the history last moved the task to its current state (for watch lines)."""
    iteration: int = 0
    max_iterations: int | None = None
    items: int | None = None
    """A mapped task's number of items (None if not mapped or its list is not known yet)."""
    items_done: int = 0
    """A repeating task's iteration and its limit (None for a task that does not repeat)."""
    wait: float | None = None
    """Seconds a task waiting to retry or repeat waits."""

    @property
    def seconds(self) -> float | None:
        return r.between(self.started_at, self.ended_at)

    @property
    def finished(self) -> bool:
        return self.state in DONE_STATES

    @property
    def label(self) -> str:
        """The state as users read it ('retrying (attempt 2)' rather than 'retry_wait')."""
        items = None if self.items is None else (self.items_done, self.items)
        return r.state_label(
            self.state, self.attempts, self.iteration, self.max_iterations, self.wait, items
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "what": self.what,
            "state": self.state,
            "attempts": self.attempts,
            "iteration": self.iteration,
            "maxIterations": self.max_iterations,
            "items": self.items,
            "itemsDone": self.items_done,
            "waitSeconds": self.wait,
            "startedAt": r.iso(self.started_at),
            "endedAt": r.iso(self.ended_at),
            "seconds": self.seconds,
            "error": self.error,
        }


def rows_from_states(tasks: Mapping[str, TaskState]) -> list[TaskRow]:
    """Rows from the decider's task states, in their order (the start task left out)."""
    return [
        TaskRow(
            name=state.name,
            kind=state.kind,
            what=state.what,
            state=state.state,
            attempts=state.attempts,
            started_at=state.started_at,
            ended_at=state.ended_at,
            error=state.last_error.reason if state.last_error else None,
            changed_at=state.changed_at,
            iteration=state.iteration,
            max_iterations=state.max_iterations,
            wait=state.wait,
            items=state.items,
            items_done=state.items_done,
        )
        for state in tasks.values()
        if state.kind != "start"
    ]


# -- the Gantt chart -------------------------------------------------------------------------


def gantt(
    rows: Sequence[TaskRow],
    start: datetime | None,
    end: datetime | None,
    *,
    width: int = 48,
    bar: str = "#",
) -> list[str]:
    """A text Gantt chart: one line per task, bars on a shared time axis from `start` to `end`.

    Tasks still running extend to `end` (now, for an open execution); waiting tasks get an
    empty lane so the chart shows what has not happened yet.
    """
    if start is None:
        return []
    end = end or datetime.now(UTC)
    total = max(r.between(start, end) or 0.0, 0.001)
    label_width = max((len(row.name) for row in rows), default=4)
    span = r.duration(total)
    lines = [" " * (label_width + 3) + "0s" + " " * max(1, width - 2 - len(span)) + span]
    for row in rows:
        lane = [" "] * width
        if row.started_at is not None:
            first = _column(row.started_at, start, total, width)
            last = _column(row.ended_at or end, start, total, width)
            for col in range(first, max(first, last) + 1):
                lane[min(col, width - 1)] = bar
        state = r.styled(row.label, row.state)
        lines.append(f"{row.name:{label_width}}  |{''.join(lane)}|  {state}")
    return lines


def _column(moment: datetime, start: datetime, total: float, width: int) -> int:
    offset = r.between(start, moment) or 0.0
    return max(0, min(width - 1, int(offset / total * width)))


_GANTT_TAGS = {
    "completed": "done, ",
    "running": "active, ",
    "scheduled": "active, ",
    "retry_wait": "active, ",
    "repeat_wait": "active, ",
    "failed": "crit, ",
    "canceled": "crit, ",
}


def _gantt_text(text: str) -> str:
    # ':' ends a task's name in Mermaid's Gantt syntax and '#' / ';' start comments or entities.
    return text.replace(":", " ").replace(";", " ").replace("#", " ")


def mermaid_gantt(
    title: str, rows: Sequence[TaskRow], start: datetime | None, end: datetime | None
) -> str:
    """The timeline as a Mermaid Gantt chart (renders on GitHub), times in epoch milliseconds.

    Tasks still running end at `end` (now, for an open execution); waiting tasks are left out
    because they have no time yet.
    """
    end = end or datetime.now(UTC)
    lines = [
        "gantt",
        f"    title {_gantt_text(title)}",
        "    dateFormat x",
        "    axisFormat %H:%M:%S",
        "    section Tasks",
    ]
    for i, row in enumerate(rows):
        if row.started_at is None:
            continue
        first = int(r.utc(row.started_at).timestamp() * 1000)
        last = max(first + 1, int(r.utc(row.ended_at or end).timestamp() * 1000))
        tag = _GANTT_TAGS.get(row.state, "")
        name = _gantt_text(f"{row.name} ({row.label})")
        lines.append(f"    {name} :{tag}t{i}, {first}, {last}")
    return "\n".join(lines) + "\n"
