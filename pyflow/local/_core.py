"""The engine state and the primitives every operation builds on: recording events,
scheduling decision tasks (one at a time per execution), starting and closing executions.

Everything here runs with `Core.lock` held.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ._clock import Clock, DueQueue, cancel, duration
from ._faults import SWFFault, invalid, unknown
from ._model import JSON, ActivityRec, Domain, Execution, LambdaRec, TypeRec
from ._queues import TaskQueues

MAX_EVENTS = 25_000
ONE_YEAR = 31_536_000


def new_id(nbytes: int = 33) -> str:
    """A random id shaped like SWF's (base64, may contain '+' and '/')."""
    return base64.b64encode(os.urandom(nbytes)).decode("ascii")


def clean(attrs: JSON) -> JSON:
    """Drop unset attributes, as SWF omits them from events and responses."""
    return {k: v for k, v in attrs.items() if v is not None}


class Core:
    """All engine state, guarded by one re-entrant lock with a condition for waiters."""

    def __init__(self, *, virtual_time: bool, poll_timeout: float, idle_grace: float) -> None:
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        self.clock = Clock(virtual_time)
        self.dues = DueQueue()
        self.poll_timeout = poll_timeout
        self.idle_grace = idle_grace
        self.domains: dict[str, Domain] = {}
        self.tokens: dict[str, Execution | ActivityRec] = {}
        self.decision_queue: TaskQueues[Execution] = TaskQueues()
        self.activity_queue: TaskQueues[ActivityRec] = TaskQueues()
        self.waiting: set[object] = set()
        """Decision and activity tasks scheduled on a task list, not yet taken by a poller."""
        self.held: set[object] = set()
        """Started decision and activity tasks not yet answered, and running Lambda tasks:
        while there is any, virtual time follows real time and never jumps."""
        self.last_touch = time.monotonic()
        self.post_batch: list[Callable[[], None]] = []
        self.start_lambda: Callable[[LambdaRec], None] = lambda rec: None
        # What closing an execution does to its parent and children (`_children`, wired by
        # the engine as `start_lambda` is, so the core needs no import of the modules above it).
        self.on_close: Callable[[Core, Execution, str, JSON, str], None] = (
            lambda core, ex, status, attrs, policy: None
        )
        self.closed = False
        self.wait_seconds = 0.0
        self.dirty: set[Execution] = set()
        """Executions changed since the durable engine last wrote them (unused in memory)."""
        self.registry_changed = False
        """A domain or type changed since the durable engine last wrote them."""
        self.commit: Callable[[], None] = self.dirty.clear
        """Make the changes so far last: called before any answer leaves, after each round
        of due timers and each Lambda outcome (`_durable` writes them to disk)."""

    # -- time -------------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock.now()

    @contextmanager
    def instant(self) -> Iterator[None]:
        """Run a request or a round of due callbacks at one instant of the clock (see
        `Clock.pin`); nested uses share the outer instant."""
        if self.clock.pinned:
            yield
            return
        self.clock.pin()
        try:
            yield
        finally:
            self.clock.unpin()

    def wait(self, timeout: float | None) -> None:
        """Wait on the condition (releasing the lock); time moves on meanwhile."""
        pinned = self.clock.pinned
        self.clock.unpin()
        began = time.monotonic()
        self.cond.wait(timeout)
        self.wait_seconds += time.monotonic() - began
        if pinned:
            self.clock.pin()

    def touch(self) -> None:
        """Note progress: a task waiting for a poller gets a fresh quiet period before
        virtual time may jump past it."""
        self.last_touch = time.monotonic()

    def offer(self, task: object) -> None:
        """`task` now waits on a task list for a poller."""
        self.waiting.add(task)
        self.touch()

    def hold(self, task: object) -> None:
        """A decider, worker or Lambda handler took `task`: virtual time follows real time
        until every held task is answered, so its timeouts count real seconds."""
        self.waiting.discard(task)
        self.held.add(task)
        self.clock.flow(True)
        self.touch()

    def release(self, task: object) -> None:
        """`task` was answered, timed out or abandoned."""
        self.waiting.discard(task)
        self.held.discard(task)
        if not self.held:
            self.clock.flow(False)
        self.touch()

    def after(self, seconds: int | None, fire: Callable[[], None], *,
              drives_clock: bool = True) -> Any:
        if seconds is None:
            return None
        return self.dues.add(self.now() + seconds, fire, drives_clock=drives_clock)

    # -- lookups ----------------------------------------------------------------------------
    def domain(self, name: str) -> Domain:
        dom = self.domains.get(name)
        if dom is None:
            raise unknown(f"Unknown domain: {name}")
        return dom

    def find_execution(self, dom: Domain, workflow_id: str, run_id: str | None) -> Execution:
        """The run with that id, or the open run of `workflow_id` when `run_id` is None."""
        if run_id is None:
            ex = dom.open_by_id.get(workflow_id)
        else:
            ex = next((e for e in reversed(dom.executions)
                       if e.run_id == run_id and e.workflow_id == workflow_id), None)
        if ex is None:
            raise unknown(f"Unknown execution: workflowId={workflow_id}, runId={run_id}")
        return ex

    def find_open(self, dom: Domain, workflow_id: str, run_id: str | None) -> Execution:
        ex = self.find_execution(dom, workflow_id, run_id)
        if not ex.is_open:
            raise unknown(f"Unknown execution: workflowId={workflow_id}, runId={run_id} "
                          "(it is closed)")
        return ex

    # -- history ----------------------------------------------------------------------------
    def add_event(self, ex: Execution, event_type: str, attrs: JSON) -> int:
        event_id = len(ex.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        ex.events.append({"eventTimestamp": self.now(), "eventType": event_type,
                          "eventId": event_id, key: clean(attrs)})
        self.dirty.add(ex)
        self.cond.notify_all()
        return event_id

    def check_event_limit(self, ex: Execution) -> None:
        if ex.is_open and len(ex.events) >= MAX_EVENTS - 1:
            self.close(ex, "TERMINATED", "WorkflowExecutionTerminated",
                       {"childPolicy": ex.child_policy, "cause": "EVENT_LIMIT_EXCEEDED"})

    # -- decision tasks ---------------------------------------------------------------------
    def trigger(self, ex: Execution) -> None:
        """An event that needs a decision was recorded: schedule a decision task, join the
        scheduled one, or remember it for after the started one completes."""
        if not ex.is_open:
            return
        if ex.dt_started is not None:
            if ex.dt_applying:
                ex.dt_batch_trigger = True
            else:
                ex.dt_pending = True
            return
        if ex.dt_scheduled is None:
            self.schedule_decision(ex)

    def schedule_decision(self, ex: Execution) -> None:
        task_list = ex.decision_task_list
        temporary = ex.override_timeout if ex.decision_list_override else None
        scheduled = ex.dt_scheduled = self.add_event(ex, "DecisionTaskScheduled", {
            "taskList": {"name": task_list},
            "taskPriority": ex.task_priority,
            "startToCloseTimeout": ex.task_timeout,
            "scheduleToStartTimeout": temporary,
        })
        self.decision_queue.push(ex.domain.name, task_list, int(ex.task_priority or 0), ex)
        ex.dt_due = self.after(duration(temporary),
                               lambda: self.decision_timed_out(ex, scheduled, 0))
        self.offer(ex)

    def decision_timed_out(self, ex: Execution, scheduled: int, started: int) -> None:
        """DecisionTaskTimedOut, then a new decision task; a temporary task-list override
        (RespondDecisionTaskCompleted.taskListScheduleToStartTimeout) is reverted."""
        if not ex.is_open or ex.dt_scheduled != scheduled or (ex.dt_started or 0) != started:
            return
        self.end_decision_task(ex)
        self.add_event(ex, "DecisionTaskTimedOut", {
            "timeoutType": "START_TO_CLOSE" if started else "SCHEDULE_TO_START",
            "scheduledEventId": scheduled, "startedEventId": started})
        if ex.override_timeout is not None:
            ex.decision_list_override = ex.override_timeout = None
        ex.dt_pending = False
        self.schedule_decision(ex)

    def end_decision_task(self, ex: Execution) -> None:
        if ex.dt_token is not None:
            self.tokens.pop(ex.dt_token, None)
        cancel(ex.dt_due)
        ex.dt_scheduled = ex.dt_started = ex.dt_token = ex.dt_due = None
        ex.dt_delivered = ex.dt_reoffered = False
        self.release(ex)

    # -- executions -------------------------------------------------------------------------
    def start_execution(self, dom: Domain, wtype: TypeRec, workflow_id: str, config: JSON, *,
                        input: str | None = None, tags: list[str] | None = None,
                        parent: tuple[Execution, int] | None = None,
                        continued_from: str | None = None,
                        run_id: str | None = None) -> Execution:
        ex = Execution(
            domain=dom, workflow_id=workflow_id, run_id=run_id or new_id(),
            workflow_type={"name": wtype.name, "version": wtype.version},
            task_list=config["taskList"]["name"], task_priority=config.get("taskPriority"),
            execution_timeout=config["executionStartToCloseTimeout"],
            task_timeout=config["taskStartToCloseTimeout"], child_policy=config["childPolicy"],
            lambda_role=config.get("lambdaRole"), tags=list(tags or []), input=input,
            start_ts=self.now(), parent=parent,
        )
        dom.executions.append(ex)
        dom.open_by_id[workflow_id] = ex
        self.add_event(ex, "WorkflowExecutionStarted", {
            "input": input, **config, "tagList": ex.tags or None, "workflowType": ex.workflow_type,
            "continuedExecutionRunId": continued_from,
            "parentWorkflowExecution": parent[0].ref if parent else None,
            "parentInitiatedEventId": parent[1] if parent else None,
        })
        limit = min(duration(ex.execution_timeout) or ONE_YEAR, ONE_YEAR)
        # An execution timeout alone never pulls virtual time forward: an execution waiting
        # for a signal must not time out the moment its decider goes quiet.
        ex.execution_due = self.after(limit, lambda: self.execution_timed_out(ex),
                                      drives_clock=False)
        self.schedule_decision(ex)
        return ex

    def execution_timed_out(self, ex: Execution) -> None:
        if ex.is_open:
            self.close(ex, "TIMED_OUT", "WorkflowExecutionTimedOut",
                       {"timeoutType": "START_TO_CLOSE", "childPolicy": ex.child_policy})

    def close(self, ex: Execution, status: str, event_type: str, attrs: JSON, *,
              child_policy: str | None = None) -> int:
        """Record the closing event, abandon open work and tell parent and children."""
        event_id = self.add_event(ex, event_type, attrs)
        ex.close_status, ex.close_ts = status, self.now()
        if ex.domain.open_by_id.get(ex.workflow_id) is ex:
            del ex.domain.open_by_id[ex.workflow_id]
        self.end_decision_task(ex)
        cancel(ex.execution_due)
        for act in ex.activities.values():
            self.drop_activity(act)
        ex.activities.clear()
        for timer in ex.timers.values():
            cancel(timer.due)
        ex.timers.clear()
        for lam in ex.lambdas.values():
            lam.state = "closed"
            self.release(lam)
        ex.lambdas.clear()
        self.on_close(self, ex, status, attrs, child_policy or ex.child_policy)
        self.touch()
        return event_id

    def drop_activity(self, act: ActivityRec) -> None:
        """Forget an activity task: its token dies and its timeouts are cancelled."""
        if act.token is not None:
            self.tokens.pop(act.token, None)
        for due in act.dues.values():
            cancel(due)
        self.release(act)


def resolve_config(wtype: TypeRec, request: JSON) -> tuple[JSON, str | None]:
    """The effective execution configuration: the request's values, else the type's defaults.

    Returns (config, missing) where `missing` names the first required setting with neither.
    """
    defaults = wtype.config
    config: JSON = {
        "taskList": request.get("taskList") or defaults.get("defaultTaskList"),
        "executionStartToCloseTimeout": request.get("executionStartToCloseTimeout")
        or defaults.get("defaultExecutionStartToCloseTimeout"),
        "taskStartToCloseTimeout": request.get("taskStartToCloseTimeout")
        or defaults.get("defaultTaskStartToCloseTimeout"),
        "childPolicy": request.get("childPolicy") or defaults.get("defaultChildPolicy"),
    }
    missing = next((k for k, v in config.items() if v is None), None)
    config["taskPriority"] = request.get("taskPriority") or defaults.get("defaultTaskPriority")
    config["lambdaRole"] = request.get("lambdaRole") or defaults.get("defaultLambdaRole")
    timeout = config["executionStartToCloseTimeout"]
    if timeout is not None and (timeout == "NONE" or int(timeout) > ONE_YEAR):
        config["executionStartToCloseTimeout"] = str(ONE_YEAR)
    return config, missing


def check_execution_timeout(value: str | None) -> None:
    if value is not None and (value == "NONE" or int(value) > ONE_YEAR):
        raise invalid("executionStartToCloseTimeout must be a number of seconds up to "
                      f"{ONE_YEAR} (one year); NONE is not allowed")


def workflow_type(dom: Domain, wtype: JSON) -> TypeRec:
    rec = dom.workflow_types.get((wtype["name"], wtype["version"]))
    if rec is None:
        raise unknown(f"Unknown type: WorkflowType=[name={wtype['name']}, "
                      f"version={wtype['version']}]")
    return rec


def fault_for_missing(missing: str) -> SWFFault:
    return SWFFault("DefaultUndefinedFault", missing)
