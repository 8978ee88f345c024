"""Signal ingress: a Lambda Function URL (IAM-authenticated) and EventBridge target that signal
executions in the stack's domain, so the outside world needs no SWF SDK to answer a SignalTask.

An HTTP request is a POST of `{"token": ..., "input": ...}` (the token a SignalTask's notifier
received) or `{"workflowId": ..., "signalName": ..., "input": ..., "runId": ...}`; the answer is
200 with what was signalled, 400 for a body that is not one of those, 403 for a token naming
another domain, 404 for no open execution, 502 when SWF fails otherwise. An EventBridge rule
delivers `{"pyflow.event": {"workflowId", "signalName", "input"}}` (the stack's input
transformer puts the whole event in `input`); a failure there raises, so EventBridge retries and
then dead-letters the event rather than dropping it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from collections.abc import Mapping
from typing import Any

import pyflow
from pyflow._workflow._tokens import decode_token

logger = logging.getLogger("pyflow.signal")
logger.setLevel(logging.INFO)

EVENT_KEY = "pyflow.event"
_CLIENT: list[pyflow.Client] = []


class Rejected(Exception):
    """A request this handler answers with `status` and a message saying what to change."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def lambda_handler(event: Mapping[str, Any], context: Any = None) -> dict[str, Any]:
    """The Function URL's and the EventBridge rule's entry point."""
    if isinstance(event, Mapping) and EVENT_KEY in event:
        return _from_eventbridge(event[EVENT_KEY])
    try:
        target = _target(_request_body(event))
        _send(*target)
    except Rejected as exc:
        logger.warning("rejected signal request: %s", exc)
        return _response(exc.status, {"error": str(exc)})
    workflow_id, signal_name, _input, run_id = target
    logger.info("signalled %r with %r", workflow_id, signal_name)
    done = {"workflowId": workflow_id, "signalName": signal_name, "runId": run_id}
    return _response(200, {"signalled": done})


def _client() -> pyflow.Client:
    if not _CLIENT:
        _CLIENT.append(pyflow.Client(domain=os.environ["PYFLOW_DOMAIN"]))
    return _CLIENT[0]


def _request_body(event: Mapping[str, Any]) -> Any:
    method = ((event.get("requestContext") or {}).get("http") or {}).get("method", "POST")
    if method != "POST":
        raise Rejected(405, f"use POST, not {method}")
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    try:
        return json.loads(body)
    except ValueError:
        raise Rejected(400, 'the body must be JSON: {"token": ..., "input": ...}') from None


def _target(body: Any) -> tuple[str, str, Any, str | None]:
    """(workflow id, signal name, input, run id) from a token or from the fields."""
    if not isinstance(body, dict):
        raise Rejected(400, "the body must be a JSON object")
    domain = _client().domain
    if "token" in body:
        try:
            target = decode_token(body["token"])
        except pyflow.InvalidArgumentError as exc:
            raise Rejected(400, str(exc)) from None
        if target.domain is not None and target.domain != domain:
            raise Rejected(
                403,
                f"the token is for domain {target.domain!r}; this endpoint signals only {domain!r}",
            )
        return target.workflow_id, target.signal_name, body.get("input"), None
    workflow_id, signal_name = body.get("workflowId"), body.get("signalName")
    run_id = body.get("runId")
    if not isinstance(workflow_id, str) or not workflow_id:
        raise Rejected(400, 'give "token", or "workflowId" and "signalName" (strings)')
    if not isinstance(signal_name, str) or not signal_name:
        raise Rejected(400, '"signalName" must be a non-empty string')
    if run_id is not None and not isinstance(run_id, str):
        raise Rejected(400, '"runId", when given, must be a string')
    return workflow_id, signal_name, body.get("input"), run_id


def _send(workflow_id: str, signal_name: str, value: Any, run_id: str | None) -> None:
    try:
        _client().signal(workflow_id, signal_name, value, run_id=run_id)
    except pyflow.UnknownExecutionError as exc:
        raise Rejected(404, str(exc)) from None
    except pyflow.InvalidArgumentError as exc:
        raise Rejected(400, str(exc)) from None
    except pyflow.PyflowError as exc:
        raise Rejected(502, str(exc)) from None


def _from_eventbridge(spec: Any) -> dict[str, Any]:
    if not isinstance(spec, Mapping):
        raise ValueError(f"{EVENT_KEY} must be an object, not {spec!r}")
    workflow_id, signal_name = spec.get("workflowId"), spec.get("signalName")
    if not isinstance(workflow_id, str) or not workflow_id or not isinstance(signal_name, str):
        raise ValueError(
            f"the event rule's workflow id {workflow_id!r} (or signal name) is not a string: "
            "check the rule's workflow_id path against the events it matches"
        )
    _client().signal(workflow_id, signal_name, spec.get("input"))
    logger.info("signalled %r with %r from an event", workflow_id, signal_name)
    return {"workflowId": workflow_id, "signalName": signal_name}


def _response(status: int, body: Any) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }
