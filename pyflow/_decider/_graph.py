"""The static shape of a workflow the decider needs, computed once per definition.

A poll loop decides the same few workflows thousands of times; the indexes here (task
positions, dependency positions, which signal tasks wait on which task) depend only on
the definition, so they are cached per `Workflow` object and rebuilt if tasks are added.
Without a definition (`discovery_graph`), the graph starts with the start task alone and
grows as the history names tasks; such a graph belongs to one pass and is never shared.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

from .._workflow._definition import Workflow
from .._workflow._tasks import SignalTask, StartTask, Task


@dataclass(frozen=True, slots=True)
class Graph:
    workflow: Workflow | None
    """None for a graph discovered from history."""
    tasks: list[Task]
    """Every task in workflow order, the start task first."""
    index: dict[str, int]
    """Task name -> position in `tasks`."""
    deps: list[tuple[int, ...]]
    """Positions of each task's dependencies."""
    signal_dependents: list[tuple[int, ...]]
    """For each task, the positions of the signal tasks that depend on it: a signal task
    completes during the history pass, so it must learn when its dependencies complete."""

    def grow(self, task: Task) -> int:
        """Add a task the history names (discovery graphs only) and return its position."""
        self.index[task.name] = len(self.tasks)
        self.tasks.append(task)
        self.deps.append(())
        self.signal_dependents.append(())
        return self.index[task.name]


def discovery_graph() -> Graph:
    """An empty graph for a pass without the definition: the start task only."""
    start = StartTask()
    return Graph(None, [start], {start.name: 0}, [()], [()])


_CACHE: weakref.WeakKeyDictionary[Workflow, Graph] = weakref.WeakKeyDictionary()


def graph_of(workflow: Workflow) -> Graph:
    """The cached graph of `workflow` (validated first)."""
    cached = _CACHE.get(workflow)
    if cached is not None and len(cached.tasks) == len(workflow):
        return cached
    workflow.validate()
    tasks = list(workflow.tasks)
    index = {task.name: i for i, task in enumerate(tasks)}
    deps = [tuple(index[d.name] for d in task.dependencies) for task in tasks]
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
        signal_dependents=[tuple(x) for x in dependents],
    )
    _CACHE[workflow] = graph
    return graph
