"""The Lambda function events of the history pass, and the failure reasons they give."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._workflow._retry import TIMEOUT
from ._errors import json_object
from ._ids import parse_control, parse_id
from ._pass import Event, event_id
from ._records import TaskError, refused
from ._signal_events import SignalEvents

_SAID_PREFIX = 64  # compare this much of an error message with a failure's reason
_MIN_MESSAGE = 12


class LambdaEvents(SignalEvents):
    def on_lambda_scheduled(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_control(attrs.get("control")) or parse_id(attrs.get("id"))
        kind = "signal" if ref is not None and ref.role == "notify" else "lambda"
        rec = self._record(ref, kind, event, f"Lambda id {attrs.get('id')!r}", attrs)
        if rec is None or ref is None:
            return
        number = event["eventId"]
        self.open_lambdas.add(number)
        if kind == "signal":
            self.notifier_scheduled(rec, ref, event)
            return
        self.scheduled[number] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_schedule_lambda_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_id(attrs.get("id"))
        kind = "signal" if ref is not None and ref.role == "notify" else "lambda"
        rec = self._record(ref, kind, event, f"Lambda id {attrs.get('id')!r}", attrs)
        cause = str(attrs.get("cause"))
        error = TaskError(f"ScheduleLambdaFunction failed: {cause}", None, refused(cause))
        if rec is not None and ref is not None and kind == "signal":
            self.notifier_refused(rec, ref, error, event)
        elif rec is not None and ref is not None and self._issue(
            rec, ref.attempt, event, "scheduled"
        ):
            self.fail_attempt(rec, error, event, cause=cause)

    def on_lambda_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = event_id(attrs.get("scheduledEventId"))
        rec = self._linked(self.scheduled, sched, event, remove=False)
        if rec is not None and sched not in self.notifiers:
            self.move(rec, "running", event)

    def on_lambda_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = event_id(attrs.get("scheduledEventId"))
        self.open_lambdas.discard(sched)
        notifier = sched in self.notifiers
        self.notifiers.discard(sched)
        rec = self._linked(self.scheduled, sched, event)
        if rec is None:
            return
        error = _lambda_error(attrs, event["eventType"])
        if notifier:
            self.notifier_ended(rec, error, event)
        elif error is None:
            self.complete(rec, attrs.get("result"), event)
        else:
            self.fail_attempt(rec, error, event)


def _lambda_error(attrs: Mapping[str, Any], event_type: str) -> TaskError | None:
    """Why a Lambda function call failed; None if it completed."""
    if event_type == "LambdaFunctionCompleted":
        return None
    if event_type == "LambdaFunctionFailed":
        details = attrs.get("details")
        reason = attrs.get("reason")
        return TaskError(_lambda_reason(reason, details), details, _lambda_names(reason, details))
    if event_type == "LambdaFunctionTimedOut":
        timeout = attrs.get("timeoutType", "START_TO_CLOSE")
        return TaskError(f"Lambda function timed out ({timeout})", None, (TIMEOUT,))
    cause = str(attrs.get("cause") or "unknown cause")  # StartLambdaFunctionFailed
    return TaskError(
        f"Lambda function could not start: {cause}", attrs.get("message"), refused(cause)
    )


def _lambda_names(reason: object, details: object) -> tuple[str, ...]:
    """SWF's reason ('UnhandledError') and the error type the handler raised, as Lambda
    reports it in the details."""
    names = [str(reason or "UnhandledError")]
    payload = json_object(details)
    kind = payload.get("errorType") if payload is not None else None
    if isinstance(kind, str) and kind:
        names.append(kind)
    return tuple(names)


def _lambda_reason(reason: object, details: object) -> str:
    """SWF's reason for a failed function ('UnhandledError') plus the error Lambda reported,
    so the failure says what went wrong without digging into the details (unless the reason
    already says it, as the embedded engine's 'ResultTooLarge: ...' does)."""
    text = str(reason or "Lambda function failed")
    payload = json_object(details)
    if payload is not None:
        kind, message = payload.get("errorType"), payload.get("errorMessage")
        said = ": ".join(str(x) for x in (kind, message) if x not in (None, ""))
        if said and not _already_said(text, said, str(message or "")):
            return f"{text} ({said})"
    return text


def _already_said(reason: str, said: str, message: str) -> bool:
    """Whether the reason already holds the error (some runtimes, pyflow's embedded engine
    among them, put it there), perhaps cut short at SWF's 256 characters. Only a message of
    some length counts on its own: a short one ('k') can occur in any reason by chance."""
    said, message = said.strip(), message.strip()
    return said[:_SAID_PREFIX] in reason or (
        len(message) >= _MIN_MESSAGE and message[:_SAID_PREFIX] in reason
    )
