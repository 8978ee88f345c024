"""The timer events of the history pass: TimerTasks, retry back-offs, repeat delays and
wake-ups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._carry import due_at
from ._ids import Ref, parse_control, parse_id
from ._pass import Event, text_id
from ._records import Phase, TaskError, TaskRecord, refused
from ._signal_events import SignalEvents

_WAIT_PHASE: dict[str, Phase] = {"retry": "retry_wait", "repeat": "repeat_wait"}
"""The phase a task is in while a timer of each role makes it wait for its next attempt."""
_KIND: dict[str, str | None] = {"task": "timer", "timeout": "signal", "notify": "signal"}
"""The task kind a timer of each role belongs to (None: any kind retries or repeats)."""


class TimerEvents(SignalEvents):
    def on_timer_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = text_id(attrs, "timerId")
        ref = parse_control(attrs.get("control")) or parse_id(timer_id)
        if ref is not None and ref.role == "wake":
            self.open_timers[str(timer_id)] = ref
            self.wake_timers = max(self.wake_timers, ref.attempt)
            return
        kind = _KIND.get(ref.role) if ref is not None else None
        rec = self._record(ref, kind, event, f"timerId {timer_id!r}", attrs)
        if rec is None or ref is None:
            return
        self.timer_due[str(timer_id)] = due_at(event, attrs.get("startToFireTimeout"))
        if self.carried_timers.pop(str(timer_id), None) is not None:
            self.open_timers[str(timer_id)] = ref
            return  # an earlier run's timer, started again: its task's state came with it
        if ref.role == "notify":
            self._problem(event, f"timerId {timer_id!r} names a notifier, not a timer")
            return
        self.open_timers[str(timer_id)] = ref
        if ref.role == "task":
            self._issue(rec, ref.attempt, event, "running")
            return
        if ref.role == "timeout":
            self.deadline_started(rec, ref, event)
            return
        wait = _WAIT_PHASE[ref.role]
        was = "failed" if ref.role == "retry" else "completed"
        if self.discover and rec.phase == was and ref.attempt == rec.attempt + 1:
            # Without the definition only the timer says that a failure (or an iteration)
            # was not the end; the wait began with it, so changed_at stays its time.
            rec.phase = wait
            rec.ended_at = None
        if rec.phase == wait and ref.attempt == rec.attempt + 1:
            rec.retry_timer = "open"
            seconds = attrs.get("startToFireTimeout")
            if isinstance(seconds, str) and seconds.isdigit():
                rec.retry_delay = float(seconds)  # what the timer waits, definition or not
                rec.waits[ref.attempt] = rec.retry_delay

    def on_start_timer_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = attrs.get("timerId")
        ref = parse_id(timer_id)
        if ref is not None and ref.role == "wake":
            return
        kind = _KIND.get(ref.role) if ref is not None else None
        rec = self._record(ref, kind, event, f"timerId {timer_id!r}", attrs)
        carried = self.carried_timers.pop(str(timer_id), None) is not None
        if carried and rec is not None and ref is not None and ref.role == "task":
            cause = str(attrs.get("cause"))
            error = TaskError(f"StartTimer failed: {cause}", None, refused(cause))
            self.fail_attempt(rec, error, event, cause=cause)
            return
        if rec is None or ref is None or ref.role in ("timeout", "notify"):
            if rec is not None and ref is not None and ref.role == "timeout":
                rec.deadline = max(rec.deadline, ref.attempt)  # not asked for again
            return  # a deadline that could not start: the task waits without one
        cause = str(attrs.get("cause"))
        if ref.role in _WAIT_PHASE:
            # The wait could not start: go ahead without it rather than stall.
            if rec.phase == _WAIT_PHASE[ref.role] and ref.attempt == rec.attempt + 1:
                rec.retry_timer = "fired"
            return
        if self._issue(rec, ref.attempt, event, "running"):
            error = TaskError(f"StartTimer failed: {cause}", None, refused(cause))
            self.fail_attempt(rec, error, event, cause=cause)

    def on_timer_ended(self, attrs: Mapping[str, Any], event: Event) -> None:
        timer_id = attrs.get("timerId")
        ref = self.open_timers.pop(str(timer_id), None)
        self.timer_due.pop(str(timer_id), None)
        if ref is None:
            self._problem(event, f"timerId {timer_id!r} is not an open pyflow timer")
            return
        if ref.role == "wake":
            return
        rec = self.lookup(ref.task)
        if rec is None:
            return
        if ref.role == "timeout":
            if event["eventType"] == "TimerFired":
                self.deadline_passed(rec, ref, event)
        elif ref.role in _WAIT_PHASE:
            if rec.phase == _WAIT_PHASE[ref.role] and ref.attempt == rec.attempt + 1:
                rec.retry_timer = "fired"
        elif ref.attempt == rec.attempt and rec.phase == "running":
            self._end_timer(rec, ref, event)

    def _end_timer(self, rec: TaskRecord, ref: Ref, event: Event) -> None:
        if event["eventType"] == "TimerFired":
            self.complete(rec, None, event)
        else:  # only pyflow cancels its timers, and only while closing the execution
            self.cancel(rec, event)
