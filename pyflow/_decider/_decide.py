"""`decide`: from a workflow definition and its execution history to SWF decisions.

Order of precedence, each rule looked at only if the ones before it did not apply:

1. the execution is closed: no decisions;
2. the history holds something this definition cannot account for: fail the execution;
3. a cancel request was received: cancel outstanding work, close as canceled;
4. a task failed for good and no dependent handles the failure (see `_flow`): cancel
   outstanding work, fail naming the task;
5. every task ended (completed, skipped, or failed and handled): complete with the workflow
   output;
6. otherwise start every task whose trigger rule fired (and every retry or repeat that is
   due), within SWF's limits: at most 100 decisions per response and 1,000 open activities,
   Lambda functions, timers and child workflows. When the batch limit holds work back, a
   zero-second timer wakes the decider for the rest; work held back by an open-count limit
   waits for the open work to close, which wakes the decider anyway.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from .._exceptions import PayloadTooLargeError, PyflowError
from .._workflow._definition import Workflow
from .._workflow._inputs import workflow_output
from .._workflow._payload import MAX_DATA, encode
from .._workflow._tasks import SignalTask
from . import _close, _schedule
from ._graph import discovery_graph, graph_of
from ._history import History
from ._ids import TimerRole
from ._records import ENDED, TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import (
        DecisionTypeDef,
        HistoryEventTypeDef,
        WorkflowExecutionTypeDef,
    )

OPEN_LIMIT = 1000
"""SWF's cap on open activities, Lambda functions, timers and children (each) per execution."""
_SCHEDULED_KINDS = ("lambda", "activity", "timer", "workflow")


def replay(
    workflow: Workflow | None,
    events: Sequence[HistoryEventTypeDef],
    execution: WorkflowExecutionTypeDef | None = None,
    domain: str | None = None,
    payload_limit: int | None = MAX_DATA,
) -> History:
    """The history pass, with the parent's workflowId and runId used for child workflow ids
    and, with the domain, for the context tasks are given; without the definition
    (`workflow` None), over the tasks the history itself names."""
    graph = discovery_graph() if workflow is None else graph_of(workflow)
    mapped = cast(Sequence[Mapping[str, Any]], events)
    parent_id = _text(execution.get("workflowId")) if execution else None
    run_id = _text(execution.get("runId")) if execution else None
    history = History(graph, parent_id, run_id, discover=workflow is None)
    history.domain = domain
    history.payload_limit = payload_limit
    return history.replay(mapped)


def _definition(history: History) -> Workflow:
    workflow = history.graph.workflow
    if workflow is None:  # `decide` always replays with the definition
        raise PyflowError("decisions need the workflow definition")
    return workflow


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def decide(
    workflow: Workflow,
    events: Sequence[HistoryEventTypeDef],
    *,
    execution: WorkflowExecutionTypeDef | None = None,
    domain: str | None = None,
    payload_limit: int | None = MAX_DATA,
) -> list[DecisionTypeDef]:
    """The decisions for the next RespondDecisionTaskCompleted (at most 100).

    `execution` (workflowId, runId) and `domain` are what the decision task was polled for;
    they name child workflows and fill the context of tasks with `pass_context`.
    `payload_limit` is the longest input or result a decision may carry; None when the
    caller offloads longer ones to a payload store.

    Pure and deterministic; never raises: a definition or history it cannot handle becomes a
    FailWorkflowExecution decision with a reason that says what was wrong.
    """
    if not events:
        return []
    try:
        history = replay(workflow, events, execution, domain, payload_limit)
    except PyflowError as exc:
        return _fail_unhandled(f"workflow definition is invalid: {exc}", exc)
    except Exception as exc:  # a bug or a history beyond repair: fail clearly, never crash
        return _fail_unhandled(f"pyflow could not read the history: {exc!r}", exc)
    try:
        return _decide(history)
    except Exception as exc:
        return _fail_unhandled(f"pyflow decider error: {exc!r}", exc)


def _fail_unhandled(reason: str, exc: BaseException) -> list[DecisionTypeDef]:
    details = {"error": {"reason": reason, "details": "".join(traceback.format_exception(exc))}}
    return [
        {
            "decisionType": "FailWorkflowExecution",
            "failWorkflowExecutionDecisionAttributes": {
                "reason": reason[:256],
                "details": _close.json_within(details, MAX_DATA),
            },
        }
    ]


def _decide(history: History) -> list[DecisionTypeDef]:
    if history.close_status is not None:
        return []
    if history.problem is not None:
        workflow = _definition(history)
        reason = f"workflow {workflow.name!r} cannot continue: {history.problem}"
        return _close.fail(history, reason, {"error": {"reason": history.problem}})
    if history.cancel_requested:
        return _close.cancel(history)
    if history.failed is not None:
        return _close.fail_task(history, history.failed)
    return _Planner(history).plan()


class Outputs(Mapping[str, Any]):
    """Completed tasks' outputs by name, decoded only when a task's input needs them."""

    def __init__(self, history: History) -> None:
        self._history = history

    def __getitem__(self, name: str) -> Any:
        index = self._history.graph.index[name]
        rec = self._history.records[index]
        if rec.phase != "completed":
            raise KeyError(name)
        return self._history.value_of(rec)

    def __iter__(self) -> Iterator[str]:
        return (r.name for r in self._history.records if r.phase == "completed")

    def __len__(self) -> int:
        return sum(1 for r in self._history.records if r.phase == "completed")


