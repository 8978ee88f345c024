"""The activity task events of the history pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._workflow._retry import CANCELED, TIMEOUT
from ._ids import parse_control, parse_id
from ._pass import Event, event_id, text_id
from ._records import TaskError, refused
from ._signal_events import SignalEvents


class ActivityEvents(SignalEvents):
    def on_activity_scheduled(self, attrs: Mapping[str, Any], event: Event) -> None:
        activity_id = text_id(attrs, "activityId")
        ref = parse_control(attrs.get("control")) or parse_id(activity_id)
        kind = "signal" if ref is not None and ref.role == "notify" else "activity"
        rec = self._record(ref, kind, event, f"activityId {activity_id!r}", attrs)
        if rec is None or ref is None:
            return
        number = event["eventId"]
        self.open_activities[number] = str(activity_id)
        if kind == "signal":
            self.notifier_scheduled(rec, ref, event)
            return
        self.scheduled[number] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_schedule_activity_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        activity_id = attrs.get("activityId")
        ref = parse_id(activity_id)
        kind = "signal" if ref is not None and ref.role == "notify" else "activity"
        rec = self._record(ref, kind, event, f"activityId {activity_id!r}", attrs)
        cause = str(attrs.get("cause"))
        error = TaskError(f"ScheduleActivityTask failed: {cause}", None, refused(cause))
        if rec is not None and ref is not None and kind == "signal":
            self.notifier_refused(rec, ref, error, event)
        elif rec is not None and ref is not None and self._issue(
            rec, ref.attempt, event, "scheduled"
        ):
            self.fail_attempt(rec, error, event, cause=cause)

    def on_activity_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = event_id(attrs.get("scheduledEventId"))
        rec = self._linked(self.scheduled, sched, event, remove=False)
        if rec is not None and sched not in self.notifiers:
            self.move(rec, "running", event)

    def on_activity_cancel_requested(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested_activities.add(str(attrs.get("activityId")))

    def on_activity_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = event_id(attrs.get("scheduledEventId"))
        activity_id = self.open_activities.pop(sched, None)
        requested = activity_id in self.cancel_requested_activities
        if activity_id is not None:
            self.cancel_requested_activities.discard(activity_id)
        notifier = sched in self.notifiers
        self.notifiers.discard(sched)
        rec = self._linked(self.scheduled, sched, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "ActivityTaskCompleted":
            if notifier:
                self.notifier_ended(rec, None, event)
            else:
                self.complete(rec, attrs.get("result"), event)
            return
        if event_type == "ActivityTaskCanceled" and requested:
            self.cancel(rec, event)  # pyflow asked for it, while closing the execution
            return
        details = attrs.get("details")
        if event_type == "ActivityTaskFailed":
            reason = str(attrs.get("reason") or "activity failed")
            error = TaskError(reason, details, (reason,))  # the worker's exception type name
        elif event_type == "ActivityTaskTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            error = TaskError(f"activity timed out ({timeout})", details, (TIMEOUT,))
        else:  # ActivityTaskCanceled
            error = TaskError("activity canceled", details, (CANCELED,))
        if notifier:
            self.notifier_ended(rec, error, event)
        else:
            self.fail_attempt(rec, error, event)
