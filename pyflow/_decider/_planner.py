"""The planner: what to start now, within SWF's batch and open-count limits, once the
history pass has said where every task stands (see `_decide` for the order of rules)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .._exceptions import PayloadTooLargeError
from .._workflow._definition import Workflow
from .._workflow._inputs import workflow_output
from .._workflow._payload import MAX_DATA, encode
from .._workflow._tasks import SignalTask
from . import _carry, _close, _schedule
from ._chunks import chunk_text
from ._history import History
from ._ids import TimerRole
from ._records import ENDED, MapState, TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import DecisionTypeDef

OPEN_LIMIT = 1000
"""SWF's cap on open activities, Lambda functions, timers and children (each) per execution."""
_SCHEDULED_KINDS = ("lambda", "activity", "timer", "workflow")


def _definition(history: History) -> Workflow:
    workflow = history.graph.workflow
    assert workflow is not None  # planning always follows a pass with the definition
    return workflow


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


class Planner:
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
        for timer_id, (ref, seconds) in history.carried_timers.items():
            if self._room("timer"):
                self.decisions.append(_carry.restart_timer(timer_id, ref, seconds))
                self.open["timer"] += 1
        if _carry.over_budget(history):
            return self._drain()
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

    def _drain(self) -> list[DecisionTypeDef]:
        """Past the history budget: start nothing, and once the work still open has closed,
        continue as a new run (unless every task has ended: then the workflow completes)."""
        history = self.history
        if all(r.phase in ENDED for r in history.records):
            return self._complete()
        if history.open_activities or history.open_lambdas or history.open_children:
            return self.decisions
        text = _carry.carry_text(history)
        limit = history.payload_limit
        if limit is not None and len(text) > limit:
            reason = (
                f"the state this run must carry to the next ({len(text):,} characters) is "
                f"more than SWF's {MAX_DATA:,} per input; configure a payload store "
                "(payload_store= on the decider, pyflow.S3PayloadStore on AWS)"
            )
            return _close.fail(history, reason, {"error": {"reason": reason}})
        return [_carry.continue_as_new(history, text)]

    def _consider(self, rec: TaskRecord) -> None:
        """Add the decision `rec` needs now, if any."""
        kind = rec.task.kind
        if isinstance(rec.task, SignalTask):
            self._consider_signal(rec, rec.task)
            return
        if kind not in _SCHEDULED_KINDS:
            return  # the start task completes from history alone
        if rec.map is not None:
            self._consider_items(rec, rec.map)
            return
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
        self._attempt(rec, input_text)

    def _attempt(self, rec: TaskRecord, input_text: str) -> None:
        kind = rec.task.kind
        self.decisions.append(
            _schedule.attempt_decision(
                rec.task,
                rec.attempt + 1,
                input_text,
                parent_id=self.history.parent_id or "",
                run_id=self.history.run_id,
                lambda_role=self.history.lambda_role,
                name=rec.name,
            )
        )
        self.open[kind] += 1

    def _consider_items(self, rec: TaskRecord, state: MapState) -> None:
        """Retry the items that wait for it, then start the next items, in list order, up
        to the task's `max_concurrency`."""
        if rec.phase in ENDED:
            return
        for item in list(state.active.values()):
            if item.phase == "retry_wait":
                self._consider(item)
        mapping = rec.task.for_each
        assert mapping is not None
        limit = mapping.max_concurrency or state.units
        if state.chunk:  # chunks at once, each running up to its share of the limit
            limit = max(1, limit // state.chunk) if mapping.max_concurrency else state.units
        task = state.runner or rec.task
        running = len(state.active)
        for position in range(state.issued, state.units):
            if running >= limit or rec.phase in ENDED or not self._room(task.kind):
                return
            item = TaskRecord(task=task, index=rec.index, item=position)
            if state.chunk:
                built = chunk_text(self.history, rec, state, position)
            else:
                built = self.history.input_of(item, self.history.last_event)
            if built is None:
                self._record_failure(rec)
                return
            self._attempt(item, built)
            running += 1

    def _record_failure(self, rec: TaskRecord) -> None:
        """`rec` failed here, not in the history, and its dependents were told. A failure
        that ends the workflow is recorded by the close; any other is recorded as a marker,
        before the decisions it set off, so a replay meets it at the same point."""
        if self.history.failed is not None:
            return
        if rec.item is not None:
            rec = self.history.records[rec.index]  # an item's failure is its task's
        self.decisions.append(_schedule.failure_marker(rec))

    def _wait(self, rec: TaskRecord) -> None:
        """Start the timer before a retry or the next iteration, if not started yet."""
        if rec.retry_timer == "none" and self._room("timer"):
            role: TimerRole = "retry" if rec.phase == "retry_wait" else "repeat"
            seconds = math.ceil(rec.retry_delay)  # SWF timers take whole seconds
            self.decisions.append(_schedule.retry_timer(rec.name, rec.attempt + 1, seconds, role))
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
            self.decisions.append(
                _schedule.retry_timer(task.name, attempt, task.timeout, "timeout")
            )
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
