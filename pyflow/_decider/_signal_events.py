"""Signal tasks' own events in the history pass: their notifier calls and their deadlines.

A notifier is a Lambda function or activity that pyflow calls when a signal task starts
waiting, so that something outside learns where to send the signal; its ids are the signal
task's with '#notify'. A deadline is a timer ('#timeout') that fails the attempt if no signal
came in time. Either can start a later attempt of the task (after a retry wait), since a
signal task has no scheduling decision of its own.
"""

from __future__ import annotations

from ._ids import Ref
from ._pass import Event, Pass
from ._records import TaskError, TaskRecord


class SignalEvents(Pass):
    def signal_attempt(self, rec: TaskRecord, attempt: int, event: Event) -> None:
        """A notifier or deadline of `attempt` says that attempt began: wait again (or
        complete at once, for a signal that already came)."""
        if attempt != rec.attempt + 1 or rec.phase != "retry_wait":
            return
        rec.attempt = attempt
        self.move(rec, "running", event)
        rec.retry_timer = "none"
        name = rec.task.signal_name  # type: ignore[attr-defined]
        if name in self.signals:
            self.complete(rec, self.signals[name], event)
        elif rec not in self.signal_waiters.get(name, ()):
            self.signal_waiters.setdefault(name, []).append(rec)

    def notifier_scheduled(self, rec: TaskRecord, ref: Ref, event: Event) -> None:
        number = event["eventId"]
        self.notifiers.add(number)
        self.scheduled[number] = (rec, ref.attempt)
        self.signal_attempt(rec, ref.attempt, event)
        rec.notified = max(rec.notified, ref.attempt)

    def notifier_refused(self, rec: TaskRecord, ref: Ref, error: TaskError, event: Event) -> None:
        self.signal_attempt(rec, ref.attempt, event)
        rec.notified = max(rec.notified, ref.attempt)
        if rec.phase == "running" and ref.attempt == rec.attempt:
            self.fail_attempt(rec, _of_notifier(error), event, cause=error.names[-1])

    def notifier_ended(self, rec: TaskRecord, error: TaskError | None, event: Event) -> None:
        """The notifier finished: nothing to do if it worked (the task waits on); if it
        failed, nobody may know where to signal, so the attempt fails (and may retry)."""
        if error is not None and rec.phase == "running":
            self.fail_attempt(rec, _of_notifier(error), event)

    def deadline_started(self, rec: TaskRecord, ref: Ref, event: Event) -> None:
        self.signal_attempt(rec, ref.attempt, event)
        rec.deadline = max(rec.deadline, ref.attempt)

    def deadline_passed(self, rec: TaskRecord, ref: Ref, event: Event) -> None:
        if rec.phase != "running" or ref.attempt != rec.attempt:
            return  # the signal came first
        seconds = rec.task.timeout  # type: ignore[attr-defined]
        name = rec.task.signal_name  # type: ignore[attr-defined]
        error = TaskError(f"no signal {name!r} arrived within {seconds} s", None, ("Timeout",))
        self.fail_attempt(rec, error, event)


def _of_notifier(error: TaskError) -> TaskError:
    return TaskError(f"the notifier failed: {error.reason}", error.details, error.names)
