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

from .._workflow._budget import dependency_order
from .._workflow._control import HANDLING_RULES
from .._workflow._definition import Workflow
from .._workflow._tasks import StartTask, Task


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
    rule_deps: list[int]
    """How many dependencies each task's trigger rule looks at: all but the start task,
    which always completes first."""
    dependents: list[tuple[int, ...]]
    """Positions of the tasks that depend on each task: they learn, as the history pass
    goes, how their dependencies ended."""
    order: list[int]
    """Every position, each after its dependencies."""
    handled: list[bool]
    """Whether a failure of each task can trigger a dependent (its trigger rule fires on
    failures), so the failure does not fail the workflow."""

    def grow(self, task: Task) -> int:
        """Add a task the history names (discovery graphs only) and return its position."""
        position = len(self.tasks)
        self.index[task.name] = position
        self.tasks.append(task)
        self.deps.append(())
        self.rule_deps.append(0)
        self.dependents.append(())
        self.order.append(position)
        self.handled.append(False)
        return position


def discovery_graph() -> Graph:
    """An empty graph for a pass without the definition: the start task only."""
    start = StartTask()
    return Graph(None, [start], {start.name: 0}, [()], [0], [()], [0], [False])


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
    handled = [False] * len(tasks)
    for i, task in enumerate(tasks):
        for d in deps[i]:
            dependents[d].append(i)
            handled[d] = handled[d] or task.trigger_rule in HANDLING_RULES
    graph = Graph(
        workflow=workflow,
        tasks=tasks,
        index=index,
        deps=deps,
        rule_deps=[sum(1 for d in ds if d != 0) for ds in deps],
        dependents=[tuple(x) for x in dependents],
        order=dependency_order(tasks),
        handled=handled,
    )
    _CACHE[workflow] = graph
    return graph
