"""Restart of the durable engine: the saved domains and executions back in memory, with their
task lists, task tokens, timers and timeouts as they were when the last call was answered.

Time did not stop while the engine was down. Every timer and timeout keeps its original due
time, so one that fell due meanwhile fires as soon as the engine runs, in due order, and one
still ahead fires when it would have.

A decision or activity task whose poll answer reached the poller's connection (the HTTP
server confirms each one) stays started with its token valid, as on SWF, where a poller's
lost connection does not end its task: the worker may still answer within its start-to-close
(and heartbeat) timeout, and when that passes the task times out and a new decision task is
scheduled. A task handed out but not delivered (the engine died between recording the start
and sending the answer, or the poller ran in the engine's own process) has no poller to
answer it: rather than leave it to time out, it goes back on its task list, first in line, and
the next poller gets the same task (same token, same started event) with fresh start-to-close
and heartbeat timeouts. Should the first poller have got it after all, whichever answers first
wins and the other gets UnknownResourceFault.
A Lambda function that was running when the engine died ran inside the engine, so nothing
can answer for it: it is invoked again, with its full timeout.
"""

from __future__ import annotations

from typing import Any

from . import _activities
from ._core import Core
from ._decisions import fire_timer
from ._lambda import LambdaRunner
from ._model import JSON, ActivityRec, Execution, TimerRec
from ._snapshot import domain_from, due_times, execution_from
from ._store import Store


def restore(core: Core, store: Store, lambdas: LambdaRunner) -> None:
    """Load everything `store` holds into `core` (which must be empty)."""
    for state in store.domains():
        dom = domain_from(state)
        core.domains[dom.name] = dom
    clock = store.meta("clock")
    if clock is not None:
        core.clock.set(float(clock))  # virtual time resumes where it stood; never backward
    by_run: dict[str, Execution] = {}
    dues: dict[str, dict[str, Any]] = {}
    for state, events in store.executions():
        home = core.domains.get(state["domain"])
        if home is None:
            continue
        ex = execution_from(state, home, events)
        dom.executions.append(ex)
        if ex.is_open:
            dom.open_by_id[ex.workflow_id] = ex
        by_run[ex.run_id] = ex
        dues[ex.run_id] = due_times(state)
    for run_id, ex in by_run.items():
        _link(ex, dues[run_id], by_run)
        if ex.is_open:
            _arm(core, ex, dues[run_id])
    _requeue(core, [ex for ex in by_run.values() if ex.is_open])
    for ex in by_run.values():
        for rec in list(ex.lambdas.values()):
            lambdas.resume(rec)


def _link(ex: Execution, saved: JSON, by_run: dict[str, Execution]) -> None:
    """Point parent and child references at the loaded executions (a purged one is gone)."""
    if saved["parent"] is not None:
        parent = by_run.get(saved["parent"][0])
        ex.parent = None if parent is None else (parent, saved["parent"][1])
    for initiated, run_id in saved["children"].items():
        ex.children[initiated].execution = None if run_id is None else by_run.get(run_id)


def _arm(core: Core, ex: Execution, saved: JSON) -> None:
    dues = core.dues
    if saved["execution_due"] is not None:
        ex.execution_due = dues.add(saved["execution_due"],
                                    lambda: core.execution_timed_out(ex), drives_clock=False)
    if saved["dt_due"] is not None and ex.dt_scheduled is not None:
        scheduled, started = ex.dt_scheduled, ex.dt_started or 0
        ex.dt_due = dues.add(saved["dt_due"],
                             lambda: core.decision_timed_out(ex, scheduled, started))
    for act in ex.activities.values():
        for kind, at in saved["activities"][act.activity_id].items():
            act.dues[kind] = dues.add(at, _activity_timeout(core, act, kind))
    for timer in ex.timers.values():
        at = saved["timers"][timer.timer_id]
        if at is not None:
            timer.due = dues.add(at, _timer_fire(core, ex, timer))


def _activity_timeout(core: Core, act: ActivityRec, kind: str) -> Any:
    return lambda: _activities.time_out(core, act, kind)


def _timer_fire(core: Core, ex: Execution, timer: TimerRec) -> Any:
    return lambda: fire_timer(core, ex, timer)


def _requeue(core: Core, executions: list[Execution]) -> None:
    """Put waiting tasks back on their task lists in the order they were scheduled, and hold
    started ones under their tokens."""
    waiting: list[tuple[float, int, Execution | ActivityRec]] = []
    for ex in executions:
        if ex.dt_scheduled is not None and ex.dt_token is not None:
            core.tokens[ex.dt_token] = ex
            ex.dt_reoffered = not ex.dt_delivered
        if ex.dt_scheduled is not None and (ex.dt_started is None or ex.dt_reoffered):
            waiting.append((ex.events[ex.dt_scheduled - 1]["eventTimestamp"], 0, ex))
        elif ex.dt_token is not None:
            core.hold(ex)
        for act in ex.activities.values():
            if act.token is not None:
                core.tokens[act.token] = act
                act.reoffered = not act.delivered
            if act.started_id == 0 or act.reoffered:
                waiting.append((ex.events[act.scheduled_id - 1]["eventTimestamp"], 1, act))
            else:
                core.hold(act)
    for _, _, task in sorted(waiting, key=lambda w: (w[0], w[1])):
        if isinstance(task, Execution):
            core.decision_queue.push(task.domain.name, task.decision_task_list,
                                     int(task.task_priority or 0), task)
        else:
            core.activity_queue.push(task.execution.domain.name, task.task_list,
                                     task.priority, task)
        core.offer(task)
