"""`for_each` and `max_concurrency` (a task mapped over a dependency's list), and the
`history_budget` of a workflow, checked at definition time."""

# A mapped task is still one node of the graph: the decider runs it once per item and its
# output is the list of per-item outputs, so dependents, trigger rules and views see one task.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from .._exceptions import DefinitionError

ITEM_SEPARATOR: Final = "@"
"""Between a mapped task's name and an item's position in the ids of that item's attempts
(``resize@17#1``): a task may not be named like an item of a mapped task."""
HISTORY_BUDGET: Final = 10_000
"""Events a run may hold before pyflow continues it as a new run (SWF's own advice)."""
BUDGET_RANGE: Final = (1_000, 24_000)


@dataclass(frozen=True, slots=True)
class ForEach:
    """The dependency whose output list a task maps over, and how many items run at once."""

    over: str
    max_concurrency: int | None
    """None: as many as SWF's open-work limits allow."""


class Task(Protocol):
    """What the checks read of a task (the model's Task, seen from here without a cycle)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def for_each(self) -> ForEach | None: ...
    @property
    def dependencies(self) -> Sequence[Task]: ...


class Workflow(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def tasks(self) -> Sequence[Task]: ...


def for_each(
    over: str | None,
    max_concurrency: object,
    dependency_names: Sequence[str],
    where: str,
    *,
    maps: bool,
    kind: str,
    repeats: bool,
) -> ForEach | None:
    """The checked map of a task, or None if it is not mapped."""
    if over is None:
        if max_concurrency is not None:
            raise DefinitionError(f"{where}: max_concurrency needs for_each=, the list to map over")
        return None
    if not maps:
        raise DefinitionError(
            f"{where}: a {kind} task cannot map; for_each is for Lambda, activity and workflow "
            "tasks"
        )
    name = over
    if not isinstance(name, str) or not name:
        raise DefinitionError(f"{where}: for_each must be a task or a task's name, not {over!r}")
    if repeats:
        raise DefinitionError(
            f"{where}: a task takes for_each= or repeat_until=, not both; map inside a "
            "child workflow that loops, or loop inside one that maps"
        )
    if name not in dependency_names:
        raise DefinitionError(
            f"{where}: for_each {name!r} is not one of the task's dependencies; add it to "
            "depends_on (the items are that dependency's output)"
        )
    if max_concurrency is not None and (
        isinstance(max_concurrency, bool)
        or not isinstance(max_concurrency, int)
        or max_concurrency < 1
    ):
        raise DefinitionError(
            f"{where}: max_concurrency must be a whole number of at least 1, not "
            f"{max_concurrency!r}"
        )
    return ForEach(name, max_concurrency)


def check_maps(workflow: Workflow) -> None:
    """What only the whole graph shows: the mapped-over dependency produces a list, and no
    task's name reads like an item of a mapped task."""
    mapped = {t.name for t in workflow.tasks if t.for_each is not None}
    for task in workflow.tasks:
        base, sep, number = task.name.rpartition(ITEM_SEPARATOR)
        if sep and base in mapped and number.isdigit():
            raise DefinitionError(
                f"workflow {workflow.name!r}, task {task.name!r}: the name reads like item "
                f"{number} of the mapped task {base!r}; rename one of them"
            )
        if task.for_each is None:
            continue
        over = _dependency(task, task.for_each.over)
        if over.kind in ("timer", "signal"):
            raise DefinitionError(
                f"workflow {workflow.name!r}, task {task.name!r}: for_each {over.name!r} is a "
                f"{over.kind} task; map over the output list of a Lambda, activity or "
                "workflow task (or the workflow input)"
            )


def check_budget(value: object, name: str) -> int:
    low, high = BUDGET_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DefinitionError(
            f"workflow {name!r}: history_budget must be a whole number of events between "
            f"{low:,} and {high:,} (SWF ends a run at 25,000), not {value!r}"
        )
    return value


def _dependency(task: Task, name: str) -> Task:
    return next(d for d in task.dependencies if d.name == name)
