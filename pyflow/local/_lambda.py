"""Lambda tasks run locally: handlers mapped to function names run on a worker pool with a
Lambda-like context; their outcome becomes LambdaFunctionCompleted/Failed/TimedOut. With a
payload store, each handler runs as `pyflow.aws_lambda.with_payload_store` would run it."""

from __future__ import annotations

import heapq
import itertools
import json
import logging
import time
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .._payloads import PayloadStore, call_with_payloads
from .._workflow._payload import STORE_HINT
from ._core import Core
from ._model import JSON, Execution, LambdaRec

Handler = Callable[[Any, Any], Any]
MAX_OPEN_LAMBDAS = 1000
MAX_RESULT = 32_768
MAX_REASON = 256
DEFAULT_TIMEOUT = 900
NO_ROLE_MESSAGE = "No IAM role is attached to the current workflow execution."
_REGION, _ACCOUNT = "us-east-1", "123456789012"
log = logging.getLogger("pyflow.local")


class LambdaContext:
    """The attributes and method of AWS Lambda's Python context object."""

    def __init__(self, function_name: str, request_id: str, deadline: float) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = (f"arn:aws:lambda:{_REGION}:{_ACCOUNT}:function:"
                                     f"{function_name}")
        self.memory_limit_in_mb = 128
        self.aws_request_id = request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = f"pyflow-local/[$LATEST]{request_id.replace('-', '')}"
        self.identity = None
        self.client_context = None
        self._deadline = deadline

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def schedule(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    """Apply ScheduleLambdaFunction: LambdaFunctionScheduled now, the start after the batch."""
    cause = ("ID_ALREADY_IN_USE" if a["id"] in ex.lambdas
             else "OPEN_LAMBDA_FUNCTIONS_LIMIT_EXCEEDED" if len(ex.lambdas) >= MAX_OPEN_LAMBDAS
             else None)
    if cause:
        core.add_event(ex, "ScheduleLambdaFunctionFailed", {
            "id": a["id"], "name": a["name"], "cause": cause,
            "decisionTaskCompletedEventId": completed})
        core.trigger(ex)
        return
    timeout = int(a.get("startToCloseTimeout") or DEFAULT_TIMEOUT)  # 1-900: check_batch
    scheduled = core.add_event(ex, "LambdaFunctionScheduled", {
        "id": a["id"], "name": a["name"], "control": a.get("control"), "input": a.get("input"),
        "startToCloseTimeout": str(timeout), "decisionTaskCompletedEventId": completed})
    rec = LambdaRec(execution=ex, lambda_id=a["id"], name=a["name"], input=a.get("input"),
                    timeout=timeout, scheduled_id=scheduled)
    ex.lambdas[rec.lambda_id] = rec
    core.post_batch.append(lambda: core.start_lambda(rec))


def _bare_name(name: str) -> str:
    """'fn', 'fn:alias' and 'arn:aws:lambda:...:function:fn[:alias]' all name 'fn'."""
    if name.startswith("arn:"):
        name = name.split(":function:", 1)[-1]
    return name.split(":", 1)[0]


class LambdaRunner:
    """Runs handlers on a thread pool and enforces their start-to-close timeouts in real
    time (a handler really runs, so its time cannot be skipped)."""

    def __init__(self, core: Core, workers: int) -> None:
        self.core = core
        self.handlers: dict[str, Handler] = {}
        self.missing_hint = "no handler was added for it with LocalSWF.add_lambda"
        """How the program running the engine maps a function; `pyflow local serve` names its
        own flags here, so a misspelled function is fixed where it was configured."""
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="pyflow-lambda")
        self._deadlines: list[tuple[float, int, LambdaRec]] = []
        self._seq = itertools.count()
        self._to_resume: list[LambdaRec] = []
        self.payload_store: PayloadStore | None = None
        """Resolves references in events and takes long results, as on AWS a handler
        wrapped with `with_payload_store` would."""
        core.start_lambda = self.start

    def _known(self) -> str:
        names = sorted(self.handlers)
        if not names:
            return "it has no Lambda handlers at all"
        shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        return f"the functions it has are {shown}"

    def handler_for(self, name: str) -> Handler | None:
        return self.handlers.get(name) or self.handlers.get(_bare_name(name))

    def start(self, rec: LambdaRec) -> None:
        ex, core = rec.execution, self.core
        if not ex.is_open or ex.lambdas.get(rec.lambda_id) is not rec:
            return
        handler = self.handler_for(rec.name)
        if not ex.lambda_role or handler is None:
            message = NO_ROLE_MESSAGE if not ex.lambda_role else (
                f"Function not found: arn:aws:lambda:{_REGION}:{_ACCOUNT}:function:{rec.name} "
                f"(pyflow.local: {self.missing_hint}; {self._known()})")
            del ex.lambdas[rec.lambda_id]
            core.add_event(ex, "StartLambdaFunctionFailed", {
                "scheduledEventId": rec.scheduled_id,
                "cause": "ASSUME_ROLE_FAILED" if not ex.lambda_role else None,
                "message": message[:1728]})
            core.trigger(ex)
            return
        rec.started_id = core.add_event(ex, "LambdaFunctionStarted",
                                        {"scheduledEventId": rec.scheduled_id})
        self._run(rec, handler)

    def _run(self, rec: LambdaRec, handler: Handler) -> None:
        rec.state, rec.request_id = "running", str(uuid.uuid4())
        rec.real_deadline = time.monotonic() + rec.timeout
        self.core.hold(rec)
        heapq.heappush(self._deadlines, (rec.real_deadline, next(self._seq), rec))
        self._pool.submit(self._invoke, rec, handler)

    def resume(self, rec: LambdaRec) -> None:
        """Run again, at the next `resume_pending`, a Lambda task the durable engine was
        running when it stopped (its handler's outcome died with the process)."""
        self._to_resume.append(rec)

    def resume_pending(self) -> None:
        """Invoke the Lambda tasks handed to `resume`; by the first request, whoever runs the
        engine has added its handlers."""
        recs, self._to_resume = self._to_resume, []
        for rec in recs:
            if rec.state == "scheduled":
                self.start(rec)
                continue
            handler = self.handler_for(rec.name)
            if handler is not None:
                self._run(rec, handler)
                continue
            message = (f"Function not found: arn:aws:lambda:{_REGION}:{_ACCOUNT}:function:"
                       f"{rec.name} when the engine restarted (pyflow.local: "
                       f"{self.missing_hint}; {self._known()})")
            self._record(rec, *_failed("ResourceNotFoundException", message, []))

    def _invoke(self, rec: LambdaRec, handler: Handler) -> None:
        context = LambdaContext(_bare_name(rec.name), rec.request_id, rec.real_deadline)
        store = self.payload_store
        if store is not None:
            plain = handler
            handler = lambda event, ctx: call_with_payloads(plain, event, ctx, store)  # noqa: E731
        outcome = run_handler(handler, rec.input, context)
        with self.core.lock, self.core.instant():
            self._record(rec, *outcome)
            self.core.commit()

    def _record(self, rec: LambdaRec, event_type: str, attrs: JSON) -> None:
        if rec.state != "running":
            return  # timed out, or the execution closed meanwhile
        ex = rec.execution
        rec.state = "closed"
        self.core.release(rec)
        ex.lambdas.pop(rec.lambda_id, None)
        self.core.add_event(ex, event_type, {"scheduledEventId": rec.scheduled_id,
                                             "startedEventId": rec.started_id, **attrs})
        self.core.trigger(ex)

    def expire(self) -> float | None:
        """Time out overrunning handlers; return the real time of the next deadline."""
        now = time.monotonic()
        while self._deadlines:
            deadline, _, rec = self._deadlines[0]
            if rec.state != "running":
                heapq.heappop(self._deadlines)
            elif deadline <= now:
                heapq.heappop(self._deadlines)
                self._record(rec, "LambdaFunctionTimedOut", {"timeoutType": "START_TO_CLOSE"})
            else:
                return deadline
        return None

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def run_handler(handler: Handler, payload: str | None, context: LambdaContext) -> tuple[str, JSON]:
    """Call the handler as Lambda would; return the closing event type and its attributes."""
    try:
        event = json.loads(payload) if payload else {}
    except ValueError:
        return _failed("InvalidRequestContentException",
                       "Could not parse request body into json: the input is not JSON", [])
    try:
        result = handler(event, context)
    except Exception as exc:  # noqa: BLE001 - a handler's failure is the task's outcome
        frames = traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:])
        return _failed(type(exc).__name__, str(exc), frames, reason="UnhandledError")
    except BaseException as exc:  # SystemExit, KeyboardInterrupt: Lambda's runtime would exit
        # On Lambda the runtime process dies and the invocation fails; here the engine (and
        # whatever runs it) must keep serving, so the task fails the same way and that is all.
        status = exc.code if isinstance(exc, SystemExit) else type(exc).__name__
        message = (f"RequestId: {context.aws_request_id} Error: Runtime exited with error: "
                   f"{type(exc).__name__} ({status})")
        return _failed("Runtime.ExitError", message, [], reason="Runtime.ExitError")
    try:
        body = json.dumps(result)
    except (TypeError, ValueError) as exc:
        return _failed("Runtime.MarshalError", f"Unable to marshal response: {exc}", [],
                       reason="UnhandledError")
    if len(body) > MAX_RESULT:
        message = (f"Lambda function result is {len(body)} characters of JSON; SWF accepts "
                   f"at most {MAX_RESULT}: {STORE_HINT}")
        return _failed("ResultTooLarge", message, [], reason=f"ResultTooLarge: {message}")
    return "LambdaFunctionCompleted", {"result": body}


def _failed(error_type: str, message: str, frames: list[str], *,
            reason: str | None = None) -> tuple[str, JSON]:
    payload: JSON = {"errorMessage": message, "errorType": error_type, "stackTrace": frames}
    details = json.dumps(payload)
    while len(details) > MAX_RESULT and payload["stackTrace"]:
        payload["stackTrace"] = payload["stackTrace"][1:]
        details = json.dumps(payload)
    if len(details) > MAX_RESULT:
        payload["errorMessage"] = message[: MAX_RESULT // 2] + "...[truncated]"
        details = json.dumps(payload)[:MAX_RESULT]
    return "LambdaFunctionFailed", {"reason": (reason or error_type)[:MAX_REASON],
                                    "details": details}
