"""How a task moves between phases, and how each task's end reaches the tasks that wait on it.

Every change of phase goes through `move`, so `changed_at` always says when the history last
moved the task. When a task ends (completed, failed for good, skipped), each dependent
counts it and asks its trigger rule (`_rules.verdict`) whether it fires now, waits, or can
no longer fire; a firing task's `run_if` sees the input built from the dependencies that had
ended at that moment. All of it happens at the history event that ended the dependency, so
a replay of the same history makes the same choices at the same points: the decider stays
a function of the history. Work is queued, not recursed, so a chain of skips through
thousands of tasks costs no stack.
"""

from __future__ import annotations

import traceback
from collections import deque
from collections.abc import Mapping
from typing import Any

from .._exceptions import PayloadTooLargeError, TaskInputError
from .._workflow._control import Loop
from .._workflow._inputs import assemble_input, build_input, encode_input
from .._workflow._payload import MAX_DATA, decode, encode, truncate
from .._workflow._tasks import SignalTask
from .._workflow._tokens import encode_token
from ._graph import Graph
from ._items import item_completed, item_failed, item_value, start_map
from ._records import ENDED, MAX_THROTTLES, UNDECODED, Phase, TaskError, TaskRecord
from ._rules import verdict

Event = Mapping[str, Any]
_THROTTLE_SUFFIXES = ("_RATE_EXCEEDED", "_LIMIT_EXCEEDED")
_STARTED_BY_DECISION = ("lambda", "activity", "workflow")


