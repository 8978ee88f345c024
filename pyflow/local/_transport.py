"""The in-process transport: a botocore `before-send` handler answers each request from
the engine, so boto3 serialises, validates and parses exactly as it does against AWS."""

from __future__ import annotations

import io
import json
import threading
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

_PREFIX = "SimpleWorkflowService."


class JsonEngine(Protocol):
    """What the transports need of an engine: SWF's JSON protocol, request in, answer out."""

    def handle_json(self, operation: str, payload: bytes | str | None) -> tuple[int, bytes]: ...


def response_headers(status: int, body: bytes) -> dict[str, str]:
    """The headers AWS sends with a JSON-protocol response; SDKs that read the error code
    from `x-amzn-ErrorType` (Go, JavaScript) find it there as well as in `__type`."""
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "x-amzn-RequestId": str(uuid.uuid4()), "Content-Length": str(len(body))}
    if status >= 400:
        try:
            error_type = str(json.loads(body).get("__type", ""))
        except ValueError:
            error_type = ""
        headers["x-amzn-ErrorType"] = error_type.rsplit("#", 1)[-1]
    return headers



class _Raw:
    """The minimal raw-response object botocore reads (`stream()`)."""

    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        chunk = self._body.read()
        while chunk:
            yield chunk
            chunk = self._body.read()


def answer(engine: JsonEngine, request: AWSPreparedRequest) -> AWSResponse:
    target = request.headers.get("X-Amz-Target", b"")
    if isinstance(target, bytes):
        target = target.decode()
    operation = target[len(_PREFIX):] if target.startswith(_PREFIX) else target
    payload = request.body
    status, body = engine.handle_json(operation, payload if isinstance(payload, bytes | str)
                                      else None)
    headers = response_headers(status, body)
    return AWSResponse(request.url, status, headers, _Raw(body))  # type: ignore[arg-type]


_session: Any = None
_session_lock = threading.Lock()


def make_client(engine: JsonEngine) -> SWFClient:
    """A boto3 SWF client bound to `engine`.

    One boto3 session (with dummy credentials: requests never leave the process) serves
    every engine, so the SWF model is loaded once; creating clients is serialised because
    boto3 sessions are not thread-safe.
    """
    global _session
    with _session_lock:
        if _session is None:
            _session = boto3.session.Session(aws_access_key_id="pyflow-local",
                                             aws_secret_access_key="pyflow-local",
                                             region_name="us-east-1")
        client = _new_client(_session)

    def before_send(request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse:
        return answer(engine, request)

    client.meta.events.register("before-send.swf", before_send)  # type: ignore[arg-type]
    return client


def _new_client(session: Any) -> SWFClient:
    client: SWFClient = session.client(
        "swf", endpoint_url="https://swf.local.pyflow.invalid",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=70))
    return client