class _Planner:
    """Chooses what to start now, within the batch and open-count limits."""

    def __init__(self, history: History) -> None:
        self.history = history
        self.outputs = Outputs(history)
        self.decisions: list[DecisionTypeDef] = []
        self.open = {
            "activity": len(history.open_activities),
            "lambda": len(history.open_lambdas),
            "timer": len(history.open_timers),
            "workflow": len(history.open_children),
        }
        self.held_back = False

    def plan(self) -> list[DecisionTypeDef]:
        history = self.history
        records = history.records
        all_done = True
        # Dependencies first: a task failing here (its input cannot be built) reaches its
        # dependents before the loop comes to them.
        for i in history.graph.order:
            rec = records[i]
            if rec.phase in ENDED:
                continue
            if self.held_back:
                all_done = False
                break
            self._consider(rec)
            if history.failed is not None:
                return _close.fail_task(history, history.failed)
            all_done = all_done and rec.phase in ENDED
        if all_done:
            return self._complete()
        if self.held_back and not any(r.role == "wake" for r in history.open_timers.values()):
            if self.open["timer"] < OPEN_LIMIT:
                self.decisions.append(_schedule.wake_timer(history.wake_timers + 1))
        return self.decisions

    def _consider(self, rec: TaskRecord) -> None:
        """Add the decision `rec` needs now, if any."""
        kind = rec.task.kind
        if isinstance(rec.task, SignalTask):
            self._consider_signal(rec, rec.task)
            return
        if kind not in _SCHEDULED_KINDS:
            return  # the start task completes from history alone
        if rec.phase == "waiting":
            if not rec.ready:
                return
        elif rec.phase not in ("retry_wait", "repeat_wait"):
            return
        elif rec.retry_delay > 0 and rec.retry_timer != "fired":
            self._wait(rec)
            return
        if not self._room(kind):
            return
        input_text = ""
        if kind != "timer":
            built = self.history.input_of(rec, self.history.last_event)
            if built is None:
                self._record_failure(rec)
                return
            input_text = built
        parent_id = self.history.parent_id or ""
        self.decisions.append(
            _schedule.attempt_decision(
                rec.task,
                rec.attempt + 1,
                input_text,
                parent_id=parent_id,
                run_id=self.history.run_id,
                lambda_role=self.history.lambda_role,
            )
        )
        self.open[kind] += 1

    def _record_failure(self, rec: TaskRecord) -> None:
        """`rec` failed here, not in the history, and its dependents were told. A failure
        that ends the workflow is recorded by the close; any other is recorded as a marker,
        before the decisions it set off, so a replay meets it at the same point."""
        if self.history.failed is not None:
            return
        self.decisions.append(_schedule.failure_marker(rec))

    def _wait(self, rec: TaskRecord) -> None:
        """Start the timer before a retry or the next iteration, if not started yet."""
        if rec.retry_timer == "none" and self._room("timer"):
            role: TimerRole = "retry" if rec.phase == "retry_wait" else "repeat"
            seconds = math.ceil(rec.retry_delay)  # SWF timers take whole seconds
            self.decisions.append(_schedule.retry_timer(rec.task, rec.attempt + 1, seconds, role))
            self.open["timer"] += 1

    def _consider_signal(self, rec: TaskRecord, task: SignalTask) -> None:
        """A signal task completes from history alone; pyflow only calls its notifier and
        starts its deadline, for each attempt (a later one after a retry wait)."""
        if rec.phase == "running" and rec.attempt:
            attempt = rec.attempt
        elif rec.phase == "retry_wait":
            if rec.retry_delay > 0 and rec.retry_timer != "fired":
                self._wait(rec)
                return
            attempt = rec.attempt + 1
        else:
            return
        notifier = task.notifier
        if notifier is not None and rec.notified < attempt and self._room(notifier.kind):
            text = self.history.callback_of(rec, attempt, self.history.last_event)
            if text is None:
                self._record_failure(rec)
                return
            self.decisions.append(_schedule.notifier(task, attempt, text))
            self.open[notifier.kind] += 1
        if task.timeout is not None and rec.deadline < attempt and self._room("timer"):
            self.decisions.append(_schedule.retry_timer(task, attempt, task.timeout, "timeout"))
            self.open["timer"] += 1

    def _room(self, kind: str) -> bool:
        """True if one more decision of `kind` fits; notes when the batch limit is hit."""
        if len(self.decisions) >= _close.MAX_DECISIONS - 1:
            self.held_back = True
            return False
        return self.open[kind] < OPEN_LIMIT

    def _complete(self) -> list[DecisionTypeDef]:
        history = self.history
        result = workflow_output(_definition(history), self.outputs)
        try:
            text = encode(result, what="the workflow result", limit=history.payload_limit)
        except PayloadTooLargeError as exc:
            return _close.fail(
                history,
                f"the workflow result is too large: {exc}",
                {"error": {"reason": str(exc), "size": exc.size, "limit": exc.limit}},
            )
        except (TypeError, ValueError) as exc:
            return _close.fail(
                history,
                f"the workflow result is not JSON-serialisable: {exc}",
                {"error": {"reason": str(exc)}},
            )
        return _close.complete(text)