class Flow:
    """The tasks' records and the transitions between their phases."""

    def __init__(self, graph: Graph, *, discover: bool) -> None:
        self.graph = graph
        self.discover = discover
        """No definition: tasks are created as the history names them, and a failed
        attempt does not end a task for good (the retry policy is unknown)."""
        self.records = [TaskRecord(task=t, index=i) for i, t in enumerate(graph.tasks)]
        self.failed: TaskRecord | None = None
        """The first task that failed for good with no dependent to handle the failure."""
        # The first signal of each name (its input), and the signal tasks still waiting for
        # one, by signal name.
        self.signals: dict[str, str | None] = {}
        self.signal_waiters: dict[str, list[TaskRecord]] = {}
        self.run_id: str | None = None
        self.parent_id: str | None = None
        """The execution's runId and workflowId, when known: retry jitter derives from them."""
        self.domain: str | None = None
        """The domain the decision task came from, for the context tasks ask for."""
        self.payload_limit: int | None = MAX_DATA
        """The longest input a decision may carry (None: a payload store takes longer ones)."""
        self._ended_queue: deque[TaskRecord] = deque()
        self._draining = False

    def move(self, rec: TaskRecord, phase: Phase, event: Event | None) -> None:
        rec.phase = phase
        rec.changed_at = None if event is None else event.get("eventTimestamp")

    # -- ends of tasks ------------------------------------------------------------------

    def complete(self, rec: TaskRecord, output: str | None, event: Event | None) -> None:
        """An attempt of `rec` succeeded: the task completes, or repeats if its loop says so."""
        if output is not None and not isinstance(output, str):
            # SWF payloads are strings; the pass reports the event as malformed.
            raise TypeError(f"a payload is {type(output).__name__}, not a string")
        if rec.phase in ENDED:
            return  # an end is final: dependents have counted it
        if rec.item is not None:
            item_completed(self, rec, output, event)
            return
        loop = rec.task.loop
        if loop is not None and not self.discover and self._repeats(rec, loop, output, event):
            return
        self.move(rec, "completed", event)
        rec.output = output
        rec.value = UNDECODED
        rec.ended_at = rec.changed_at
        self._ended(rec, event)

    def _repeats(
        self, rec: TaskRecord, loop: Loop, output: str | None, event: Event | None
    ) -> bool:
        """False if the loop is done; True if it goes on (or failed, which also ends it)."""
        name = rec.name
        try:
            done = bool(loop.until(decode(output)))
        except Exception as exc:  # user code: any error fails the task, with the traceback
            self.fail_now(rec, _user_error(f"task {name!r}: repeat_until", exc), event)
            return True
        if done:
            return False
        if rec.iteration >= loop.max_iterations:
            times = "iteration" if loop.max_iterations == 1 else "iterations"
            reason = (
                f"task {name!r}: repeat_until was still false after {rec.iteration} {times} "
                f"(max_iterations={loop.max_iterations})"
            )
            self.fail_now(rec, TaskError(reason, truncate(output or "null", MAX_DATA)), event)
            return True
        rec.output = output
        rec.failures = rec.throttles = 0
        self.move(rec, "repeat_wait", event)
        rec.retry_timer = "none"
        rec.retry_delay = loop.delay
        return True

    def fail_attempt(
        self,
        rec: TaskRecord,
        error: TaskError,
        event: Event,
        *,
        cause: str | None = None,
        permanent: bool = False,
    ) -> None:
        """An attempt failed: wait and retry as the task's RetryPolicy says, or fail."""
        rec.last_error = error
        policy = rec.task.retry
        if cause is not None and cause.endswith(_THROTTLE_SUFFIXES):
            rec.throttles += 1
            if rec.throttles <= MAX_THROTTLES:
                self.move(rec, "retry_wait", event)
                rec.retry_timer = "none"
                rec.retry_delay = max(policy.ceiling(1), min(2**rec.throttles, 300))
                return
        rec.failures += 1
        if permanent or rec.failures >= policy.max_attempts or not policy.retries(error.names):
            self._fail(rec, event, permanent=permanent)
            return
        self.move(rec, "retry_wait", event)
        rec.retry_timer = "none"
        run = self.run_id or self.parent_id or ""
        next_attempt = rec.attempt + 1
        rec.retry_delay = policy.delay(rec.failures, run=run, task=rec.name, attempt=next_attempt)

    def fail_now(self, rec: TaskRecord, error: TaskError, event: Event | None) -> None:
        """Fail `rec` for good, for a reason no retry can help (its own code raised)."""
        rec.last_error = error
        self._fail(rec, event, permanent=True)

    def _fail(self, rec: TaskRecord, event: Event | None, *, permanent: bool) -> None:
        if rec.item is not None:
            rec.permanent = permanent
            item_failed(self, rec, event)
            return
        self.move(rec, "failed", event)
        rec.permanent = permanent
        rec.ended_at = rec.changed_at
        if self.failed is None and not self.graph.handled[rec.index]:
            self.failed = rec
        self._ended(rec, event)

    def skip(self, rec: TaskRecord, event: Event | None) -> None:
        self.move(rec, "skipped", event)
        rec.ended_at = rec.changed_at
        self._ended(rec, event)

    def _ended(self, rec: TaskRecord, event: Event | None) -> None:
        """Tell the tasks that wait on `rec` how it ended, and so on down the graph."""
        self._ended_queue.append(rec)
        if self._draining:
            return
        self._draining = True
        try:
            while self._ended_queue:
                self._notify(self._ended_queue.popleft(), event)
        finally:
            self._draining = False

    def _notify(self, done: TaskRecord, event: Event | None) -> None:
        for i in self.graph.dependents[done.index]:
            waiter = self.records[i]
            if done.index != 0:
                if done.phase == "completed":
                    waiter.deps_ok += 1
                elif done.phase == "failed":
                    waiter.deps_failed += 1
                else:
                    waiter.deps_skipped += 1
            self.check(waiter, event)

    # -- starts of tasks ----------------------------------------------------------------

    def check(self, rec: TaskRecord, event: Event | None) -> None:
        """Fire or skip `rec` if its trigger rule now says so (only before it has begun)."""
        if rec.phase != "waiting" or rec.ready or rec.attempt:
            return
        said = verdict(
            rec.task.trigger_rule,
            self.graph.rule_deps[rec.index],
            rec.deps_ok,
            rec.deps_failed,
            rec.deps_skipped,
        )
        if said == "skip":
            self.skip(rec, event)
        elif said == "fire":
            self._fire(rec, event)

    def _fire(self, rec: TaskRecord, event: Event | None) -> None:
        rec.ready = True
        if rec.deps_ok + rec.deps_failed + rec.deps_skipped < self.graph.rule_deps[rec.index]:
            records = self.records
            rec.fired_with = frozenset(
                d for d in self.graph.deps[rec.index] if records[d].phase in ENDED
            )
        run_if = rec.task.run_if
        if run_if is not None:
            try:
                values = self.dependency_values(rec, fresh=True)
                go = bool(run_if(assemble_input(rec.task, values)))
            except Exception as exc:  # user code: any error fails the task, with the traceback
                self.fail_now(rec, _user_error(f"task {rec.name!r}: run_if", exc), event)
                return
            if not go:
                self.skip(rec, event)
                return
        if rec.task.for_each is not None and not self.discover:
            start_map(self, rec, event)
            return
        if isinstance(rec.task, SignalTask):
            arrived = self.signal_ready(rec, event)
            if arrived is not None:
                self.complete(rec, arrived[0], event)

    def signal_ready(self, rec: TaskRecord, event: Event | None) -> tuple[str | None] | None:
        """Start waiting for the signal; if it has already arrived, the input of the first
        signal of its name (in a 1-tuple: the input itself may be None)."""
        assert isinstance(rec.task, SignalTask)
        self.move(rec, "running", event)
        rec.attempt = rec.iteration = 1  # waiting for its signal is its one and only attempt
        rec.started_at = rec.changed_at
        name = rec.task.signal_name
        if name in self.signals:
            return (self.signals[name],)
        self.signal_waiters.setdefault(name, []).append(rec)
        return None

    # -- inputs ---------------------------------------------------------------------------

    def value_of(self, rec: TaskRecord) -> Any:
        """The decoded output of a completed task (decoded once)."""
        if rec.value is UNDECODED:
            rec.value = decode(rec.output)
        return rec.value

    def dependency_values(self, rec: TaskRecord, *, fresh: bool = False) -> dict[str, Any]:
        """What each dependency that had ended when `rec` fired gives its input: a completed
        one its output, a failed one {'error': {'reason', 'details'}}; a skipped one nothing.
        `fresh`: decoded anew, for user code that might change what it is given (the cached
        values are shared by every dependent)."""
        values: dict[str, Any] = {}
        chosen = rec.fired_with
        for d in self.graph.deps[rec.index]:
            dep = self.records[d]
            if chosen is not None and d not in chosen:
                continue
            if dep.phase == "completed":
                values[dep.name] = decode(dep.output) if fresh else self.value_of(dep)
            elif dep.phase == "failed":
                error = dep.last_error or TaskError("failed")
                values[dep.name] = {"error": {"reason": error.reason, "details": error.details}}
        mapping = rec.task.for_each
        if rec.item is not None and mapping is not None:
            values[mapping.over] = item_value(self, rec, fresh=fresh)
        return values

    def input_of(self, rec: TaskRecord, event: Event | None) -> str | None:
        """The JSON input of the next attempt of `rec`; None if it cannot be built, in which
        case `rec` has failed for good (the same input can never be built)."""
        task = rec.task
        if task.kind == "workflow" and task.loop is not None and rec.iteration >= 1:
            if rec.phase == "repeat_wait" or rec.iteration >= 2:
                # a child loop: the last output is the next input
                if not task.pass_context:
                    return rec.output or "null"
                wrapped = {"input": decode(rec.output), "context": self.context(rec)}
                try:
                    what = f"task {rec.name!r} input"
                    return encode(wrapped, what=what, limit=self.payload_limit)
                except (TypeError, ValueError, PayloadTooLargeError) as exc:
                    self.fail_now(rec, TaskError(f"task {rec.name!r}: {exc}"), event)
                    return None
        context = self.context(rec) if task.pass_context else None
        try:
            values = self.dependency_values(rec, fresh=task.transform_input is not None)
            return encode_input(task, values, context=context, limit=self.payload_limit)
        except TaskInputError as exc:
            self.fail_now(rec, TaskError(str(exc), exc.details), event)
            return None

    def callback_of(self, rec: TaskRecord, attempt: int, event: Event | None) -> str | None:
        """The JSON a signal task's notifier receives: where to send the signal, as fields
        and as one token, and the task's own input. None if it cannot be built (the task has
        failed for good)."""
        task = rec.task
        assert isinstance(task, SignalTask)
        workflow_id = self.parent_id or ""
        callback = {
            "domain": self.domain,
            "workflow_id": workflow_id,
            "run_id": self.run_id,
            "signal_name": task.signal_name,
            "token": encode_token(self.domain, workflow_id, task.signal_name),
            "attempt": attempt,
        }
        try:
            values = self.dependency_values(rec, fresh=task.transform_input is not None)
            callback["input"] = build_input(task, values)
            return encode(
                callback, what=f"task {rec.name!r} notifier input", limit=self.payload_limit
            )
        except TaskInputError as exc:
            self.fail_now(rec, TaskError(str(exc), exc.details), event)
        except (TypeError, ValueError, PayloadTooLargeError) as exc:
            reason = f"task {rec.name!r}: the notifier's input cannot be sent: {exc}"
            self.fail_now(rec, TaskError(reason), event)
        return None

    def context(self, rec: TaskRecord) -> dict[str, Any]:
        """Where the next attempt of `rec` runs: what an external system needs to find it."""
        context = {
            "domain": self.domain,
            "workflow_id": self.parent_id,
            "run_id": self.run_id,
            "task": rec.task.name,
            "attempt": rec.attempt + 1,
        }
        if rec.item is not None:
            context["item"] = rec.item
        return context

    def settle(self, event: Event | None) -> None:
        """Fail now each task that fired but whose input cannot be built, as the decider
        will when it comes to start it, so a view of the execution agrees with the decider."""
        for i in self.graph.order:
            rec = self.records[i]
            started = rec.task.kind in _STARTED_BY_DECISION and rec.task.for_each is None
            if rec.phase == "waiting" and rec.ready and started:
                self.input_of(rec, event)


def _user_error(what: str, exc: Exception) -> TaskError:
    return TaskError(
        f"{what} raised {type(exc).__name__}: {exc}",
        truncate("".join(traceback.format_exception(exc)), MAX_DATA),
    )

