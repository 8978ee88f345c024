"""The static shape of a workflow the decider needs, computed once per definition.

A poll loop decides the same few workflows thousands of times; the indexes here (task
positions, dependency positions, which signal tasks wait on which task) depend only on
the definition, so they are cached per `Workflow` object and rebuilt if tasks are added.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from .._workflow._definition import Workflow
from .._workflow._tasks import SignalTask, Task


@dataclass(frozen=True, slots=True)
class Graph:
    workflow: Workflow
    tasks: tuple[Task, ...]
    """Every task in workflow order, the start task first."""
    index: dict[str, int]
    """Task name -> position in `tasks`."""
    deps: tuple[tuple[int, ...], ...]
    """Positions of each task's dependencies."""
    signal_dependents: tuple[tuple[int, ...], ...]
    """For each task, the positions of the signal tasks that depend on it: a signal task
    completes during the history pass, so it must learn when its dependencies complete."""


_CACHE: weakref.WeakKeyDictionary[Workflow, Graph] = weakref.WeakKeyDictionary()


def graph_of(workflow: Workflow) -> Graph:
    """The cached graph of `workflow` (validated first)."""
    cached = _CACHE.get(workflow)
    if cached is not None and len(cached.tasks) == len(workflow):
        return cached
    workflow.validate()
    tasks = workflow.tasks
    index = {task.name: i for i, task in enumerate(tasks)}
    deps = tuple(tuple(index[d.name] for d in task.dependencies) for task in tasks)
    dependents: list[list[int]] = [[] for _ in tasks]
    for i, task in enumerate(tasks):
        if isinstance(task, SignalTask):
            for d in deps[i]:
                dependents[d].append(i)
    graph = Graph(
        workflow=workflow,
        tasks=tasks,
        index=index,
        deps=deps,
        signal_dependents=tuple(tuple(x) for x in dependents),
    )
    _CACHE[workflow] = graph
    return graph
