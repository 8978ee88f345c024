"""The Lambda function events of the history pass, and the failure reasons they give."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._workflow._retry import TIMEOUT
from ._errors import json_object
from ._ids import parse_control, parse_id
from ._pass import Event, Pass, event_id
from ._records import TaskError, refused

_SAID_PREFIX = 64  # compare this much of an error message with a failure's reason
_MIN_MESSAGE = 12


class LambdaEvents(Pass):
    def on_lambda_scheduled(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_control(attrs.get("control")) or parse_id(attrs.get("id"))
        rec = self._record(ref, "lambda", event, f"Lambda id {attrs.get('id')!r}", attrs)
        if rec is None or ref is None:
            return
        number = event["eventId"]
        self.open_lambdas.add(number)
        self.scheduled[number] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_schedule_lambda_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        ref = parse_id(attrs.get("id"))
        rec = self._record(ref, "lambda", event, f"Lambda id {attrs.get('id')!r}", attrs)
        if rec is None or ref is None or not self._issue(rec, ref.attempt, event, "scheduled"):
            return
        cause = str(attrs.get("cause"))
        error = TaskError(f"ScheduleLambdaFunction failed: {cause}", None, refused(cause))
        self.fail_attempt(rec, error, event, cause=cause)

    def on_lambda_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        rec = self._linked(self.scheduled, attrs.get("scheduledEventId"), event, remove=False)
        if rec is not None:
            self.move(rec, "running", event)

    def on_lambda_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        sched = event_id(attrs.get("scheduledEventId"))
        self.open_lambdas.discard(sched)
        rec = self._linked(self.scheduled, sched, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "LambdaFunctionCompleted":
            self.complete(rec, attrs.get("result"), event)
        elif event_type == "LambdaFunctionFailed":
            details = attrs.get("details")
            reason = attrs.get("reason")
            error = TaskError(
                _lambda_reason(reason, details), details, _lambda_names(reason, details)
            )
            self.fail_attempt(rec, error, event)
        elif event_type == "LambdaFunctionTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            error = TaskError(f"Lambda function timed out ({timeout})", None, (TIMEOUT,))
            self.fail_attempt(rec, error, event)
        else:  # StartLambdaFunctionFailed
            cause = str(attrs.get("cause") or "unknown cause")
            error = TaskError(
                f"Lambda function could not start: {cause}", attrs.get("message"), refused(cause)
            )
            self.fail_attempt(rec, error, event)


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
