"""`LocalSWF`: the embedded SWF engine's public face."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._exceptions import ArgumentTypeError, InvalidArgumentError
from .._payloads import LocalPayloadStore, PayloadStore
from . import _children, _ops_executions, _ops_registry, _ops_tasks, _ops_visibility  # noqa: F401
from ._core import Core
from ._durable import Durable
from ._faults import SWFFault
from ._lambda import LambdaRunner
from ._model import ActivityRec, Execution
from ._ops import OPERATIONS
from ._restore import restore
from ._store import Store, StoreError
from ._ticker import Ticker
from ._transport import make_client
from ._validate import operation_model, validate

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

log = logging.getLogger("pyflow.local")
DEFAULT_PAYLOADS: Any = object()
"""`payload_store`'s default: in memory, or for a durable engine a directory beside its file."""


@dataclass(frozen=True)
class EngineStats:
    """Where the engine's time went, for benchmarks."""

    requests: int
    """Requests answered."""
    busy_seconds: float
    """Time spent answering requests (JSON decoding and encoding included), long-poll
    waits excluded."""


class LocalSWF:
    """A thread-safe engine with SWF's semantics, in memory or (with `path`) durable,
    reached through real boto3 clients (`client()`) or over HTTP (`pyflow.local._server`).

    `virtual_time=True` makes idle waits take no real time: while no decision or activity
    task is started and unanswered and no Lambda handler runs, the clock jumps to the next
    due timer or timeout; while one is held, virtual time follows real time (see `_ticker`).
    `poll_timeout` is the longest a poll waits for a task, in real seconds (SWF: 60).
    `idle_grace` is how long, in real seconds with nothing happening, a task waiting on its
    task list for a poller puts off a jump (so the clock does not leap past it in the instant
    before a poller takes it).
    `path` makes the engine durable: every change is written to that SQLite file before the
    call that made it is answered, and a new engine on the same file carries on where the
    last one stopped (see `_restore`); a second engine on a file in use is refused.
    `payload_store` takes Lambda results longer than its threshold and resolves references
    in Lambda events (as `pyflow.aws_lambda.with_payload_store` does on AWS): a store, a
    directory for a `LocalPayloadStore`, or None for none (results over 32,768 characters
    fail, as on SWF without a store). By default payloads are kept in memory, or, for a
    durable engine, in the directory `<path>.payloads` so they outlive it too. Pollers and
    clients of the engine get the same store from `payload_store`.
    """

    def __init__(self, virtual_time: bool = False, poll_timeout: float = 60.0, *,
                 idle_grace: float = 2.0, lambda_workers: int = 16,
                 path: str | os.PathLike[str] | None = None,
                 payload_store: PayloadStore | str | os.PathLike[str] | None = DEFAULT_PAYLOADS,
                 ) -> None:
        self._core = Core(virtual_time=virtual_time, poll_timeout=poll_timeout,
                          idle_grace=idle_grace)
        self._core.on_close = _children.on_close
        self._lambdas = LambdaRunner(self._core, lambda_workers)
        self._lambdas.payload_store = None
        self._durable: Durable | None = None
        if path is not None:
            self._open(path)  # first: a bad path is the database's error, not the store's
        self._lambdas.payload_store = _payload_store(payload_store, path)
        self._ticker = Ticker(self._core, self._lambdas)
        self._ticker.start()
        self._requests = 0
        self._busy = 0.0

    def _open(self, path: str | os.PathLike[str]) -> None:
        """Load the database at `path` (created if new) and write every change to it."""
        store = Store(path)
        durable = self._durable = Durable(self._core, store)
        core = self._core
        try:
            with core.lock, core.instant():
                restore(core, store, self._lambdas)
                core.commit = durable.commit
                core.commit()
        except (KeyError, TypeError, ValueError, sqlite3.DatabaseError) as exc:
            durable.close()
            raise StoreError(f"the engine database {store.path} could not be read back: "
                             f"{exc!r}", hint="it is damaged; pass another --db file") from exc
        except BaseException:
            durable.close()
            raise

    # -- public API -------------------------------------------------------------------------
    @property
    def path(self) -> str | None:
        """The database file of a durable engine (`LocalSWF(path=...)`), else None."""
        return None if self._durable is None else str(self._durable.store.path)

    @property
    def payload_store(self) -> PayloadStore | None:
        """The store the engine's Lambda tasks use, for the pollers and clients around it."""
        return self._lambdas.payload_store

    @property
    def virtual_time(self) -> bool:
        return self._core.clock.virtual

    def client(self) -> SWFClient:
        """A real boto3 SWF client whose requests this engine answers in-process."""
        return make_client(self)

    def set_missing_lambda_hint(self, hint: str) -> None:
        """What a task naming an unknown Lambda function is told to do, in its failure message
        (default: add a handler with `add_lambda`)."""
        self._lambdas.missing_hint = hint

    def add_lambda(self, function_name: str, handler: Callable[[Any, Any], Any]) -> None:
        """Run `handler(event, context)` for Lambda tasks naming `function_name`."""
        if not callable(handler):
            raise ArgumentTypeError(
                f"handler for Lambda function {function_name!r} is not callable"
            )
        with self._core.lock:
            self._lambdas.handlers[function_name] = handler

    def now(self) -> float:
        """The engine's clock, in epoch seconds (virtual or real)."""
        return self._core.now()

    def advance(self, seconds: float) -> None:
        """Move virtual time forward, firing what falls due on the way."""
        if not self.virtual_time:
            raise InvalidArgumentError("advance() needs LocalSWF(virtual_time=True)")
        core = self._core
        with core.lock:
            target = core.now() + seconds
            while (at := core.dues.next_time()) is not None and at <= target:
                core.clock.set(at)
                self._ticker.fire_due()
            core.clock.set(target)
            core.commit()
            core.cond.notify_all()

    @property
    def stats(self) -> EngineStats:
        return EngineStats(requests=self._requests,
                           busy_seconds=max(0.0, self._busy - self._core.wait_seconds))

    def handle(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """Answer one SWF request (the JSON input structure); raise SWFFault on errors."""
        began = time.perf_counter()
        try:
            validate(operation_model(operation), params)
            func = OPERATIONS.get(operation)
            if func is None:
                raise SWFFault("UnknownOperationException",
                               f"pyflow.local does not implement {operation}")
            core = self._core
            with core.lock, core.instant():
                if core.closed:
                    raise SWFFault("OperationNotPermittedFault", "the LocalSWF engine is closed")
                self._lambdas.resume_pending()
                if operation in _ops_registry.WRITES:
                    core.registry_changed = True
                try:
                    result = func(core, params)
                finally:
                    core.commit()  # on disk before the answer (or fault) is sent
                core.cond.notify_all()
                return result
        finally:
            self._requests += 1
            self._busy += time.perf_counter() - began

    def handle_json(self, operation: str, body: bytes | str | None,
                    handed: list[str] | None = None) -> tuple[int, bytes]:
        """Answer a request body as SWF's JSON protocol does: (HTTP status, response body).

        A poll that hands out a task appends its token to `handed`, for `delivered`."""
        try:
            began = time.perf_counter()
            try:
                params = json.loads(body or b"{}")
            except ValueError as exc:  # JSONDecodeError, or bytes that are not UTF-8
                return 400, _error_body("SerializationException",
                                        f"The body is not JSON: {exc}")
            self._busy += time.perf_counter() - began
            result = self.handle(operation, params)
            if handed is not None and operation in _POLLS and "taskToken" in result:
                handed.append(result["taskToken"])
            began = time.perf_counter()
            encoded = json.dumps(result, separators=(",", ":")).encode()
            self._busy += time.perf_counter() - began
            return 200, encoded
        except SWFFault as fault:
            return 400, _error_body(fault.wire_type, fault.message)
        except Exception as exc:  # never 5xx: botocore would retry and repeat side effects
            log.exception("pyflow.local: internal error answering %s", operation)
            return 400, _error_body("InternalFailure",
                                    f"pyflow.local internal error in {operation}: {exc!r}")

    def delivered(self, token: str) -> None:
        """The answer handing out the task `token` was sent: a restart leaves the task with
        its poller rather than handing it to the next one (see `_restore`)."""
        if self._durable is None:
            return
        with self._core.lock:
            task = self._core.tokens.get(token)
            if isinstance(task, Execution) and task.dt_token == token and not task.dt_delivered:
                task.dt_delivered = True
            elif isinstance(task, ActivityRec) and not task.delivered:
                task.delivered = True
            else:
                return
            self._core.dirty.add(task if isinstance(task, Execution) else task.execution)
            self._durable.commit(sync=False)

    def close(self) -> None:
        """Stop the clock thread and the Lambda pool; pollers return empty at once."""
        with self._core.lock:
            if self._core.closed:
                return
            self._core.closed = True
            self._core.cond.notify_all()
        self._ticker.join(timeout=5)
        self._lambdas.close()
        with self._core.lock:
            if self._durable is not None:
                self._core.commit()
                self._durable.close()

    def __enter__(self) -> LocalSWF:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


_POLLS = frozenset({"PollForDecisionTask", "PollForActivityTask"})


def _payload_store(given: Any, path: str | os.PathLike[str] | None) -> PayloadStore | None:
    if given is DEFAULT_PAYLOADS:
        return LocalPayloadStore(None if path is None else f"{os.fspath(path)}.payloads")
    if given is None or isinstance(given, PayloadStore):
        return given
    if isinstance(given, str | os.PathLike):
        return LocalPayloadStore(given)
    raise ArgumentTypeError(
        f"payload_store must be a pyflow payload store, a directory or None, not {given!r}"
    )


def _error_body(error_type: str, message: str) -> bytes:
    return json.dumps({"__type": error_type, "message": message}).encode()
