"""What a workflow asks of SWF's limits (time, history events, open work), checked early."""

# Estimates, not simulations: durations count what the definition states (timers, timeouts,
# retry waits at their longest, loop delays) and nothing for what it leaves to SWF's
# defaults or to the outside world (a signal may come at any time); history events count
# the path where every attempt succeeds, each loop running to max_iterations.

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .._exceptions import DefinitionError
from ._control import Loop
from ._retry import RetryPolicy


class Task(Protocol):
    """What the estimate reads of a task (the model's `Task`, which imports this module)."""

    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def loop(self) -> Loop | None: ...
    @property
    def retry(self) -> RetryPolicy: ...
    @property
    def dependencies(self) -> Sequence[Task]: ...


class Workflow(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def execution_timeout(self) -> int: ...
    @property
    def tasks(self) -> Sequence[Task]: ...

MAX_EVENTS = 25_000
"""SWF terminates an execution whose history reaches this many events."""
_EVENTS_PER_RUN = {"lambda": 3, "activity": 3, "workflow": 3, "timer": 2, "signal": 1, "start": 0}
"""Events one successful attempt of each kind adds (scheduled, started, closed)."""
_DECISION_EVENTS = 3
"""A decision task (scheduled, started, completed), counted once per task that ends."""
_EXECUTION_EVENTS = 5
"""The start and close events and the first decision task."""


@dataclass(frozen=True)
class Budget:
    """A workflow's estimate: what `pyflow graph --budget` prints and `validate()` checks."""

    events: int
    """History events when every attempt succeeds (loops at max_iterations)."""
    longest_seconds: float
    """The longest path in time: timers, stated timeouts and retry waits at their longest."""
    longest_path: tuple[str, ...]
    widest: int
    """Tasks in the widest rank of the graph (tasks as far from the start): at least that
    many can be open at once."""


def task_seconds(task: Task) -> float:
    """The longest a task can take, from what its definition states."""
    loop = task.loop
    iterations = loop.max_iterations if loop is not None else 1
    policy = task.retry
    one = _attempt_seconds(task) * policy.max_attempts + sum(
        policy.ceiling(k) for k in range(1, policy.max_attempts)
    )
    return one * iterations + (loop.delay * (iterations - 1) if loop is not None else 0)


def _attempt_seconds(task: Task) -> float:
    if task.kind == "timer":
        return float(getattr(task, "duration", 0))
    if task.kind in ("lambda", "signal"):
        return float(getattr(task, "timeout", None) or 0)  # a signal task's deadline
    if task.kind == "workflow":
        return float(getattr(task, "execution_timeout", None) or 0)
    if task.kind == "activity":
        declared = getattr(task, "activity", None)

        def stated(name: str) -> float:
            value = getattr(task, name, None)
            if value is None and declared is not None:
                value = getattr(declared, name, None)
            return float(value or 0)

        whole = stated("schedule_to_close_timeout")
        return whole or stated("schedule_to_start_timeout") + stated("start_to_close_timeout")
    return 0.0


def task_events(task: Task) -> int:
    loop = task.loop
    iterations = loop.max_iterations if loop is not None else 1
    events = (_EVENTS_PER_RUN[task.kind] + _DECISION_EVENTS) * iterations
    if loop is not None and loop.delay:
        events += 2 * (iterations - 1)  # a repeat timer before each later iteration
    return events if task.kind != "start" else 0


def dependency_order(tasks: Sequence[Task]) -> list[int]:
    """Positions of `tasks` ordered so that each comes after its dependencies; a dependency
    named before it was added can sit later in workflow order, so that order alone is not
    enough. There is no cycle (`Workflow.add` refuses one)."""
    index = {task.name: i for i, task in enumerate(tasks)}
    waiting = [len(task.dependencies) for task in tasks]
    users: list[list[int]] = [[] for _ in tasks]
    for i, task in enumerate(tasks):
        for dep in task.dependencies:
            users[index[dep.name]].append(i)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    ready.reverse()
    order: list[int] = []
    while ready:
        i = ready.pop()
        order.append(i)
        freed = []
        for user in users[i]:
            waiting[user] -= 1
            if waiting[user] == 0:
                freed.append(user)
        ready.extend(sorted(freed, reverse=True))
    return order


def estimate(workflow: Workflow) -> Budget:
    """The workflow's budget estimate."""
    tasks = list(workflow.tasks)
    return budget(workflow, [tasks[i] for i in dependency_order(tasks)])


def budget(workflow: Workflow, order: list[Task]) -> Budget:
    """The estimate for `workflow`, whose tasks `order` lists dependencies first."""
    finish: dict[str, float] = {}
    via: dict[str, str | None] = {}
    rank: dict[str, int] = {}
    for task in order:
        before = max(task.dependencies, key=lambda d: finish[d.name], default=None)
        finish[task.name] = (finish[before.name] if before else 0.0) + task_seconds(task)
        via[task.name] = before.name if before else None
        rank[task.name] = max((rank[d.name] + 1 for d in task.dependencies), default=0)
    last = None  # the path's end: the latest of the slowest, so it reaches a sink
    for name, seconds in finish.items():
        if last is None or seconds >= finish[last]:
            last = name
    path: list[str] = []
    while last is not None:
        path.append(last)
        last = via[last]
    ranks: dict[int, int] = {}
    for task in order:
        if task.kind != "start":
            ranks[rank[task.name]] = ranks.get(rank[task.name], 0) + 1
    return Budget(
        events=_EXECUTION_EVENTS + sum(task_events(t) for t in order),
        longest_seconds=max(finish.values(), default=0.0),
        longest_path=tuple(reversed(path)),
        widest=max(ranks.values(), default=0),
    )


def check(workflow: Workflow, estimate: Budget) -> None:
    """Raise a DefinitionError naming the workflow, the path and the fix, if the workflow
    cannot finish within its execution timeout. (A history of any length fits: past the
    workflow's `history_budget` the execution continues as a new run.)"""
    where = f"workflow {workflow.name!r}"
    if estimate.longest_seconds > workflow.execution_timeout:
        path = " -> ".join(estimate.longest_path)
        raise DefinitionError(
            f"{where}: the path {path} can take {estimate.longest_seconds:g} s (timers, "
            f"timeouts and retry waits), more than execution_timeout={workflow.execution_timeout}"
            " s; raise execution_timeout (at most 31536000, one year) or shorten the path"
        )
