"""The timeline of an execution's tasks as bars on one time axis, in percent of its span.

The page draws the bars with CSS widths, so the chart needs no script and scales with the
window; tasks still running reach "now" and tasks not started get an empty lane.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..cli._render import duration
from ._execution import ExecutionView, TaskView


@dataclass(frozen=True)
class Bar:
    task: TaskView
    left: float
    width: float


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    span: str
    """The length of the axis, as a person reads it."""


def timeline(view: ExecutionView) -> Timeline:
    start = view.state.started_at
    end = view.state.closed_at or view.now
    tasks = [t for t in view.tasks if t.kind != "start"]
    if start is None:
        return Timeline([], "")
    total = max((end - start).total_seconds(), 0.001)
    bars = []
    for task in tasks:
        if task.started_at is None:
            bars.append(Bar(task, 0.0, 0.0))
            continue
        left = _percent(task.started_at, start, total)
        right = _percent(task.ended_at or end, start, total)
        bars.append(Bar(task, left, max(right - left, 0.5)))
    return Timeline(bars, duration(total))


def _percent(moment: datetime, start: datetime, total: float) -> float:
    return max(0.0, min(100.0, (moment - start).total_seconds() / total * 100))
